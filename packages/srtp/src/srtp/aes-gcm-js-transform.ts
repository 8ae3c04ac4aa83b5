import { endianness } from 'node:os';
import { AesGcmTransform } from './aes-gcm-transform.js';
import { CounterKeystream, xorInto } from './counter-keystream.js';
import { GcmRtpKeystream } from './gcm-rtp-keystream.js';
import { Ghash } from './ghash.js';
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
  /** GHASH input, AAD || 0* || ciphertext || 0* || lengths, as contiguous blocks (SP 800-38D 7.1). */
  private blocks = new Int32Array(64);
  private blockBytes = new Uint8Array(this.blocks.buffer);
  /** The RTP path's staged GHASH input: header, zero padding, payload (see `stage`). */
  private stageWords = new Int32Array(512);
  private stageBytes = new Uint8Array(this.stageWords.buffer);
  private readonly lengthProducts = new Map<number, Int32Array>();
  private readonly tagWords = new Int32Array(4);
  private readonly tag = new Uint8Array(this.tagWords.buffer);
  private readonly rtcpAad = new Uint8Array(12);

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
   * The GCM tag (SP 800-38D 7.1) with `aad` as associated data and `buf[cStart, cStart + cLength)`
   * as ciphertext: GHASH over both, zero-padded, and the lengths block, XOR E(K, J0) from
   * `mask[maskAt, maskAt + 16)`. One GHASH call over contiguous blocks lets it aggregate them all.
   */
  private tagOf(
    g: Ghash,
    aad: Uint8Array,
    buf: Uint8Array,
    cStart: number,
    cLength: number,
    mask: Uint8Array,
    maskAt: number,
  ): Uint8Array {
    const aadBlocks = (aad.length + 15) >>> 4;
    const total = aadBlocks + ((cLength + 15) >>> 4) + 1;
    if (this.blocks.length < total * 4) {
      this.blocks = new Int32Array(total * 4);
      this.blockBytes = new Uint8Array(this.blocks.buffer);
    }
    const bytes = this.blockBytes;
    bytes.fill(0, 0, total * 16);
    bytes.set(aad, 0);
    bytes.set(buf.subarray(cStart, cStart + cLength), aadBlocks * 16);
    const lengths = (total - 1) * 16;
    writeU32(bytes, lengths + 4, aad.length * 8);
    writeU32(bytes, lengths + 12, cLength * 8);
    g.reset();
    g.update(this.blocks, 0, total);
    const t = this.blocks;
    t[0] = g.y0;
    t[1] = g.y1;
    t[2] = g.y2;
    t[3] = g.y3;
    for (let i = 0; i < 16; i++) this.tag[i] = bytes[i]! ^ mask[maskAt + i]!;
    return this.tag;
  }

  /**
   * Copies the RTP header zero-padded to whole blocks, then the payload, into the stage; returns
   * where the payload starts. GCM's GHASH input (SP 800-38D 7.1) then begins at byte 0.
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

  /** XORs the packet's CTR keystream (after its J0 block) over the staged payload, word by word. */
  private cryptStaged(at: number, payload: number): void {
    const d = this.stageWords;
    const k = this.rtpKeystream.words;
    const from = at >>> 2;
    const ks = (this.rtpKeystream.offset + 16) >>> 2;
    const words = (payload + 3) >>> 2;
    for (let i = 0; i < words; i++) d[from + i]! ^= k[ks + i]!;
  }

  /**
   * The RTP tag (SP 800-38D 7.1): GHASH over the staged header and ciphertext, XOR E(K, J0). The
   * lengths block L is public, so instead of hashing it the GHASH multiplies by H once more for free
   * and L * H comes from a cache keyed by the two lengths (see Ghash.update).
   */
  private rtpTag(at: number, headerLength: number, payload: number): Uint8Array {
    const lengthsTimesH = this.lengthsTimesH(headerLength, payload);
    const end = at + ((payload + 15) & ~15);
    this.stageBytes.fill(0, at + payload, end);
    const g = this.rtpGhash;
    g.reset();
    g.update(this.stageWords, 0, end >>> 4, 1);
    const mask = this.rtpKeystream.words;
    const m = this.rtpKeystream.offset >>> 2;
    this.tagWords[0] = g.y0 ^ lengthsTimesH[0]! ^ mask[m]!;
    this.tagWords[1] = g.y1 ^ lengthsTimesH[1]! ^ mask[m + 1]!;
    this.tagWords[2] = g.y2 ^ lengthsTimesH[2]! ^ mask[m + 2]!;
    this.tagWords[3] = g.y3 ^ lengthsTimesH[3]! ^ mask[m + 3]!;
    return this.tag;
  }

  /** L * H for L = [8 headerLength]64 || [8 payload]64, in host words; the cache key is public. */
  private lengthsTimesH(headerLength: number, payload: number): Int32Array {
    // RTP headers are shorter than 2^19 bytes (RFC 3550 5.1, RFC 8285: at most 12 + 60 + 4 + 4 * 65535).
    const key = headerLength * 0x100000000 + payload;
    let value = this.lengthProducts.get(key);
    if (!value) {
      const block = new Uint8Array(16);
      writeU32(block, 4, headerLength * 8);
      writeU32(block, 12, payload * 8);
      const g = this.rtpGhash;
      g.reset();
      g.update(new Int32Array(block.buffer), 0, 1);
      value = Int32Array.of(g.y0, g.y1, g.y2, g.y3);
      if (this.lengthProducts.size >= MAX_LENGTH_PRODUCTS) this.lengthProducts.clear();
      this.lengthProducts.set(key, value);
    }
    return value;
  }

  protectRtp(packet: Uint8Array, headerLength: number, ssrc: number, roc: number, seq: number): Uint8Array {
    const n = packet.length;
    const payload = n - headerLength;
    if (payload > this.maxJsPayload) return this.native.protectRtp(packet, headerLength, ssrc, roc, seq);
    this.rtpKeystream.find(ssrc, roc, seq, 1 + ((payload + 15) >>> 4));
    const at = this.stage(packet, headerLength, payload);
    this.cryptStaged(at, payload);
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
    this.cryptStaged(at, payload);
    const out = Buffer.allocUnsafe(n);
    out.set(packet.subarray(0, headerLength), 0);
    out.set(this.stageBytes.subarray(at, at + payload), headerLength);
    // The caller owns the plaintext now; the long-lived stage keeps no copy of it.
    this.stageBytes.fill(0, at, at + payload + 4);
    return out;
  }

  /** RFC 7714 9.2: the AAD is the first 8 octets || the ESRTCP word (E flag and index). */
  private rtcpAadOf(packet: Uint8Array, word: number): Uint8Array {
    this.rtcpAad.set(packet.subarray(0, 8), 0);
    writeU32(this.rtcpAad, 8, word);
    return this.rtcpAad;
  }

  protectRtcp(packet: Uint8Array, ssrc: number, index: number): Uint8Array {
    const n = packet.length;
    const payload = n - 8;
    if (payload > this.maxJsPayload) return this.native.protectRtcp(packet, ssrc, index);
    // Layout: header(8) | ciphertext | tag | ESRTCP word.
    const out = Buffer.allocUnsafe(n + TAG + SRTCP_INDEX_LENGTH);
    out.set(packet);
    const word = (0x80000000 | index) >>> 0;
    const ks = this.rtcpKeys(ssrc, index, payload);
    xorInto(out, 8, ks, 16, payload);
    out.set(this.tagOf(this.rtcpGhash, this.rtcpAadOf(packet, word), out, 8, payload, ks, 0), n);
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
    const ks = this.rtcpKeys(ssrc, word & 0x7fffffff, payload);
    const tag = this.tagOf(this.rtcpGhash, this.rtcpAadOf(packet, word), packet, 8, payload, ks, 0);
    if (!tagsEqual(tag, 0, packet, n, TAG)) return undefined;
    const out = Buffer.allocUnsafe(n);
    out.set(packet.subarray(0, n));
    xorInto(out, 8, ks, 16, payload);
    return out;
  }
}

/** H = E(K, 0^128) (SP 800-38D 6.4). */
function hashSubkey(ks: CounterKeystream): Uint8Array {
  return Uint8Array.from(ks.generate(0, 0, 0, 0, 0, 1));
}
