import { type AssociationEvent, type AssociationOptions, SctpAssociation } from '../../src/index.js';

/** Deterministic PRNG (mulberry32) so lossy runs repeat exactly. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRandom(seed: number): (n: number) => Buffer {
  const r = prng(seed);
  return (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
}

export interface LinkOptions {
  delayMs?: number;
  loss?: number;
  seed?: number;
  /** Drops packets for which this returns true (after loss). */
  filter?: (bytes: Buffer, from: 'a' | 'b') => boolean;
}

interface InFlight {
  at: number;
  seq: number;
  to: 'a' | 'b';
  bytes: Buffer;
}

/**
 * Two associations wired back to back in memory with a one-way delay and optional loss, on a
 * virtual clock. Used before and beside test/sim for focused protocol tests.
 */
export class Pair {
  readonly a: SctpAssociation;
  readonly b: SctpAssociation;
  now = 0;
  readonly eventsA: AssociationEvent[] = [];
  readonly eventsB: AssociationEvent[] = [];
  private readonly flight: InFlight[] = [];
  private seq = 0;
  private readonly rnd: () => number;
  sent = { a: 0, b: 0 };

  constructor(
    readonly link: LinkOptions = {},
    optsA: Partial<AssociationOptions> = {},
    optsB: Partial<AssociationOptions> = {},
  ) {
    this.a = new SctpAssociation({ random: seededRandom(1), ...optsA });
    this.b = new SctpAssociation({ random: seededRandom(2), ...optsB });
    this.rnd = prng(link.seed ?? 7);
  }

  connect(): void {
    this.a.connect(this.now);
    this.flush();
    this.runUntil(() => this.a.state === 'established' && this.b.state === 'established', 10_000);
  }

  flush(): void {
    for (const side of ['a', 'b'] as const) {
      const assoc = side === 'a' ? this.a : this.b;
      for (let p = assoc.pollTransmit(this.now); p; p = assoc.pollTransmit(this.now)) {
        this.sent[side]++;
        if (this.link.loss && this.rnd() < this.link.loss) continue;
        if (this.link.filter?.(p, side)) continue;
        this.flight.push({
          at: this.now + (this.link.delayMs ?? 10),
          seq: this.seq++,
          to: side === 'a' ? 'b' : 'a',
          bytes: p,
        });
      }
      const events = side === 'a' ? this.eventsA : this.eventsB;
      for (let e = assoc.pollEvent(); e; e = assoc.pollEvent()) events.push(e);
    }
  }

  /** Injects raw bytes into one side. */
  inject(to: 'a' | 'b', bytes: Buffer): void {
    (to === 'a' ? this.a : this.b).handlePacket(bytes, this.now);
    this.flush();
  }

  /** Advances the virtual clock to the next packet arrival or timer. Returns false if nothing is pending. */
  step(): boolean {
    let next = Number.POSITIVE_INFINITY;
    for (const f of this.flight) next = Math.min(next, f.at);
    const da = this.a.nextDeadline();
    const db = this.b.nextDeadline();
    if (da !== undefined) next = Math.min(next, da);
    if (db !== undefined) next = Math.min(next, db);
    if (next === Number.POSITIVE_INFINITY) return false;
    this.now = Math.max(this.now, next);
    const due = this.flight.filter((f) => f.at <= this.now).sort((x, y) => x.at - y.at || x.seq - y.seq);
    for (const f of due) this.flight.splice(this.flight.indexOf(f), 1);
    for (const f of due) {
      (f.to === 'a' ? this.a : this.b).handlePacket(f.bytes, this.now);
      this.flush();
    }
    if (da !== undefined && da <= this.now) this.a.handleTimeout(this.now);
    if (db !== undefined && db <= this.now) this.b.handleTimeout(this.now);
    this.flush();
    return true;
  }

  runUntil(done: () => boolean, maxMs: number): boolean {
    const end = this.now + maxMs;
    while (!done()) {
      if (this.now > end || !this.step()) return done();
    }
    return true;
  }

  messages(side: 'a' | 'b'): Extract<AssociationEvent, { type: 'message' }>[] {
    return (side === 'a' ? this.eventsA : this.eventsB).filter(
      (e): e is Extract<AssociationEvent, { type: 'message' }> => e.type === 'message',
    );
  }
}
