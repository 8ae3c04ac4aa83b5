import { CounterKeystream, xorInto } from './counter-keystream.js';
import { HmacSha1 } from './hmac-sha1.js';
import type { SrtpSessionKeys } from './key-derivation.js';
import { readU32, type SrtpTransform, tagsEqual, writeU32 } from './transform.js';

/** Room in front of each output for the HMAC inner pad, so the MAC input is contiguous. */
const HEADROOM = 64;
const SRTCP_INDEX_LENGTH = 4;

/**
 * AES_CM_128_HMAC_SHA1_80 / _32 (RFC 3711 4.1.1 and 4.2.1). Each output is allocated once, with
 * headroom for the HMAC pad; the returned packet is a view past that headroom.
 */
export class AesCmTransform implements SrtpTransform {
  readonly rtcpTagLength = 10;
  private readonly rtpKeystream: CounterKeystream;
  private readonly rtcpKeystream: CounterKeystream;
  private readonly rtpMac: HmacSha1;
  private readonly rtcpMac: HmacSha1;
  private readonly rtpSalt: Uint32Array;
  private readonly rtcpSalt: Uint32Array;
  private readonly tagScratch = new Uint8Array(20);

  constructor(
    keys: SrtpSessionKeys,
    readonly rtpTagLength: number,
  ) {
    this.rtpKeystream = new CounterKeystream(keys.rtpKey);
    this.rtcpKeystream = new CounterKeystream(keys.rtcpKey);
    this.rtpMac = new HmacSha1(keys.rtpAuthKey);
    this.rtcpMac = new HmacSha1(keys.rtcpAuthKey);
    this.rtpSalt = saltWords(keys.rtpSalt);
    this.rtcpSalt = saltWords(keys.rtcpSalt);
  }

  /**
   * RFC 3711 4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), with i = ROC || SEQ for SRTP
   * and the 31-bit SRTCP index for SRTCP; block j of the keystream encrypts IV + j.
   */
  private keystream(
    ks: CounterKeystream,
    salt: Uint32Array,
    ssrc: number,
    high: number,
    low16: number,
    length: number,
  ): Uint8Array {
    return ks.generate(
      salt[0]!,
      (salt[1]! ^ ssrc) >>> 0,
      (salt[2]! ^ high) >>> 0,
      (salt[3]! ^ (low16 << 16)) >>> 0,
      0,
      (length + 15) >>> 4,
    );
  }

  protectRtp(packet: Uint8Array, headerLength: number, ssrc: number, roc: number, seq: number): Uint8Array {
    const n = packet.length;
    const tag = this.rtpTagLength;
    const buf = Buffer.allocUnsafe(HEADROOM + n + Math.max(tag, 4));
    buf.set(packet, HEADROOM);
    const payloadLength = n - headerLength;
    if (payloadLength > 0) {
      const ks = this.keystream(this.rtpKeystream, this.rtpSalt, ssrc, roc, seq, payloadLength);
      xorInto(buf, HEADROOM + headerLength, ks, 0, payloadLength);
    }
    // RFC 3711 4.2: the MAC covers the authenticated portion followed by the ROC.
    writeU32(buf, HEADROOM + n, roc);
    this.rtpMac.macWithHeadroom(buf, 0, HEADROOM + n + 4, buf, HEADROOM + n, tag);
    return buf.subarray(HEADROOM, HEADROOM + n + tag);
  }

  unprotectRtp(
    packet: Uint8Array,
    headerLength: number,
    ssrc: number,
    roc: number,
    seq: number,
  ): Uint8Array | undefined {
    const tag = this.rtpTagLength;
    const n = packet.length - tag;
    const buf = Buffer.allocUnsafe(HEADROOM + n + 4);
    buf.set(packet.subarray(0, n), HEADROOM);
    writeU32(buf, HEADROOM + n, roc);
    const expected = this.tagScratch;
    this.rtpMac.macWithHeadroom(buf, 0, HEADROOM + n + 4, expected, 0, tag);
    if (!tagsEqual(expected, 0, packet, n, tag)) return undefined;
    const payloadLength = n - headerLength;
    if (payloadLength > 0) {
      const ks = this.keystream(this.rtpKeystream, this.rtpSalt, ssrc, roc, seq, payloadLength);
      xorInto(buf, HEADROOM + headerLength, ks, 0, payloadLength);
    }
    return buf.subarray(HEADROOM, HEADROOM + n);
  }

  protectRtcp(packet: Uint8Array, ssrc: number, index: number): Uint8Array {
    const n = packet.length;
    const tag = this.rtcpTagLength;
    const buf = Buffer.allocUnsafe(HEADROOM + n + SRTCP_INDEX_LENGTH + tag);
    buf.set(packet, HEADROOM);
    const encrypted = n - 8;
    if (encrypted > 0) {
      const ks = this.keystream(
        this.rtcpKeystream,
        this.rtcpSalt,
        ssrc,
        index >>> 16,
        index & 0xffff,
        encrypted,
      );
      xorInto(buf, HEADROOM + 8, ks, 0, encrypted);
    }
    // RFC 3711 3.4: E flag and index follow the encrypted portion and are authenticated.
    writeU32(buf, HEADROOM + n, (0x80000000 | index) >>> 0);
    const end = HEADROOM + n + SRTCP_INDEX_LENGTH;
    this.rtcpMac.macWithHeadroom(buf, 0, end, buf, end, tag);
    return buf.subarray(HEADROOM, end + tag);
  }

  unprotectRtcp(packet: Uint8Array, ssrc: number): Uint8Array | undefined {
    const tag = this.rtcpTagLength;
    const authEnd = packet.length - tag;
    const n = authEnd - SRTCP_INDEX_LENGTH;
    const buf = Buffer.allocUnsafe(HEADROOM + authEnd);
    buf.set(packet.subarray(0, authEnd), HEADROOM);
    const expected = this.tagScratch;
    this.rtcpMac.macWithHeadroom(buf, 0, HEADROOM + authEnd, expected, 0, tag);
    if (!tagsEqual(expected, 0, packet, authEnd, tag)) return undefined;
    const word = readU32(packet, n);
    const index = word & 0x7fffffff;
    if (word >>> 31 && n > 8) {
      const ks = this.keystream(this.rtcpKeystream, this.rtcpSalt, ssrc, index >>> 16, index & 0xffff, n - 8);
      xorInto(buf, HEADROOM + 8, ks, 0, n - 8);
    }
    return buf.subarray(HEADROOM, HEADROOM + n);
  }
}

/** The 14-byte session salt shifted left by 16 bits, as four big-endian words. */
function saltWords(salt: Uint8Array): Uint32Array {
  const padded = new Uint8Array(16);
  padded.set(salt.subarray(0, 14));
  return Uint32Array.of(readU32(padded, 0), readU32(padded, 4), readU32(padded, 8), readU32(padded, 12));
}
