import type { Fragment, ReceivedMessage } from '../common/fragment.js';
import { InterleavedStreams } from './interleaved-streams.js';
import { TraditionalStreams } from './traditional-streams.js';

interface DeferredReset {
  senderLastTsn: number;
  streams: number[];
  held: { tsn: number; f: Fragment }[];
}

/**
 * Holds received fragments until their message is complete and deliverable, and accounts every
 * byte held so the advertised receive window (RFC 9260 6.2 a_rwnd) bounds memory.
 */
export class ReassemblyQueue {
  private readonly streams: TraditionalStreams | InterleavedStreams;
  private readonly out: ReceivedMessage[] = [];
  /** Payload bytes held (fragments not yet delivered, and data held for a deferred reset). */
  queuedBytes = 0;
  private deferred: DeferredReset | undefined;

  constructor(
    readonly capacity: number,
    interleaved: boolean,
  ) {
    const deliver = (m: ReceivedMessage) => this.out.push(m);
    const release = (n: number) => {
      this.queuedBytes -= n;
    };
    this.streams = interleaved
      ? new InterleavedStreams(deliver, release)
      : new TraditionalStreams(deliver, release);
  }

  get isFull(): boolean {
    return this.queuedBytes >= this.capacity;
  }

  get window(): number {
    return Math.max(0, this.capacity - this.queuedBytes);
  }

  add(tsn: number, f: Fragment): void {
    this.queuedBytes += f.payload.length;
    const d = this.deferred;
    if (d && tsn > d.senderLastTsn && (d.streams.length === 0 || d.streams.includes(f.streamId))) {
      // RFC 6525 5.2.2: data after the reset point waits until the reset is performed.
      d.held.push({ tsn, f });
      return;
    }
    this.streams.add(tsn, f);
  }

  /** Takes the messages completed so far. */
  drain(): ReceivedMessage[] {
    if (this.out.length === 0) return EMPTY;
    return this.out.splice(0, this.out.length);
  }

  forwardTsn(newCumTsn: number, skipped: readonly { streamId: number; ssn: number }[]): void {
    (this.streams as TraditionalStreams).forward(newCumTsn, skipped);
  }

  iforwardTsn(
    newCumTsn: number,
    skipped: readonly { streamId: number; unordered: boolean; mid: number }[],
  ): void {
    (this.streams as InterleavedStreams).forward(newCumTsn, skipped);
  }

  get hasDeferredReset(): boolean {
    return this.deferred !== undefined;
  }

  /** RFC 6525 5.2.2 "deferred reset processing" until the cumulative TSN reaches senderLastTsn. */
  deferReset(senderLastTsn: number, streams: number[]): void {
    this.deferred = { senderLastTsn, streams, held: [] };
  }

  /** Performs a deferred reset once `cumAck` has reached it; true when it did. */
  maybePerformDeferredReset(cumAck: number): DeferredReset | undefined {
    const d = this.deferred;
    if (!d || cumAck < d.senderLastTsn) return undefined;
    this.deferred = undefined;
    this.streams.resetStreams(d.streams);
    for (const { tsn, f } of d.held) {
      this.queuedBytes -= f.payload.length;
      this.add(tsn, f);
    }
    return d;
  }

  resetStreams(streams: readonly number[]): void {
    this.streams.resetStreams(streams);
  }
}

const EMPTY: ReceivedMessage[] = [];
