import type { HandshakeFragment } from './fragment.js';

export interface HandshakeMessage {
  msgType: number;
  /** Epoch of the record that carried the first fragment; Finished must come protected. */
  epoch: number;
  messageSeq: number;
  body: Buffer;
}

export interface ReassemblerLimits {
  /** Largest handshake message accepted (certificate chains are the big ones). */
  maxMessageSize: number;
  /** How far ahead of the next expected message_seq we buffer. */
  maxMessagesAhead: number;
  /** Bound on fragment ranges tracked per message, so tiny overlapping fragments cannot blow up memory. */
  maxRangesPerMessage: number;
}

export const DEFAULT_REASSEMBLER_LIMITS: ReassemblerLimits = {
  maxMessageSize: 32 * 1024,
  maxMessagesAhead: 8,
  maxRangesPerMessage: 64,
};

interface Partial {
  msgType: number;
  epoch: number;
  buffer: Buffer;
  /** Disjoint, sorted [start, end) ranges received so far. */
  ranges: Array<[number, number]>;
}

export type FragmentVerdict = 'accepted' | 'old' | 'dropped';

/**
 * Rebuilds handshake messages from fragments that may arrive out of order, duplicated or
 * overlapping (RFC 6347 4.2.2), and hands them out strictly in message_seq order.
 */
export class HandshakeReassembler {
  private nextSeq = 0;
  private readonly partials = new Map<number, Partial>();

  constructor(private readonly limits: ReassemblerLimits = DEFAULT_REASSEMBLER_LIMITS) {}

  get expectedSeq(): number {
    return this.nextSeq;
  }

  /** Used after a stateless cookie exchange: the server's first stateful message_seq is the client's. */
  setExpectedSeq(seq: number): void {
    this.nextSeq = seq;
    for (const k of this.partials.keys()) if (k < seq) this.partials.delete(k);
  }

  get bufferedBytes(): number {
    let n = 0;
    for (const p of this.partials.values()) n += p.buffer.length;
    return n;
  }

  get bufferedMessages(): number {
    return this.partials.size;
  }

  /** 'old' means a retransmission of something already delivered, which RFC 6347 4.2.4 reacts to. */
  add(f: HandshakeFragment, epoch: number): FragmentVerdict {
    if (f.messageSeq < this.nextSeq) return 'old';
    if (f.messageSeq >= this.nextSeq + this.limits.maxMessagesAhead) return 'dropped';
    if (f.length > this.limits.maxMessageSize) return 'dropped';
    let p = this.partials.get(f.messageSeq);
    if (!p) {
      p = { msgType: f.msgType, epoch, buffer: Buffer.alloc(f.length), ranges: [] };
      this.partials.set(f.messageSeq, p);
    }
    if (p.msgType !== f.msgType || p.buffer.length !== f.length || p.epoch !== epoch) return 'dropped';
    const start = f.fragmentOffset;
    const end = start + f.body.length;
    if (end > p.buffer.length) return 'dropped';
    if (end === start && f.length !== 0) return 'dropped';
    if (!insertRange(p.ranges, start, end, this.limits.maxRangesPerMessage)) return 'dropped';
    f.body.copy(p.buffer, start);
    return 'accepted';
  }

  /** The next complete message in order, if there is one. */
  next(): HandshakeMessage | undefined {
    const p = this.partials.get(this.nextSeq);
    if (!p) return undefined;
    const complete =
      p.buffer.length === 0 ||
      (p.ranges.length === 1 && p.ranges[0]![0] === 0 && p.ranges[0]![1] === p.buffer.length);
    if (!complete) return undefined;
    this.partials.delete(this.nextSeq);
    const msg = { msgType: p.msgType, epoch: p.epoch, messageSeq: this.nextSeq, body: p.buffer };
    this.nextSeq++;
    return msg;
  }
}

/** Merges [start, end) into sorted disjoint ranges; false when the range budget is exhausted. */
function insertRange(ranges: Array<[number, number]>, start: number, end: number, max: number): boolean {
  let i = 0;
  while (i < ranges.length && ranges[i]![1] < start) i++;
  let s = start;
  let e = end;
  let j = i;
  while (j < ranges.length && ranges[j]![0] <= e) {
    s = Math.min(s, ranges[j]![0]);
    e = Math.max(e, ranges[j]![1]);
    j++;
  }
  if (j === i && ranges.length >= max) return false;
  ranges.splice(i, j - i, [s, e]);
  return true;
}
