/**
 * The retransmission schedule of a STUN client transaction over UDP (RFC 8489 section 6.2.1):
 * send at 0, RTO, 3 RTO, 7 RTO ... up to Rc transmissions, then wait Rm * RTO for a last answer.
 * Sans-I/O: the owner calls `poll(now)` at `deadline` and resends when told to.
 */
export class StunRetransmitTimer {
  private transmissions = 1;
  private interval: number;
  deadline: number;

  constructor(
    now: number,
    private readonly rto = 500,
    private readonly maxTransmissions = 7,
    private readonly finalWaitFactor = 16,
  ) {
    this.interval = rto;
    this.deadline = now + rto;
  }

  /** 'retransmit' when the request must be sent again, 'timeout' when the transaction failed. */
  poll(now: number): 'retransmit' | 'timeout' | undefined {
    if (now < this.deadline) return undefined;
    if (this.transmissions >= this.maxTransmissions) return 'timeout';
    this.transmissions++;
    this.interval *= 2;
    this.deadline =
      now + (this.transmissions === this.maxTransmissions ? this.rto * this.finalWaitFactor : this.interval);
    return 'retransmit';
  }
}
