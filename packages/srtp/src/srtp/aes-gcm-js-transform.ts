import { endianness } from 'node:os';
import { Ghash } from '@purertc/common';
import { AesGcmTransform } from './aes-gcm-transform.js';
import { CounterKeystream } from './counter-keystream.js';
import { GcmRtpKeystream } from './gcm-rtp-keystream.js';
import type { SrtpSessionKeys } from './key-derivation.js';
import { readU32, type SrtpTransform, tagsEqual, writeU32 } from './transform.js';

const TAG = 16;
const SRTCP_INDEX_LENGTH = 4;
/** Distinct (header, payload) length pairs whose L * H is kept (audio payload sizes vary widely). */
const MAX_LENGTH_PRODUCTS = 1024;
/** GHASH reads blocks as host words and byte-swaps them as little-endian; elsewhere Node's GCM is used. */
export const canUseJsGcm = endianness() === 'LE';

/**
 * AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 7714) without a cipher object per packet: the CTR
 * keystream (J0 for the tag mask, then inc32 blocks for the payload) comes from a long-lived
 * AES-ECB context, for RTP in one call per 32 consecutive packets of an SSRC
 * (gcm-rtp-keystream.ts), and GHASH runs in JS, constant-time (ghash.ts), over a staging buffer
 * that holds the header, padding and payload as whole aligned blocks. Packets whose payload exceeds
 * `maxJsPayload` go to Node's GCM instead: its per-call setup costs a fixed few microseconds, while
 * the JS GHASH costs per block, so Node wins above a crossover size.
 */
export class AesGcmJsTransform implements SrtpTransform {
  readonly rtpTagLength = TAG;
  readonly rtcpTagLength = TAG;
  private readonly native: AesGcmTransform;
  private readonly rtpKeystream: GcmRtpKeystream;
  private readonly rtcpKeystream: CounterKeystream;
  private readonly rtpGhash: Ghash;
  private rtcpGhashState: Ghash | undefined;
  private readonly rtcpSalt: Int32Array;
  /** The staged GHASH input: AAD, zero padding, payload (see `stage`). */
  private stageWords = new Int32Array(512);
  private stageBytes = new Uint8Array(this.stageWords.buffer);
  /** L * H per (AAD, payload) length pair, for each key's H (see `stagedTag`). */
  private readonly rtpProducts = new Map<number, Int32Array>();
  private readonly rtcpProducts = new Map<number, Int32Array>();
  private readonly tagWords = new Int32Array(4);
  private readonly tag = new Uint8Array(this.tagWords.buffer);

