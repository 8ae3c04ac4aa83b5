import { createHash, hash } from 'node:crypto';

const BLOCK = 64;

/**
 * HMAC-SHA1 (RFC 2104) shaped for SRTP's per-packet cost: the inner hash is one native one-shot
 * `crypto.hash` over a buffer whose 64 bytes of headroom hold the key XOR ipad, and the outer
 * hash is a single SHA-1 compression in JS starting from the precomputed key XOR opad state. That
 * is one native call per packet instead of creating an HMAC object (RFC 3711 4.2.1).
 *
 * Why JS for the outer hash: `createHmac` per packet costs an object plus three native calls, and
 * even a reusable native hash needs a second call for the outer hash; 80 SHA-1 rounds in JS cost
 * less than that call. The JS part is constant-time: SHA-1 uses only 32-bit adds, rotates and
 * bitwise functions; the round-function choice branches on the round number, never on data; there
 * are no tables; the message schedule and state are indexed by loop counters only. Tested against
 * RFC 2202 and `createHmac` (property test) in test/hmac-sha1.test.ts, including a trace test that
 * the memory accesses do not depend on the key or message.
 */
export class HmacSha1 {
  /** Key XOR ipad, copied in front of each message. */
  readonly innerPad: Uint8Array;
  private readonly outerState = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly state = new Int32Array(5);

  constructor(key: Uint8Array) {
    let k = key;
    if (k.length > BLOCK) k = new Uint8Array(createHash('sha1').update(k).digest());
    this.innerPad = new Uint8Array(BLOCK);
    const outerPad = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      const b = k[i] ?? 0;
      this.innerPad[i] = b ^ 0x36;
      outerPad[i] = b ^ 0x5c;
    }
    this.outerState.set(SHA1_INIT);
    const view = new DataView(outerPad.buffer);
    for (let i = 0; i < 16; i++) this.w[i] = view.getInt32(i * 4);
    compress(this.outerState, this.w);
  }

  /**
   * Computes the MAC of `buf[start + 64, end)` where `buf[start, start + 64)` is free headroom
   * (overwritten with the inner pad), and writes the first `tagLength` bytes to `out` at `outAt`.
   * `out` may alias `buf` past `end`.
   */
  macWithHeadroom(
    buf: Uint8Array,
    start: number,
    end: number,
    out: Uint8Array,
    outAt: number,
    tagLength: number,
  ): void {
    buf.set(this.innerPad, start);
    const inner = oneShotSha1(buf.subarray(start, end));
    // The returned packet is a view into `buf`; never leave key material in its backing store.
    buf.fill(0, start, start + BLOCK);
    this.finish(inner, out, outAt, tagLength);
  }

  /** The same MAC for a message that is not laid out with headroom (slower: one more native call). */
  mac(message: Uint8Array, out: Uint8Array, outAt: number, tagLength: number): void {
    const inner = createHash('sha1').update(this.innerPad).update(message).digest();
    this.finish(inner, out, outAt, tagLength);
  }

  private finish(inner: Uint8Array, out: Uint8Array, outAt: number, tagLength: number): void {
    const w = this.w;
    for (let i = 0; i < 5; i++) {
      const o = i * 4;
      w[i] = (inner[o]! << 24) | (inner[o + 1]! << 16) | (inner[o + 2]! << 8) | inner[o + 3]!;
    }
    w[5] = 0x80000000;
    w.fill(0, 6, 15);
    // Outer message: 64 bytes of pad already compressed + 20 bytes of inner digest = 672 bits.
    w[15] = (BLOCK + 20) * 8;
    const s = this.state;
    s.set(this.outerState);
    compress(s, w);
    for (let i = 0; i < tagLength; i++) out[outAt + i] = (s[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
  }
}

const SHA1_INIT = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];

const oneShotSha1: (data: Uint8Array) => Uint8Array =
  typeof hash === 'function'
    ? (data) => hash('sha1', data, 'buffer')
    : (data) => createHash('sha1').update(data).digest();

/** One SHA-1 compression (FIPS 180-4 6.1.2) of the 16 words in `w[0..16)` into `s`. */
function compress(s: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  for (let t = 0; t < 80; t++) {
    let f: number;
    let k: number;
    if (t < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc | 0;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6 | 0;
    }
    const temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
}
