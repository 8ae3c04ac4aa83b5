/**
 * RFC 3711 3.3.1 / appendix A: the receiver's guess of the packet index from its 16-bit sequence
 * number, the highest sequence number seen `s_l` and the rollover counter `roc` that goes with it.
 * Returns the 48-bit index and the guessed ROC `v` (which may be roc - 1 for a packet from before
 * the last wrap, or roc + 1 for one after the next).
 */
export function estimateIndex(roc: number, highestSeq: number, seq: number): { index: number; v: number } {
  let v: number;
  if (highestSeq < 0x8000) {
    v = seq - highestSeq > 0x8000 ? roc - 1 : roc;
  } else {
    v = highestSeq - 0x8000 > seq ? roc + 1 : roc;
  }
  return { index: v * 0x10000 + seq, v };
}
