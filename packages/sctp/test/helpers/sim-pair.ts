import { type LinkConfig, SimNetwork, type SimSocket } from '@purertc/test/sim';
import { type AssociationEvent, type AssociationOptions, SctpAssociation } from '../../src/index.js';
import { seededRandom } from './pair.js';

export type MessageEvent = Extract<AssociationEvent, { type: 'message' }> & { at: number };

/** Two associations on two hosts of test/sim, each direction through `link`. */
export class SimPair {
  readonly net: SimNetwork;
  readonly a: SctpAssociation;
  readonly b: SctpAssociation;
  readonly eventsA: (AssociationEvent & { at?: number })[] = [];
  readonly eventsB: (AssociationEvent & { at?: number })[] = [];
  private readonly sockA: SimSocket;
  private readonly sockB: SimSocket;
  maxPacketSize = 0;

  constructor(link: LinkConfig, seed = 1, opts: Partial<AssociationOptions> = {}) {
    this.net = new SimNetwork({ seed });
    const ha = this.net.addHost({ address: '192.0.2.1', uplink: link });
    const hb = this.net.addHost({ address: '192.0.2.2', uplink: link });
    this.a = new SctpAssociation({ random: seededRandom(seed * 2 + 1), ...opts });
    this.b = new SctpAssociation({ random: seededRandom(seed * 2 + 2), ...opts });
    this.sockA = ha.bind((d, now) => this.feed(this.a, d.data, now), { port: 5000 });
    this.sockB = hb.bind((d, now) => this.feed(this.b, d.data, now), { port: 5000 });
    for (const assoc of [this.a, this.b]) {
      this.net.addTimerNode({
        nextDeadline: () => assoc.nextDeadline(),
        handleTimeout: (now) => {
          assoc.handleTimeout(now);
          this.drain();
        },
      });
    }
  }

  private feed(assoc: SctpAssociation, data: Uint8Array, now: number): void {
    assoc.handlePacket(data, now);
    this.drain();
  }

  drain(): void {
    const now = this.net.now;
    for (const [assoc, sock, to, events] of [
      [this.a, this.sockA, '192.0.2.2', this.eventsA],
      [this.b, this.sockB, '192.0.2.1', this.eventsB],
    ] as const) {
      for (let p = assoc.pollTransmit(now); p; p = assoc.pollTransmit(now)) {
        this.maxPacketSize = Math.max(this.maxPacketSize, p.length);
        sock.send(p, { host: to, port: 5000 });
      }
      for (let e = assoc.pollEvent(); e; e = assoc.pollEvent()) events.push({ ...e, at: now });
    }
  }

  connect(): boolean {
    this.a.connect(this.net.now);
    this.drain();
    return this.net.runUntil(() => this.a.state === 'established' && this.b.state === 'established', {
      timeoutMs: 30_000,
    });
  }

  /** Calls `produce(i, now)` every `intervalMs` of virtual time, `count` times. */
  pace(count: number, intervalMs: number, produce: (i: number, now: number) => void): void {
    let i = 0;
    let next = this.net.now;
    const remove = this.net.addTimerNode({
      nextDeadline: () => (i < count ? next : undefined),
      handleTimeout: (now) => {
        while (i < count && next <= now) {
          produce(i++, now);
          next += intervalMs;
        }
        this.drain();
        if (i >= count) remove();
      },
    });
  }

  messages(side: 'a' | 'b'): MessageEvent[] {
    return (side === 'a' ? this.eventsA : this.eventsB).filter(
      (e): e is MessageEvent => e.type === 'message',
    );
  }
}
