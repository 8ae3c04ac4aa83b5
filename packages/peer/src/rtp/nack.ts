import type { RtcpNackItem } from '@purertc/srtp';

/** RFC 4585 6.2.1: sequence numbers as PID + BLP items (each covers PID and the 16 after it). */
export function nackItemsFromSequences(sequences: readonly number[]): RtcpNackItem[] {
  const items: RtcpNackItem[] = [];
  let current: RtcpNackItem | undefined;
  for (const raw of sequences) {
    const seq = raw & 0xffff;
    const offset = current ? (seq - current.packetId) & 0xffff : 0;
    if (current && offset >= 1 && offset <= 16) {
      current.lostBitmask |= 1 << (offset - 1);
      continue;
    }
    if (current && offset === 0) continue;
    current = { packetId: seq, lostBitmask: 0 };
    items.push(current);
  }
  return items;
}

/** The sequence numbers a generic NACK names (RFC 4585 6.2.1: bit i of BLP is PID + i + 1). */
export function sequencesFromNackItems(items: readonly RtcpNackItem[]): number[] {
  const out: number[] = [];
  for (const item of items) {
    out.push(item.packetId & 0xffff);
    for (let bit = 0; bit < 16; bit++) {
      if (item.lostBitmask & (1 << bit)) out.push((item.packetId + bit + 1) & 0xffff);
    }
  }
  return out;
}

export interface NackGeneratorOptions {
  /** How many times one sequence number is asked for before giving up. */
  maxRetries?: number;
  /** How long (ms) a gap is worth asking for. */
  maxAgeMs?: number;
  /** Gaps larger than this are treated as a stream jump, not loss. */
  maxGap?: number;
  /** Pacing floor when no RTT is known yet (ms). */
  minIntervalMs?: number;
}

interface Missing {
  firstSeen: number;
  lastRequested: number | undefined;
  tries: number;
}

/**
 * Receiver-side NACK generation (RFC 4585 6.2.1) for one SSRC: remembers gaps in the sequence,
 * asks for each at most once per RTT, and forgets it after a few tries or when too old to help.
 */
export class NackGenerator {
  readonly #maxRetries: number;
  readonly #maxAgeMs: number;
  readonly #maxGap: number;
  readonly #minIntervalMs: number;
  readonly #missing = new Map<number, Missing>();
  #highest: number | undefined;
  /** Sequences given up on (counted for diagnostics). */
  abandoned = 0;

  constructor(options: NackGeneratorOptions = {}) {
    this.#maxRetries = options.maxRetries ?? 10;
    this.#maxAgeMs = options.maxAgeMs ?? 1000;
    this.#maxGap = options.maxGap ?? 500;
    this.#minIntervalMs = options.minIntervalMs ?? 20;
  }

  get missingCount(): number {
    return this.#missing.size;
  }

  /** Whether this sequence number is a gap still being asked for. */
  isMissing(sequenceNumber: number): boolean {
    return this.#missing.has(sequenceNumber & 0xffff);
  }

  /** A packet (original or recovered) arrived. */
  onPacket(sequenceNumber: number, now: number): void {
    const seq = sequenceNumber & 0xffff;
    this.#missing.delete(seq);
    if (this.#highest === undefined) {
      this.#highest = seq;
      return;
    }
    const delta = (seq - this.#highest) & 0xffff;
    if (delta === 0 || delta >= 0x8000) return; // late or duplicate
    if (delta - 1 > this.#maxGap) {
      this.#missing.clear();
    } else {
      for (let s = (this.#highest + 1) & 0xffff; s !== seq; s = (s + 1) & 0xffff) {
        this.#missing.set(s, { firstSeen: now, lastRequested: undefined, tries: 0 });
      }
    }
    this.#highest = seq;
  }

  /**
   * The sequence numbers to NACK now, in order; each is re-requested only after `rttMs` (or the
   * floor) since its last request.
   */
  poll(now: number, rttMs: number | undefined): number[] {
    const interval = Math.max(this.#minIntervalMs, rttMs ?? 100);
    const out: number[] = [];
    for (const [seq, m] of this.#missing) {
      if (m.tries >= this.#maxRetries || now - m.firstSeen > this.#maxAgeMs) {
        this.#missing.delete(seq);
        this.abandoned++;
        continue;
      }
      if (m.lastRequested === undefined || now - m.lastRequested >= interval) {
        m.lastRequested = now;
        m.tries++;
        out.push(seq);
      }
    }
    return out;
  }

  /** When poll() next has something to do (ms), or undefined with nothing missing. */
  nextDeadline(rttMs: number | undefined): number | undefined {
    const interval = Math.max(this.#minIntervalMs, rttMs ?? 100);
    let at: number | undefined;
    for (const m of this.#missing.values()) {
      const t = m.lastRequested === undefined ? m.firstSeen : m.lastRequested + interval;
      if (at === undefined || t < at) at = t;
    }
    return at;
  }
}