  constructor(
    keys: SrtpSessionKeys,
    private readonly maxJsPayload: number,
  ) {
    this.native = new AesGcmTransform(keys);
    this.rtpKeystream = new GcmRtpKeystream(
      keys.rtpKey,
      readU32(keys.rtpSalt, 0),
      readU32(keys.rtpSalt, 4),
      readU32(keys.rtpSalt, 8),
    );
    this.rtcpKeystream = new CounterKeystream(keys.rtcpKey);
    this.rtpGhash = new Ghash(hashSubkey(new CounterKeystream(keys.rtpKey)));
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

  /**
   * Copies the packet's first `headerLength` bytes zero-padded to whole blocks, then the payload
   * that follows them, into the stage; returns where the payload starts. GCM's GHASH input
   * (SP 800-38D 7.1) then begins at byte 0.
   */
  private stage(packet: Uint8Array, headerLength: number, payload: number): number {
    const at = (headerLength + 15) & ~15;
    const need = at + ((payload + 15) & ~15) + 16;
    if (this.stageBytes.length < need) {
      this.stageWords = new Int32Array(need >>> 2);
      this.stageBytes = new Uint8Array(this.stageWords.buffer);
    }
    const bytes = this.stageBytes;
    // One copy of header and payload, then the payload moved up to its block boundary.
    bytes.set(
      packet.length > headerLength + payload ? packet.subarray(0, headerLength + payload) : packet,
      0,
    );
    bytes.copyWithin(at, headerLength, headerLength + payload);
    bytes.fill(0, headerLength, at);
    return at;
  }

  /** XORs CTR keystream words `k[ks..)` over the staged payload at byte `at`. */
  private cryptStaged(at: number, payload: number, k: Int32Array, ks: number): void {
    const d = this.stageWords;
    const from = at >>> 2;
    const words = (payload + 3) >>> 2;
    for (let i = 0; i < words; i++) d[from + i]! ^= k[ks + i]!;
  }

  /**
   * The GCM tag (SP 800-38D 7.1) over the staged AAD (`aadLength` bytes from 0) and ciphertext (at
   * `at`), XOR E(K, J0) from `mask[m..m+4)`. The lengths block L is public, so instead of hashing it
   * the GHASH multiplies by H once more for free and L * H comes from a cache keyed by the two
   * lengths (see Ghash.update).
   */
  private stagedTag(
    g: Ghash,
    products: Map<number, Int32Array>,
    at: number,
    aadLength: number,
    payload: number,
    mask: Int32Array,
    m: number,
  ): Uint8Array {
    const lengthsTimesH = lengthsTimesHOf(g, products, aadLength, payload);
    const end = at + ((payload + 15) & ~15);
    this.stageBytes.fill(0, at + payload, end);
    g.reset();
    g.update(this.stageWords, 0, end >>> 4, 1);
    this.tagWords[0] = g.y0 ^ lengthsTimesH[0]! ^ mask[m]!;
    this.tagWords[1] = g.y1 ^ lengthsTimesH[1]! ^ mask[m + 1]!;
    this.tagWords[2] = g.y2 ^ lengthsTimesH[2]! ^ mask[m + 2]!;
    this.tagWords[3] = g.y3 ^ lengthsTimesH[3]! ^ mask[m + 3]!;
    return this.tag;
  }

  private rtpTag(at: number, headerLength: number, payload: number): Uint8Array {
    const k = this.rtpKeystream;
    return this.stagedTag(
      this.rtpGhash,
      this.rtpProducts,
      at,
      headerLength,
      payload,
      k.words,
      k.offset >>> 2,
    );
  }

  protectRtp(packet: Uint8Array, headerLength: number, ssrc: number, roc: number, seq: number): Uint8Array {
    const n = packet.length;
    const payload = n - headerLength;
    if (payload > this.maxJsPayload) return this.native.protectRtp(packet, headerLength, ssrc, roc, seq);
    this.rtpKeystream.find(ssrc, roc, seq, 1 + ((payload + 15) >>> 4));
    const at = this.stage(packet, headerLength, payload);
    this.cryptStaged(at, payload, this.rtpKeystream.words, (this.rtpKeystream.offset + 16) >>> 2);
    const out = Buffer.allocUnsafe(n + TAG);
    out.set(packet.subarray(0, headerLength), 0);
    out.set(this.stageBytes.subarray(at, at + payload), headerLength);
    // RFC 7714 8.2: the RTP header is the AAD, the tag follows the ciphertext.
    out.set(this.rtpTag(at, headerLength, payload), n);
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
    this.rtpKeystream.find(ssrc, roc, seq, 1 + ((payload + 15) >>> 4));
    const at = this.stage(packet, headerLength, payload);
    if (!tagsEqual(this.rtpTag(at, headerLength, payload), 0, packet, n, TAG)) return undefined;
    this.cryptStaged(at, payload, this.rtpKeystream.words, (this.rtpKeystream.offset + 16) >>> 2);
    const out = Buffer.allocUnsafe(n);
    out.set(packet.subarray(0, headerLength), 0);
    out.set(this.stageBytes.subarray(at, at + payload), headerLength);
    // The caller owns the plaintext now; the long-lived stage keeps no copy of it.
    this.stageBytes.fill(0, at, at + payload + 4);
    return out;
  }

  /**
   * Stages an SRTCP packet for GCM: RFC 7714 9.2 makes the AAD the first 8 octets || the ESRTCP word
   * (E flag and index), 12 bytes, so the payload starts at the second block.
   */
  private stageRtcp(packet: Uint8Array, word: number, payload: number): number {
    const at = this.stage(packet, 8, payload);
    writeU32(this.stageBytes, 8, word);
    return at;
  }

  protectRtcp(packet: Uint8Array, ssrc: number, index: number): Uint8Array {
    const n = packet.length;
    const payload = n - 8;
    if (payload > this.maxJsPayload) return this.native.protectRtcp(packet, ssrc, index);
    const word = (0x80000000 | index) >>> 0;
    const ks = hostWords(this.rtcpKeys(ssrc, index, payload));
    const at = this.stageRtcp(packet, word, payload);
    this.cryptStaged(at, payload, ks, 4);
    // Layout: header(8) | ciphertext | tag | ESRTCP word.
    const out = Buffer.allocUnsafe(n + TAG + SRTCP_INDEX_LENGTH);
    out.set(packet.subarray(0, 8), 0);
    out.set(this.stageBytes.subarray(at, at + payload), 8);
    out.set(this.stagedTag(this.rtcpGhash, this.rtcpProducts, at, 12, payload, ks, 0), n);
    writeU32(out, n + TAG, word);
    return out;
  }

  unprotectRtcp(packet: Uint8Array, ssrc: number): Uint8Array | undefined {
    const indexAt = packet.length - SRTCP_INDEX_LENGTH;
    const n = indexAt - TAG;
    const word = readU32(packet, indexAt);
    const payload = n - 8;
    // Unencrypted SRTCP (E = 0) is rare enough to leave to the native path.
    if (word >>> 31 === 0 || payload > this.maxJsPayload) return this.native.unprotectRtcp(packet, ssrc);
    const ks = hostWords(this.rtcpKeys(ssrc, word & 0x7fffffff, payload));
    const at = this.stageRtcp(packet, word, payload);
    const tag = this.stagedTag(this.rtcpGhash, this.rtcpProducts, at, 12, payload, ks, 0);
    if (!tagsEqual(tag, 0, packet, n, TAG)) return undefined;
    this.cryptStaged(at, payload, ks, 4);
    const out = Buffer.allocUnsafe(n);
    out.set(packet.subarray(0, 8), 0);
    out.set(this.stageBytes.subarray(at, at + payload), 8);
    this.stageBytes.fill(0, at, at + payload + 4);
    return out;
  }
}

/** `bytes` as host words; Node gives each cipher output its own aligned allocation, but be sure. */
function hostWords(bytes: Uint8Array): Int32Array {
  const aligned = bytes.byteOffset & 3 ? Uint8Array.from(bytes) : bytes;
  return new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
}

/** L * H for L = [8 aadLength]64 || [8 payload]64, in host words, cached by the (public) lengths. */
function lengthsTimesHOf(
  g: Ghash,
  products: Map<number, Int32Array>,
  aadLength: number,
  payload: number,
): Int32Array {
  // RTP headers are shorter than 2^19 bytes (RFC 3550 5.1, RFC 8285: at most 12 + 60 + 4 + 4 * 65535).
  const key = aadLength * 0x100000000 + payload;
  let value = products.get(key);
  if (!value) {
    const block = new Uint8Array(16);
    writeU32(block, 4, aadLength * 8);
    writeU32(block, 12, payload * 8);
    g.reset();
    g.update(new Int32Array(block.buffer), 0, 1);
    value = Int32Array.of(g.y0, g.y1, g.y2, g.y3);
    if (products.size >= MAX_LENGTH_PRODUCTS) products.clear();
    products.set(key, value);
  }
  return value;
}

/** H = E(K, 0^128) (SP 800-38D 6.4). */
function hashSubkey(ks: CounterKeystream): Uint8Array {
  return Uint8Array.from(ks.generate(0, 0, 0, 0, 0, 1));
}
