import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import type { SrtpSessionKeys } from './key-derivation.js';
import { readU32, type SrtpTransform, writeU32 } from './transform.js';

const TAG = 16;
const SRTCP_INDEX_LENGTH = 4;
/** Headers up to this long are copied into a reused buffer rather than viewed with `subarray`. */
const MAX_COPIED_HEADER = 128;

/**
 * AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 7714) with one Node GCM object per packet (Node cannot
 * re-key a GCM object with a new IV). Costs per packet: that object, one `update`, and one output
 * buffer that the header, ciphertext and tag are written into (no concat). Keys are imported once
 * as KeyObjects, which measured a few percent cheaper per `createCipheriv` than raw bytes.
 */
export class AesGcmTransform implements SrtpTransform {
  readonly rtpTagLength = TAG;
  readonly rtcpTagLength = TAG;
  private readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  private readonly iv = Buffer.alloc(12);
  private readonly aad = Buffer.alloc(12);
  private readonly receivedTag = Buffer.alloc(TAG);
  /** Reused copies of RTP headers by length (4-byte multiples up to MAX_COPIED_HEADER). */
  private readonly headers: Buffer[] = [];
  private readonly rtpKey: KeyObject;
  private readonly rtcpKey: KeyObject;

  constructor(private readonly keys: SrtpSessionKeys) {
    this.algorithm = keys.rtpKey.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
    this.rtpKey = createSecretKey(keys.rtpKey);
    this.rtcpKey = createSecretKey(keys.rtcpKey);
  }

  /**
   * The RTP header as a Buffer for `setAAD` and for copying into the output: a byte loop into a
   * reused buffer costs less than creating a `subarray` view per packet.
   */
  private header(packet: Uint8Array, headerLength: number): Uint8Array {
    if (headerLength > MAX_COPIED_HEADER) return packet.subarray(0, headerLength);
    let h = this.headers[headerLength >>> 2];
    if (!h) {
      h = Buffer.alloc(headerLength);
      this.headers[headerLength >>> 2] = h;
    }
    for (let i = 0; i < headerLength; i++) h[i] = packet[i]!;
    return h;
  }

  /** RFC 7714 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
  private rtpIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = this.iv;
    const s = this.keys.rtpSalt;
    iv[0] = s[0]!;
    iv[1] = s[1]!;
    writeU32(iv, 2, ssrc);
    writeU32(iv, 6, roc);
    iv[10] = seq >>> 8;
    iv[11] = seq & 0xff;
    for (let i = 2; i < 12; i++) iv[i]! ^= s[i]!;
    return iv;
  }

  /** RFC 7714 9.1: IV = (00 00 || SSRC || 00 00 || 0 || index) XOR salt. */
  private rtcpIv(ssrc: number, index: number): Buffer {
    const iv = this.iv;
    const s = this.keys.rtcpSalt;
    iv.fill(0);
    writeU32(iv, 2, ssrc);
    writeU32(iv, 8, index);
    for (let i = 0; i < 12; i++) iv[i]! ^= s[i]!;
    return iv;
  }

  protectRtp(packet: Uint8Array, headerLength: number, ssrc: number, roc: number, seq: number): Uint8Array {
    const n = packet.length;
    const out = Buffer.allocUnsafe(n + TAG);
    const cipher = createCipheriv(this.algorithm, this.rtpKey, this.rtpIv(ssrc, roc, seq));
    // RFC 7714 8.2: the whole RTP header is the associated data.
    const header = this.header(packet, headerLength);
    cipher.setAAD(header);
    out.set(header, 0);
    out.set(cipher.update(packet.subarray(headerLength)), headerLength);
    cipher.final();
    out.set(cipher.getAuthTag(), n);
    return out;
  }

  unprotectRtp(
    packet: Uint8Array,
    headerLength: number,
    ssrc: number,
    roc: number,
    seq: number,
  ): Uint8Array | undefined {
    const n = packet.length - TAG;
    const decipher = createDecipheriv(this.algorithm, this.rtpKey, this.rtpIv(ssrc, roc, seq));
    const header = this.header(packet, headerLength);
    decipher.setAAD(header);
    const tag = this.receivedTag;
    for (let i = 0; i < TAG; i++) tag[i] = packet[n + i]!;
    decipher.setAuthTag(tag);
    const plain = decipher.update(packet.subarray(headerLength, n));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    const out = Buffer.allocUnsafe(n);
    out.set(header, 0);
    out.set(plain, headerLength);
    return out;
  }

  protectRtcp(packet: Uint8Array, ssrc: number, index: number): Uint8Array {
    const n = packet.length;
    const out = Buffer.allocUnsafe(n + TAG + SRTCP_INDEX_LENGTH);
    const word = (0x80000000 | index) >>> 0;
    const cipher = createCipheriv(this.algorithm, this.rtcpKey, this.rtcpIv(ssrc, index));
    // RFC 7714 9.2: AAD = first 8 octets || ESRTCP word; the tag precedes the ESRTCP word.
    this.aad.set(packet.subarray(0, 8), 0);
    writeU32(this.aad, 8, word);
    cipher.setAAD(this.aad);
    out.set(packet.subarray(0, 8), 0);
    out.set(cipher.update(packet.subarray(8)), 8);
    cipher.final();
    out.set(cipher.getAuthTag(), n);
    writeU32(out, n + TAG, word);
    return out;
  }

  unprotectRtcp(packet: Uint8Array, ssrc: number): Uint8Array | undefined {
    const indexAt = packet.length - SRTCP_INDEX_LENGTH;
    const n = indexAt - TAG;
    const word = readU32(packet, indexAt);
    const encrypted = word >>> 31 === 1;
    const decipher = createDecipheriv(this.algorithm, this.rtcpKey, this.rtcpIv(ssrc, word & 0x7fffffff));
    decipher.setAuthTag(packet.subarray(n, indexAt));
    let plain: Uint8Array | undefined;
    if (encrypted) {
      this.aad.set(packet.subarray(0, 8), 0);
      writeU32(this.aad, 8, word);
      decipher.setAAD(this.aad);
      plain = decipher.update(packet.subarray(8, n));
    } else {
      // RFC 7714 9.3: unencrypted SRTCP authenticates the whole packet plus the ESRTCP word.
      decipher.setAAD(Buffer.concat([packet.subarray(0, n), packet.subarray(indexAt)]));
    }
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    const out = Buffer.allocUnsafe(n);
    if (plain) {
      out.set(packet.subarray(0, 8), 0);
      out.set(plain, 8);
    } else {
      out.set(packet.subarray(0, n), 0);
    }
    return out;
  }
}
