/**
 * Per-SSRC reception counters of RFC 3550 A.3: the extended highest sequence number and the
 * cumulative number of packets lost (expected minus received, which duplicates can make negative).
 */
export class ReceptionStats {
  #base = -1;
  #cycles = 0;
  #maxSeq = 0;
  #received = 0;

  /** Counts one packet with this 16-bit sequence number. */
  record(sequenceNumber: number): void {
    const seq = sequenceNumber & 0xffff;
    this.#received++;
    if (this.#base < 0) {
      this.#base = seq;
      this.#maxSeq = seq;
      return;
    }
    const delta = (seq - this.#maxSeq) & 0xffff;
    // RFC 3550 A.1: a forward jump of less than half the space is in order (possibly wrapping);
    // anything else is late or duplicate and leaves the highest number alone.
    if (delta !== 0 && delta < 0x8000) {
      if (seq < this.#maxSeq) this.#cycles += 0x10000;
      this.#maxSeq = seq;
    }
  }

  get packetsReceived(): number {
    return this.#received;
  }

  get extendedHighestSequenceNumber(): number {
    return this.#cycles + this.#maxSeq;
  }

  /** RFC 3550 6.4.1 cumulative number of packets lost. */
  get packetsLost(): number {
    if (this.#base < 0) return 0;
    return this.extendedHighestSequenceNumber - this.#base + 1 - this.#received;
  }
}
