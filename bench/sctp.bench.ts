/**
 * SCTP: two associations connected back to back in memory (no DTLS), one reliable ordered stream.
 * purertc is driven synchronously on a virtual clock (a pending delayed-SACK timer fires at once
 * when nothing else can move); werift's SCTP runs on its own timers, its packets handed over in
 * microtasks. Cases send a batch of messages and wait until the receiver has all of them, so
 * MB/s and messages/s (ops/s x batch) compare directly. The 1 KiB cases at 100 and 1000 messages
 * per batch show whether throughput depends on how many messages are queued.
 */
import { crc32c, SctpAssociation } from '@purertc/sctp';
import { Event, RTCSctpTransport, crc32c as weriftCrc32c } from 'werift';
import { type BenchCase, defineSuite } from './harness.js';

class PurePair {
  readonly a = new SctpAssociation();
  readonly b = new SctpAssociation();
  now = 0;
  received = 0;

  constructor() {
    this.a.connect(0);
    this.pump(() => this.a.state === 'established' && this.b.state === 'established');
  }

  private drainEvents(): void {
    for (let e = this.b.pollEvent(); e; e = this.b.pollEvent()) if (e.type === 'message') this.received++;
    while (this.a.pollEvent());
  }

  /** Moves packets both ways until `done`; fires the earliest timer only when nothing moves. */
  pump(done: () => boolean): void {
    for (let guard = 0; guard < 10_000_000; guard++) {
      let moved = false;
      for (let p = this.a.pollTransmit(this.now); p; p = this.a.pollTransmit(this.now)) {
        this.b.handlePacket(p, this.now);
        moved = true;
      }
      for (let p = this.b.pollTransmit(this.now); p; p = this.b.pollTransmit(this.now)) {
        this.a.handlePacket(p, this.now);
        moved = true;
      }
      this.drainEvents();
      if (done()) return;
      if (!moved) {
        const d = Math.min(this.a.nextDeadline() ?? Infinity, this.b.nextDeadline() ?? Infinity);
        if (d === Infinity) throw new Error('stalled');
        this.now = Math.max(this.now, d);
        this.a.handleTimeout(this.now);
        this.b.handleTimeout(this.now);
      }
    }
    throw new Error('pump did not finish');
  }

  transfer(payload: Buffer, count: number): void {
    const target = this.received + count;
    for (let i = 0; i < count; i++) {
      const r = this.a.send(1, 53, payload, {}, this.now);
      if (r !== 'ok') throw new Error(`send refused: ${r} in state ${this.a.state}, ${i}/${count}`);
    }
    this.pump(() => this.received >= target);
  }
}

interface WeriftSctp {
  associationState: number;
  send(streamId: number, ppid: number, data: Buffer, opts?: { ordered?: boolean }): Promise<void>;
  onReceive: Event<[number, number, Buffer]>;
  stop(): Promise<void>;
}

class WeriftPair {
  private readonly ta: RTCSctpTransport;
  private readonly tb: RTCSctpTransport;
  received = 0;
  private waiter: { target: number; resolve: () => void } | undefined;

  constructor() {
    const dtlsA = fakeDtls('controlling');
    const dtlsB = fakeDtls('controlled');
    dtlsA.sendData = async (d: Buffer) => queueMicrotask(() => dtlsB.dataReceiver?.(d));
    dtlsB.sendData = async (d: Buffer) => queueMicrotask(() => dtlsA.dataReceiver?.(d));
    this.ta = new RTCSctpTransport(5000);
    this.tb = new RTCSctpTransport(5000);
    this.ta.setDtlsTransport(dtlsA as never);
    this.tb.setDtlsTransport(dtlsB as never);
    this.sctpB.onReceive.subscribe(() => {
      this.received++;
      if (this.waiter && this.received >= this.waiter.target) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve();
      }
    });
  }

  get sctpA(): WeriftSctp {
    return this.ta.sctp as unknown as WeriftSctp;
  }

  get sctpB(): WeriftSctp {
    return this.tb.sctp as unknown as WeriftSctp;
  }

  async start(): Promise<void> {
    const up = new Promise<void>((resolve) => this.ta.sctp.stateChanged.connected.subscribe(() => resolve()));
    void this.tb.start(5000);
    void this.ta.start(5000);
    await up;
  }

  async transfer(payload: Buffer, count: number): Promise<void> {
    const target = this.received + count;
    const done = new Promise<void>((resolve) => {
      this.waiter = { target, resolve };
    });
    for (let i = 0; i < count; i++) void this.sctpA.send(1, 53, payload, { ordered: true });
    await done;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.sctpA.stop(), this.sctpB.stop()]);
  }
}

function fakeDtls(role: string) {
  return {
    id: `bench-${role}`,
    onStateChange: new Event<[string]>(),
    iceTransport: { role },
    dataReceiver: ((_: Buffer) => {}) as ((d: Buffer) => void) | undefined,
    sendData: async (_: Buffer) => {},
  };
}

const weriftPairs: WeriftPair[] = [];

export default defineSuite({
  suite: 'sctp',
  cases: async () => {
    const cases: BenchCase[] = [];
    const kib64 = Buffer.alloc(64 * 1024, 1);
    const kib1 = Buffer.alloc(1024, 2);
    const batches: [string, Buffer, number][] = [
      ['64 KiB messages, reliable ordered (batch of 16)', kib64, 16],
      ['1 KiB messages, reliable ordered (batch of 100)', kib1, 100],
      ['1 KiB messages, reliable ordered (batch of 1000 queued)', kib1, 1000],
    ];
    for (const [name, payload, count] of batches) {
      const ours = new PurePair();
      cases.push({
        case: name,
        impl: 'purertc',
        bytesPerOp: payload.length * count,
        fn: () => ours.transfer(payload, count),
      });
      const theirs = new WeriftPair();
      await theirs.start();
      weriftPairs.push(theirs);
      cases.push({
        case: name,
        impl: 'werift',
        bytesPerOp: payload.length * count,
        fn: () => theirs.transfer(payload, count),
      });
    }
    const packet = Buffer.alloc(1200);
    for (let i = 0; i < packet.length; i++) packet[i] = (i * 7) & 0xff;
    cases.push({
      case: 'CRC32c over a 1200-byte packet',
      impl: 'purertc',
      bytesPerOp: 1200,
      fn: () => crc32c(packet),
    });
    cases.push({
      case: 'CRC32c over a 1200-byte packet',
      impl: 'werift',
      bytesPerOp: 1200,
      fn: () => weriftCrc32c(packet),
    });
    return cases;
  },
  teardown: async () => {
    for (const p of weriftPairs.splice(0)) await p.stop();
  },
});
