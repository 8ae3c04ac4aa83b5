import type { DataFragment, ReceivedMessage } from '../common/fragment.js';
import { Unwrapper } from '../common/serial.js';

interface Stored {
  tsn: number;
  f: DataFragment;
}

/** Fragments of one ordered message, sorted by TSN (fragments of a DATA message have consecutive TSNs). */
class OrderedStream {
  readonly ssnUnwrapper = new Unwrapper(16);
  nextSsn = 0;
  /** Unwrapped SSN -> fragments. */
  readonly messages = new Map<number, Stored[]>();
}

/** Unordered fragments of one stream keyed by TSN; a message is a B..E run of consecutive TSNs. */
class UnorderedStream {
  readonly byTsn = new Map<number, DataFragment>();
}

export type Deliver = (m: ReceivedMessage) => void;

function assemble(parts: readonly DataFragment[]): ReceivedMessage {
  const first = parts[0]!;
  const payload = parts.length === 1 ? first.payload : concat(parts);
  return { streamId: first.streamId, ppid: first.ppid, payload, unordered: first.unordered };
}

/** One copy of the fragments into the message (no intermediate array of payloads). */
function concat(parts: readonly { payload: Buffer }[]): Buffer {
  let n = 0;
  for (const p of parts) n += p.payload.length;
  const out = Buffer.allocUnsafe(n);
  let o = 0;
  for (const p of parts) {
    p.payload.copy(out, o);
    o += p.payload.length;
  }
  return out;
}

function concatStored(list: readonly Stored[]): Buffer {
  let n = 0;
  for (const p of list) n += p.f.payload.length;
  const out = Buffer.allocUnsafe(n);
  let o = 0;
  for (const p of list) {
    p.f.payload.copy(out, o);
    o += p.f.payload.length;
  }
  return out;
}

/**
 * Reassembly for DATA (RFC 9260 6.5, 6.9): ordered messages are delivered by SSN, unordered ones
 * as soon as their TSN run from B to E is complete.
 */
export class TraditionalStreams {
  private readonly ordered = new Map<number, OrderedStream>();
  private readonly unordered = new Map<number, UnorderedStream>();

  constructor(
    private readonly deliver: Deliver,
    private readonly release: (bytes: number) => void,
  ) {}

  /** Returns the bytes now held (added, minus delivered ones are released through `release`). */
  add(tsn: number, f: DataFragment): void {
    if (f.unordered) this.addUnordered(tsn, f);
    else this.addOrdered(tsn, f);
  }

  private orderedStream(id: number): OrderedStream {
    let s = this.ordered.get(id);
    if (!s) {
      s = new OrderedStream();
      s.ssnUnwrapper.reset(0);
      this.ordered.set(id, s);
    }
    return s;
  }

  private addOrdered(tsn: number, f: DataFragment): void {
    const s = this.orderedStream(f.streamId);
    const ssn = s.ssnUnwrapper.unwrap(f.ssn);
    if (ssn < s.nextSsn) {
      // Already delivered or skipped by FORWARD-TSN: nothing to hold.
      this.release(f.payload.length);
      return;
    }
    if (ssn === s.nextSsn && f.beginning && f.end && !s.messages.has(ssn)) {
      // The common case, a whole message that is next in order: delivered without being stored.
      s.nextSsn++;
      this.release(f.payload.length);
      this.deliver({ streamId: f.streamId, ppid: f.ppid, payload: f.payload, unordered: false });
      if (s.messages.size > 0) this.drainOrdered(s);
      return;
    }
    let list = s.messages.get(ssn);
    if (!list) {
      list = [];
      s.messages.set(ssn, list);
    }
    let i = list.length;
    while (i > 0 && list[i - 1]!.tsn > tsn) i--;
    list.splice(i, 0, { tsn, f });
    this.drainOrdered(s);
  }

  private static complete(list: readonly Stored[]): boolean {
    const first = list[0];
    const last = list[list.length - 1];
    return (
      first !== undefined &&
      last !== undefined &&
      first.f.beginning &&
      last.f.end &&
      last.tsn - first.tsn + 1 === list.length
    );
  }

  private drainOrdered(s: OrderedStream): void {
    for (;;) {
      const list = s.messages.get(s.nextSsn);
      if (!list || !TraditionalStreams.complete(list)) return;
      s.messages.delete(s.nextSsn);
      s.nextSsn++;
      const first = list[0]!.f;
      const payload = list.length === 1 ? first.payload : concatStored(list);
      this.release(payload.length);
      this.deliver({ streamId: first.streamId, ppid: first.ppid, payload, unordered: false });
    }
  }

  private addUnordered(tsn: number, f: DataFragment): void {
    if (f.beginning && f.end) {
      this.release(f.payload.length);
      this.deliver(assemble([f]));
      return;
    }
    let s = this.unordered.get(f.streamId);
    if (!s) {
      s = new UnorderedStream();
      this.unordered.set(f.streamId, s);
    }
    s.byTsn.set(tsn, f);
    let start = tsn;
    while (!s.byTsn.get(start)!.beginning) {
      if (!s.byTsn.has(start - 1)) return;
      start--;
    }
    let end = tsn;
    while (!s.byTsn.get(end)!.end) {
      if (!s.byTsn.has(end + 1)) return;
      end++;
    }
    const parts: DataFragment[] = [];
    let bytes = 0;
    for (let t = start; t <= end; t++) {
      const p = s.byTsn.get(t)!;
      s.byTsn.delete(t);
      parts.push(p);
      bytes += p.payload.length;
    }
    if (s.byTsn.size === 0) this.unordered.delete(f.streamId);
    this.release(bytes);
    this.deliver(assemble(parts));
  }

  /**
   * RFC 3758 3.6: drop fragments at or below the new cumulative TSN and skip the listed ordered
   * SSNs, then deliver what became deliverable.
   */
  forward(newCumTsn: number, skipped: readonly { streamId: number; ssn: number }[]): void {
    for (const [id, s] of this.unordered) {
      for (const [t, f] of s.byTsn) {
        if (t <= newCumTsn) {
          s.byTsn.delete(t);
          this.release(f.payload.length);
        }
      }
      if (s.byTsn.size === 0) this.unordered.delete(id);
    }
    for (const { streamId, ssn } of skipped) {
      const s = this.orderedStream(streamId);
      const u = s.ssnUnwrapper.unwrap(ssn);
      for (const [k, list] of s.messages) {
        if (k <= u) {
          s.messages.delete(k);
          for (const p of list) this.release(p.f.payload.length);
        }
      }
      if (u >= s.nextSsn) s.nextSsn = u + 1;
    }
    // Complete messages after a skipped SSN may now be deliverable. Ordered messages on streams
    // not listed were not abandoned by the sender, so their fragments are kept.
    for (const s of this.ordered.values()) this.drainOrdered(s);
  }

  /** RFC 6525 5.2.2: the next SSN of these incoming streams (all when empty) is 0 again. */
  resetStreams(streams: readonly number[]): void {
    const ids = streams.length > 0 ? streams : [...this.ordered.keys()];
    for (const id of ids) {
      const s = this.ordered.get(id);
      if (!s) continue;
      for (const list of s.messages.values()) for (const p of list) this.release(p.f.payload.length);
      this.ordered.delete(id);
    }
  }
}
