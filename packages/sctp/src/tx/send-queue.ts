import type { Fragment } from '../common/fragment.js';
import type { OutgoingMessage } from './outgoing-message.js';
import { StreamScheduler } from './stream-scheduler.js';

class OutgoingStream {
  readonly queue: OutgoingMessage[] = [];
  head = 0;
  bufferedAmount = 0;
  lowThreshold = 0;
  nextSsn = 0;
  nextOrderedMid = 0;
  nextUnorderedMid = 0;
  paused = false;

  get first(): OutgoingMessage | undefined {
    return this.queue[this.head];
  }

  shift(): void {
    this.queue[this.head] = undefined as unknown as OutgoingMessage;
    this.head++;
    // Compact rarely so shifting stays O(1) amortized.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  get length(): number {
    return this.queue.length - this.head;
  }
}

export type Produced =
  | { message: OutgoingMessage; fragment: Fragment; expired?: undefined }
  /** A partially sent message whose lifetime ended: the caller abandons it (RFC 3758 3.5). */
  | { expired: OutgoingMessage; message?: undefined; fragment?: undefined };

/**
 * Per-stream FIFOs of messages waiting to be cut into chunks (dcSCTP's RRSendQueue), with
 * per-stream buffered amounts and low-threshold notifications.
 */
export class SendQueue {
  private readonly streams = new Map<number, OutgoingStream>();
  private readonly scheduler = new StreamScheduler();
  /** With DATA, a message's fragments need consecutive TSNs: stay on its stream until its end. */
  private sticky: number | undefined;
  totalBuffered = 0;
  /** Streams whose buffered amount crossed to at or below their threshold. */
  readonly lowEvents: number[] = [];
  /** Messages dropped before any fragment was sent because their lifetime ended. */
  expiredBeforeSend = 0;

  constructor(private interleaving: boolean) {}

  private partialReliability = true;

  /** Decided by the handshake (RFC 3758): without it, sent data is never abandoned. */
  setPartialReliability(on: boolean): void {
    this.partialReliability = on;
  }

  /** Decided by the handshake (RFC 8260 I-DATA); set before anything is sent. */
  setInterleaving(on: boolean): void {
    this.interleaving = on;
  }

  private stream(id: number): OutgoingStream {
    let s = this.streams.get(id);
    if (!s) {
      s = new OutgoingStream();
      this.streams.set(id, s);
    }
    return s;
  }

  add(message: OutgoingMessage): void {
    const s = this.stream(message.streamId);
    s.queue.push(message);
    s.bufferedAmount += message.payload.length;
    this.totalBuffered += message.payload.length;
    if (!s.paused) this.scheduler.activate(message.streamId);
  }

  get isEmpty(): boolean {
    return this.totalBuffered === 0 && this.sticky === undefined && this.scheduler.isEmpty;
  }

  get hasDataToSend(): boolean {
    return !this.scheduler.isEmpty || this.sticky !== undefined;
  }

  bufferedAmount(streamId: number): number {
    return this.streams.get(streamId)?.bufferedAmount ?? 0;
  }

  setLowThreshold(streamId: number, bytes: number): void {
    this.stream(streamId).lowThreshold = bytes;
  }

  lowThreshold(streamId: number): number {
    return this.streams.get(streamId)?.lowThreshold ?? 0;
  }

  private consume(s: OutgoingStream, streamId: number, bytes: number): void {
    const before = s.bufferedAmount;
    s.bufferedAmount -= bytes;
    this.totalBuffered -= bytes;
    if (before > s.lowThreshold && s.bufferedAmount <= s.lowThreshold) this.lowEvents.push(streamId);
  }

