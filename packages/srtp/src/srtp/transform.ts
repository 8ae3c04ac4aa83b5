/**
 * The per-packet cryptography of one profile and one direction's session keys, with no state:
 * callers supply the ROC / SRTCP index. Each method returns the new packet, or `undefined` when
 * authentication fails. Headers must already be validated by the caller.
 */
export interface SrtpTransform {
  readonly rtpTagLength: number;
  readonly rtcpTagLength: number;
  protectRtp(packet: Uint8Array, headerLength: number, ssrc: number, roc: number, seq: number): Uint8Array;
  unprotectRtp(
    packet: Uint8Array,
    headerLength: number,
    ssrc: number,
    roc: number,
    seq: number,
  ): Uint8Array | undefined;
  /** Encrypts (E=1) and appends the SRTCP index word and tag. */
  protectRtcp(packet: Uint8Array, ssrc: number, index: number): Uint8Array;
  /** `packet` is the whole SRTCP packet; the E flag and index are read from it. */
  unprotectRtcp(packet: Uint8Array, ssrc: number): Uint8Array | undefined;
}

/** Constant-time comparison of `a[aAt..aAt+n)` with `b[bAt..bAt+n)`. */
export function tagsEqual(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, n: number): boolean {
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[aAt + i]! ^ b[bAt + i]!;
  return diff === 0;
}

/** Reads a big-endian 32-bit word. */
export function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}
