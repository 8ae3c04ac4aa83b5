import { endianness } from 'node:os';
import { AesGcmTransform } from './aes-gcm-transform.js';
import { CounterKeystream, xorInto } from './counter-keystream.js';
import { Ghash } from './ghash.js';
import type { SrtpSessionKeys } from './key-derivation.js';
import { readU32, type SrtpTransform, tagsEqual, writeU32 } from './transform.js';

const TAG = 16;
const SRTCP_INDEX_LENGTH = 4;

/** GHASH reads blocks as host words and byte-swaps them as little-endian; elsewhere Node's GCM is used. */
export const canUseJsGcm = endianness() === 'LE';

/**
 * AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 7714) without a cipher object per packet: the CTR
 * keystream (J0 for the tag mask, then inc32 blocks for the payload) comes from one long-lived
 * AES-ECB context in one call, and GHASH runs in JS over the output buffer, constant-time (see
 * ghash.ts). Packets whose payload exceeds `maxJsPayload` go to Node's GCM instead: its per-call
 * setup costs a fixed few microseconds, while the JS GHASH costs per block, so Node wins above a
 * crossover size.
 */
export class AesGcmJsTransform implements SrtpTransform {
  readonly rtpTagLength = TAG;
  readonly rtcpTagLength = TAG;
  private readonly native: AesGcmTransform;
  private readonly rtpKeystream: CounterKeystream;
  private readonly rtcpKeystream: CounterKeystream;
  private readonly rtpGhash: Ghash;
  private rtcpGhashState: Ghash | undefined;
  private readonly rtpSalt: Int32Array;
  private readonly rtcpSalt: Int32Array;
  private readonly scratch = new Int32Array(4);
  private readonly scratchBytes = new Uint8Array(this.scratch.buffer);
  private readonly tag = new Uint8Array(16);

  constructor(
    keys: SrtpSessionKeys,
    private readonly maxJsPayload: number,
  ) {
    this.native = new AesGcmTransform(keys);
    this.rtpKeystream = new CounterKeystream(keys.rtpKey);
    this.rtcpKeystream = new CounterKeystream(keys.rtcpKey);
    this.rtpGhash = new Ghash(hashSubkey(this.rtpKeystream));
    this.rtpSalt = Int32Array.of(
      readU32(keys.rtpSalt, 0),
      readU32(keys.rtpSalt, 4),
      readU32(keys.rtpSalt, 8),
    );
    this.rtcpSalt = Int32Array.of(
      readU32(keys.rtcpSalt, 0),
      readU32(keys.rtcpSalt, 4),
      readU32(keys.rtcpSalt, 8),
    );
  }

  /** Built on first use: many sessions never send enough RTCP to need it. */
  private get rtcpGhash(): Ghash {
    this.rtcpGhashState ??= new Ghash(hashSubkey(this.rtcpKeystream));
    return this.rtcpGhashState;
  }

  /** RFC 7714 8.1 IV (00 00 || SSRC || ROC || SEQ, XOR salt), then J0 = IV || 1 and inc32 blocks. */
  private rtpKeys(ssrc: number, roc: number, seq: number, payload: number): Uint8Array {
    const s = this.rtpSalt;
    return this.rtpKeystream.generate(
      (s[0]! ^ (ssrc >>> 16)) >>> 0,
      (s[1]! ^ ((ssrc << 16) | (roc >>> 16))) >>> 0,
      (s[2]! ^ ((roc << 16) | seq)) >>> 0,
      0,
      1,
      1 + ((payload + 15) >>> 4),
    );
  }

  /** RFC 7714 9.1 IV: 00 00 || SSRC || 00 00 || 0 || index, XOR salt. */
  private rtcpKeys(ssrc: number, index: number, payload: number): Uint8Array {
    const s = this.rtcpSalt;
    return this.rtcpKeystream.generate(
      (s[0]! ^ (ssrc >>> 16)) >>> 0,
      (s[1]! ^ (ssrc << 16)) >>> 0,
      (s[2]! ^ index) >>> 0,
      0,
      1,
      1 + ((payload + 15) >>> 4),
    );
  }

  /** Absorbs `bytes[start, start + length)` zero-padded to a block; `start` is 4-byte aligned. */
  private absorb(g: Ghash, words: Int32Array, bytes: Uint8Array, start: number, length: number): void {
    const full = length >>> 4;
    if (full > 0) g.update(words, start >>> 2, full);
    const rest = length & 15;
    if (rest > 0) {
      const from = start + full * 16;
      this.scratch.fill(0);
      this.scratchBytes.set(bytes.subarray(from, from + rest));
      g.update(this.scratch, 0, 1);
    }
  }

  /** Appends the lengths block and writes GHASH XOR E(K, J0) into `this.tag`. */
  private finishTag(g: Ghash, aadLength: number, cipherLength: number, keystream: Uint8Array): Uint8Array {
    const s = this.scratchBytes;
    s.fill(0);
    writeU32(s, 4, aadLength * 8);
    writeU32(s, 12, cipherLength * 8);
    g.update(this.scratch, 0, 1);
    const t = this.scratch;
    t[0] = g.y0;
    t[1] = g.y1;
    t[2] = g.y2;
    t[3] = g.y3;
    for (let i = 0; i < 16; i++) this.tag[i] = s[i]! ^ keystream[i]!;
    return this.tag;
  }

