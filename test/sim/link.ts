import type { SeededRandom } from './random.js';

/**
 * One direction of a link. Every field is optional; an empty config is a perfect link with no
 * delay. Impairments apply in the order a real path applies them: MTU, bottleneck queue, random
 * loss, propagation delay with jitter and reordering, then duplication.
 */
export interface LinkConfig {
  /** One-way propagation delay in ms. */
  delayMs?: number;
  /** Extra delay drawn uniformly from [0, jitterMs]; large jitter reorders datagrams too. */
  jitterMs?: number;
  /** Probability in [0, 1] that a datagram is lost, drawn from the link's seeded generator. */
  loss?: number;
  /**
   * Explicit loss pattern, applied instead of `loss`: entry i (cycled) says whether the i-th
   * datagram that reaches this stage is dropped. `[false, true]` drops every second datagram.
   */
  lossPattern?: readonly boolean[];
  /** Probability that a datagram is delivered twice. */
  duplicate?: number;
  /** Probability that a datagram is held back by `reorderDelayMs`, so later ones overtake it. */
  reorder?: number;
  /** Extra delay of a reordered datagram (default 10 ms). */
  reorderDelayMs?: number;
  /** Largest UDP payload the link carries, in bytes; larger datagrams are dropped (no fragmentation). */
  mtu?: number;
  /** Bottleneck rate in bits per second; datagrams queue behind each other. */
  bandwidthBps?: number;
  /** Bytes the bottleneck queue holds before tail-dropping (default 64 KiB). Needs `bandwidthBps`. */
  queueBytes?: number;
}

export interface LinkStats {
  /** Datagrams offered to the link. */
  sent: number;
  /** Copies scheduled for delivery (duplicates count twice). */
  delivered: number;
  droppedLoss: number;
  droppedMtu: number;
  droppedQueue: number;
  duplicated: number;
  reordered: number;
}

const DEFAULT_QUEUE_BYTES = 64 * 1024;
const DEFAULT_REORDER_DELAY_MS = 10;

/** One direction of a link: decides whether and when each datagram comes out the far end. */
export class Link {
  readonly stats: LinkStats = {
    sent: 0,
    delivered: 0,
    droppedLoss: 0,
    droppedMtu: 0,
    droppedQueue: 0,
    duplicated: 0,
    reordered: 0,
  };
  private busyUntil = 0;
  private patternIndex = 0;

  constructor(
    public config: LinkConfig,
    private readonly random: SeededRandom,
  ) {}

  /** Arrival times at the far end for a datagram of `size` bytes entering at `now`: none if dropped. */
  transmit(now: number, size: number): number[] {
    const c = this.config;
    this.stats.sent++;
    if (c.mtu !== undefined && size > c.mtu) {
      this.stats.droppedMtu++;
      return [];
    }
    let departure = now;
    if (c.bandwidthBps !== undefined && c.bandwidthBps > 0) {
      const msPerByte = 8000 / c.bandwidthBps;
      const start = Math.max(now, this.busyUntil);
      const backlogBytes = (start - now) / msPerByte;
      if (backlogBytes + size > (c.queueBytes ?? DEFAULT_QUEUE_BYTES)) {
        this.stats.droppedQueue++;
        return [];
      }
      this.busyUntil = start + size * msPerByte;
      departure = this.busyUntil;
    }
    if (this.isLost()) {
      this.stats.droppedLoss++;
      return [];
    }
    const arrival = departure + this.propagation();
    const out = [arrival];
    if (c.duplicate !== undefined && this.random.chance(c.duplicate)) {
      this.stats.duplicated++;
      out.push(departure + this.propagation());
    }
    this.stats.delivered += out.length;
    return out;
  }

  private isLost(): boolean {
    const pattern = this.config.lossPattern;
    if (pattern && pattern.length > 0) {
      const lost = pattern[this.patternIndex % pattern.length]!;
      this.patternIndex++;
      return lost;
    }
    return this.config.loss !== undefined && this.random.chance(this.config.loss);
  }

  private propagation(): number {
    const c = this.config;
    let delay = c.delayMs ?? 0;
    if (c.jitterMs) delay += this.random.next() * c.jitterMs;
    if (c.reorder !== undefined && this.random.chance(c.reorder)) {
      this.stats.reordered++;
      delay += c.reorderDelayMs ?? DEFAULT_REORDER_DELAY_MS;
    }
    return delay;
  }
}
