import type { ReceivedMessage } from '../common/fragment.js';
import type { DataChunk } from '../packet/chunks/data.js';
import type { IDataChunk } from '../packet/chunks/idata.js';
import { InterleavedStreams } from './interleaved-streams.js';
import { TraditionalStreams } from './traditional-streams.js';

interface DeferredReset {
  senderLastTsn: number;
  streams: number[];
  held: { tsn: number; f: DataChunk | IDataChunk }[];
}

/**
 * Holds received fragments until their message is complete and deliverable, and accounts every
 * byte held so the advertised receive window (RFC 9260 6.2 a_rwnd) bounds memory.
 */
export class ReassemblyQueue {
  private readonly traditional: TraditionalStreams | undefined;
  private readonly interleaved: InterleavedStreams | undefined;
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
    if (interleaved) this.interleaved = new InterleavedStreams(deliver, release);
    else this.traditional = new TraditionalStreams(deliver, release);
  }

  get isFull(): boolean {
    return this.queuedBytes >= this.capacity;
  }

  get window(): number {
    return Math.max(0, this.capacity - this.queuedBytes);
  }

  /** The chunk is held as is (its payload is a view of the packet): no copy per fragment. */
  add(tsn: number, f: DataChunk | IDataChunk): void {
    this.queuedBytes += f.payload.length;
    const d = this.deferred;
    if (d && tsn > d.senderLastTsn && (d.streams.length === 0 || d.streams.includes(f.streamId))) {
      // RFC 6525 5.2.2: data after the reset point waits until the reset is performed.
      d.held.push({ tsn, f });
      return;
    }
    if (f.type === 'data') this.traditional?.add(tsn, f);
    else this.interleaved?.add(tsn, f);
  }

  /** Takes the messages completed so far. */
  drain(): ReceivedMessage[] {
    if (this.out.length === 0) return EMPTY;
    return this.out.splice(0, this.out.length);
  }

  forwardTsn(newCumTsn: number, skipped: readonly { streamId: number; ssn: number }[]): void {
    this.traditional?.forward(newCumTsn, skipped);
  }

  iforwardTsn(
    newCumTsn: number,
    skipped: readonly { streamId: number; unordered: boolean; mid: number }[],
  ): void {
    this.interleaved?.forward(newCumTsn, skipped);
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
    this.resetStreams(d.streams);
    for (const { tsn, f } of d.held) {
      this.queuedBytes -= f.payload.length;
      this.add(tsn, f);
    }
    return d;
  }

  resetStreams(streams: readonly number[]): void {
    this.traditional?.resetStreams(streams);
    this.interleaved?.resetStreams(streams);
  }
}

const EMPTY: ReceivedMessage[] = [];