  /** The GCM tag over `buf[0, aadLength)` as AAD and `buf[cStart, cStart + cLength)` as ciphertext. */
  private tagOf(
    g: Ghash,
    buf: Uint8Array,
    aadLength: number,
    cStart: number,
    cLength: number,
    ks: Uint8Array,
  ) {
    const words = new Int32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
    g.reset();
    this.absorb(g, words, buf, 0, aadLength);
    this.absorb(g, words, buf, cStart, cLength);
    return this.finishTag(g, aadLength, cLength, ks);
  }

  protectRtp(packet: Uint8Array, headerLength: number, ssrc: number, roc: number, seq: number): Uint8Array {
    const n = packet.length;
    const payload = n - headerLength;
    if (payload > this.maxJsPayload) return this.native.protectRtp(packet, headerLength, ssrc, roc, seq);
    const out = Buffer.allocUnsafe(n + TAG);
    if (out.byteOffset & 3) return this.native.protectRtp(packet, headerLength, ssrc, roc, seq);
    out.set(packet);
    const ks = this.rtpKeys(ssrc, roc, seq, payload);
    xorInto(out, headerLength, ks, 16, payload);
    // RFC 7714 8.2: the RTP header is the AAD, the tag follows the ciphertext.
    out.set(this.tagOf(this.rtpGhash, out, headerLength, headerLength, payload, ks), n);
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
    const payload = n - headerLength;
    if (payload > this.maxJsPayload) return this.native.unprotectRtp(packet, headerLength, ssrc, roc, seq);
    const out = Buffer.allocUnsafe(n);
    if (out.byteOffset & 3) return this.native.unprotectRtp(packet, headerLength, ssrc, roc, seq);
    out.set(packet.subarray(0, n));
    const ks = this.rtpKeys(ssrc, roc, seq, payload);
    const tag = this.tagOf(this.rtpGhash, out, headerLength, headerLength, payload, ks);
    if (!tagsEqual(tag, 0, packet, n, TAG)) return undefined;
    xorInto(out, headerLength, ks, 16, payload);
    return out;
  }

  protectRtcp(packet: Uint8Array, ssrc: number, index: number): Uint8Array {
    const n = packet.length;
    const payload = n - 8;
    if (payload > this.maxJsPayload) return this.native.protectRtcp(packet, ssrc, index);
    // Layout: header(8) | ciphertext | tag | ESRTCP word; the AAD is header || ESRTCP word (RFC 7714 9.2).
    const out = Buffer.allocUnsafe(n + TAG + SRTCP_INDEX_LENGTH);
    if (out.byteOffset & 3) return this.native.protectRtcp(packet, ssrc, index);
    out.set(packet);
    const word = (0x80000000 | index) >>> 0;
    const ks = this.rtcpKeys(ssrc, index, payload);
    xorInto(out, 8, ks, 16, payload);
    const g = this.rtcpGhash;
    this.absorbRtcpAad(g, out, word);
    const words = new Int32Array(out.buffer, out.byteOffset, out.length >>> 2);
    this.absorb(g, words, out, 8, payload);
    out.set(this.finishTag(g, 12, payload, ks), n);
    writeU32(out, n + TAG, word);
    return out;
  }

  private absorbRtcpAad(g: Ghash, packet: Uint8Array, word: number): void {
    g.reset();
    this.scratch.fill(0);
    this.scratchBytes.set(packet.subarray(0, 8));
    writeU32(this.scratchBytes, 8, word);
    g.update(this.scratch, 0, 1);
  }

  unprotectRtcp(packet: Uint8Array, ssrc: number): Uint8Array | undefined {
    const indexAt = packet.length - SRTCP_INDEX_LENGTH;
    const n = indexAt - TAG;
    const word = readU32(packet, indexAt);
    const payload = n - 8;
    // Unencrypted SRTCP (E = 0) is rare enough to leave to the native path.
    if (word >>> 31 === 0 || payload > this.maxJsPayload) return this.native.unprotectRtcp(packet, ssrc);
    const out = Buffer.allocUnsafe(n);
    if (out.byteOffset & 3) return this.native.unprotectRtcp(packet, ssrc);
    out.set(packet.subarray(0, n));
    const ks = this.rtcpKeys(ssrc, word & 0x7fffffff, payload);
    const g = this.rtcpGhash;
    this.absorbRtcpAad(g, out, word);
    const words = new Int32Array(out.buffer, out.byteOffset, out.length >>> 2);
    this.absorb(g, words, out, 8, payload);
    const tag = this.finishTag(g, 12, payload, ks);
    if (!tagsEqual(tag, 0, packet, n, TAG)) return undefined;
    xorInto(out, 8, ks, 16, payload);
    return out;
  }
}

/** H = E(K, 0^128) (SP 800-38D 6.4). */
function hashSubkey(ks: CounterKeystream): Uint8Array {
  return Uint8Array.from(ks.generate(0, 0, 0, 0, 0, 1));
}