  /**
   * Cuts the next fragment of at most `maxPayload` bytes, round-robin across streams. With
   * `fullPacketPayload` set, a message that would fit whole in a fresh packet is not split to
   * fill the end of this one (undefined is returned instead).
   */
  produce(now: number, maxPayload: number, fullPacketPayload = 0): Produced | undefined {
    for (;;) {
      const streamId = this.sticky ?? this.scheduler.peek();
      if (streamId === undefined) return undefined;
      const s = this.streams.get(streamId)!;
      const m = s.first;
      if (!m) {
        this.scheduler.deactivate(streamId);
        if (this.sticky === streamId) this.sticky = undefined;
        continue;
      }
      if (this.partialReliability && m.offset > 0 && m.expiresAt !== undefined && now >= m.expiresAt) {
        return { expired: m };
      }
      if (m.offset === 0) {
        if (m.expiresAt !== undefined && now >= m.expiresAt) {
          // RFC 3758 3.5 (timed reliability): never sent, so just dropped.
          m.abandoned = true;
          this.expiredBeforeSend++;
          s.shift();
          this.consume(s, streamId, m.payload.length);
          continue;
        }
        if (s.paused) {
          this.scheduler.deactivate(streamId);
          continue;
        }
        if (m.payload.length > maxPayload && m.payload.length <= fullPacketPayload) return undefined;
        if (m.unordered) m.mid = s.nextUnorderedMid++;
        else {
          m.ssn = s.nextSsn;
          s.nextSsn = (s.nextSsn + 1) & 0xffff;
          m.mid = s.nextOrderedMid++;
        }
      }
      const size = Math.min(maxPayload, m.payload.length - m.offset);
      const beginning = m.offset === 0;
      const end = m.offset + size === m.payload.length;
      const payload = beginning && end ? m.payload : m.payload.subarray(m.offset, m.offset + size);
      const fragment: Fragment = {
        streamId,
        ssn: m.unordered ? 0 : m.ssn,
        mid: m.mid >>> 0,
        fsn: m.nextFsn++,
        ppid: m.ppid,
        payload,
        unordered: m.unordered,
        beginning,
        end,
      };
      m.offset += size;
      this.consume(s, streamId, size);
      if (end) {
        s.shift();
        this.sticky = undefined;
        this.scheduler.rotate(streamId);
      } else if (this.interleaving) this.scheduler.rotate(streamId);
      else this.sticky = streamId;
      return { message: m, fragment };
    }
  }

  /**
   * Drops the unsent rest of a partially sent message that was abandoned (RFC 3758). Returns
   * true if some of it was still queued.
   */
  discardRest(m: OutgoingMessage): boolean {
    const s = this.streams.get(m.streamId);
    if (!s || s.first !== m || m.offset === 0 || m.offset >= m.payload.length) return false;
    this.consume(s, m.streamId, m.payload.length - m.offset);
    m.offset = m.payload.length;
    s.shift();
    if (this.sticky === m.streamId) this.sticky = undefined;
    return true;
  }

  /** RFC 6525 5.1.2: no new message may start on a stream being reset. */
  pause(streamIds: readonly number[]): void {
    for (const id of streamIds) this.stream(id).paused = true;
  }

  /** True when none of these streams is in the middle of a message. */
  canReset(streamIds: readonly number[]): boolean {
    for (const id of streamIds) {
      const m = this.streams.get(id)?.first;
      if (m && m.offset > 0 && m.offset < m.payload.length) return false;
      if (this.sticky === id) return false;
    }
    return true;
  }

  /** After the peer performed the reset: sequence numbers restart at 0 and sending resumes. */
  resetAndResume(streamIds: readonly number[], performed: boolean): void {
    for (const id of streamIds) {
      const s = this.stream(id);
      if (performed) {
        s.nextSsn = 0;
        s.nextOrderedMid = 0;
        s.nextUnorderedMid = 0;
      }
      s.paused = false;
      if (s.length > 0) this.scheduler.activate(id);
    }
  }

  /**
   * The peer restarted (RFC 9260 5.2.4 A): a partly sent message cannot be finished (its first
   * fragments went to the old association), so its rest is dropped; sequence numbers start over
   * and paused streams resume. Returns the ids of the messages dropped.
   */
  restart(): number[] {
    const dropped: number[] = [];
    this.sticky = undefined;
    for (const [id, s] of this.streams) {
      const m = s.first;
      if (m && m.offset > 0) {
        this.consume(s, id, m.payload.length - m.offset);
        m.offset = m.payload.length;
        s.shift();
        dropped.push(m.id);
      }
      s.nextSsn = 0;
      s.nextOrderedMid = 0;
      s.nextUnorderedMid = 0;
      s.paused = false;
      if (s.length > 0) this.scheduler.activate(id);
    }
    return dropped;
  }

  /** Drops every message queued on these streams (their channel is gone); returns how many. */
  discardStreams(streamIds: readonly number[]): number {
    let dropped = 0;
    for (const id of streamIds) {
      const s = this.streams.get(id);
      if (!s) continue;
      if (this.sticky === id) this.sticky = undefined;
      for (let m = s.first; m; m = s.first) {
        this.consume(s, id, m.payload.length - m.offset);
        m.offset = m.payload.length;
        s.shift();
        dropped++;
      }
    }
    return dropped;
  }

  /** Streams (among all known) with nothing queued. */
  isStreamEmpty(streamId: number): boolean {
    const s = this.streams.get(streamId);
    return !s || s.length === 0;
  }
}
