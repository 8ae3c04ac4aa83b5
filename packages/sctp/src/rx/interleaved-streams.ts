import type { IDataFragment, ReceivedMessage } from '../common/fragment.js';
import { Unwrapper } from '../common/serial.js';

interface PartialMessage {
  fragments: Map<number, IDataFragment>;
  endFsn: number | undefined;
  bytes: number;
  /** Highest TSN seen, so I-FORWARD-TSN-free cleanup by TSN stays possible. */
  maxTsn: number;
}

class Substream {
  readonly midUnwrapper = new Unwrapper(32);
  nextMid = 0;
  readonly messages = new Map<number, PartialMessage>();
  constructor() {
    this.midUnwrapper.reset(0);
  }
}

/**
 * Reassembly for I-DATA (RFC 8260 2.1): each (stream, unordered) pair has its own MID space and
 * a message is complete when FSN 0..end are all present.
 */
export class InterleavedStreams {
  private readonly subs = new Map<number, Substream>();

  constructor(
    private readonly deliver: (m: ReceivedMessage) => void,
    private readonly release: (bytes: number) => void,
  ) {}

  private sub(streamId: number, unordered: boolean): Substream {
    const key = streamId * 2 + (unordered ? 1 : 0);
    let s = this.subs.get(key);
    if (!s) {
      s = new Substream();
      this.subs.set(key, s);
    }
    return s;
  }

  add(tsn: number, f: IDataFragment): void {
    const s = this.sub(f.streamId, f.unordered);
    const mid = s.midUnwrapper.unwrap(f.mid);
    if (!f.unordered && mid < s.nextMid) {
      this.release(f.payload.length);
      return;
    }
    let m = s.messages.get(mid);
    if (!m) {
      m = { fragments: new Map(), endFsn: undefined, bytes: 0, maxTsn: tsn };
      s.messages.set(mid, m);
    }
    if (m.fragments.has(f.fsn)) {
      this.release(f.payload.length);
      return;
    }
    m.fragments.set(f.fsn, f);
    m.bytes += f.payload.length;
    m.maxTsn = Math.max(m.maxTsn, tsn);
    if (f.end) m.endFsn = f.fsn;
    if (f.unordered) {
      if (this.isComplete(m)) {
        s.messages.delete(mid);
        this.emit(m);
      }
    } else this.drain(s);
  }

  private isComplete(m: PartialMessage): boolean {
    return m.endFsn !== undefined && m.fragments.size === m.endFsn + 1 && m.fragments.has(0);
  }

  private emit(m: PartialMessage): void {
    const parts: IDataFragment[] = [];
    for (let i = 0; i <= m.endFsn!; i++) parts.push(m.fragments.get(i)!);
    const first = parts[0]!;
    this.release(m.bytes);
    this.deliver({
      streamId: first.streamId,
      ppid: first.ppid,
      payload: parts.length === 1 ? first.payload : Buffer.concat(parts.map((p) => p.payload)),
      unordered: first.unordered,
    });
  }

  private drain(s: Substream): void {
    for (;;) {
      const m = s.messages.get(s.nextMid);
      if (!m || !this.isComplete(m)) return;
      s.messages.delete(s.nextMid);
      s.nextMid++;
      this.emit(m);
    }
  }

  /** RFC 8260 2.3.1: skip messages up to `mid` on the listed (stream, unordered) pairs. */
  forward(
    newCumTsn: number,
    skipped: readonly { streamId: number; unordered: boolean; mid: number }[],
  ): void {
    for (const { streamId, unordered, mid } of skipped) {
      const s = this.sub(streamId, unordered);
      const u = s.midUnwrapper.unwrap(mid);
      for (const [k, m] of s.messages) {
        if (k <= u) {
          s.messages.delete(k);
          this.release(m.bytes);
        }
      }
      if (!unordered && u >= s.nextMid) s.nextMid = u + 1;
    }
    for (const s of this.subs.values()) {
      for (const [k, m] of s.messages) {
        if (m.maxTsn <= newCumTsn && !this.isComplete(m)) {
          s.messages.delete(k);
          this.release(m.bytes);
        }
      }
      this.drain(s);
    }
  }

  resetStreams(streams: readonly number[]): void {
    const keys = [...this.subs.keys()].filter((k) => streams.length === 0 || streams.includes(k >> 1));
    for (const k of keys) {
      for (const m of this.subs.get(k)!.messages.values()) this.release(m.bytes);
      this.subs.delete(k);
    }
  }
}
