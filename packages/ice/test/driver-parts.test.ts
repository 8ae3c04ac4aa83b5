import { createSocket, type Socket } from 'node:dgram';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IceAgent, StunAttr, StunClass, StunMessage, StunMessageBuilder } from '../src/index.js';
import { DeadlineTimer } from '../src/node/deadline-timer.js';
import type { DriverContext } from '../src/node/driver-context.js';
import { HostSockets } from '../src/node/host-sockets.js';
import { SrflxProbes, type StunAnswer } from '../src/node/srflx-probes.js';

describe('DeadlineTimer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires once at the deadline, keeps an unchanged one, moves to a new one, and stops', () => {
    vi.useFakeTimers();
    const fired: number[] = [];
    const timer = new DeadlineTimer(() => fired.push(Date.now()));
    const t0 = Date.now();
    timer.set(t0 + 100, t0);
    vi.advanceTimersByTime(50);
    timer.set(t0 + 100, t0 + 50); // same deadline: the running timer stays
    vi.advanceTimersByTime(50);
    expect(fired).toEqual([t0 + 100]);
    timer.set(t0 + 300, t0 + 100);
    timer.set(t0 + 200, t0 + 100); // an earlier deadline replaces the later one
    vi.advanceTimersByTime(200);
    expect(fired).toEqual([t0 + 100, t0 + 200]);
    timer.set(t0 + 400, t0 + 300);
    timer.set(undefined, t0 + 300); // nothing due: no timer left
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual([t0 + 100, t0 + 200]);
    timer.set(t0 + 1400, t0 + 1300);
    timer.clear();
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveLength(2);
  });
});

interface FakeServer {
  readonly socket: Socket;
  readonly port: number;
  readonly received: Buffer[];
  /** Resolves once `count` datagrams arrived, or rejects after a bounded wait. */
  receivedAtLeast(count: number): Promise<void>;
}

function udpServer(): Promise<FakeServer> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const received: Buffer[] = [];
    socket.on('message', (msg) => received.push(msg));
    const receivedAtLeast = (count: number) =>
      new Promise<void>((done, fail) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          socket.off('message', check);
          done();
        };
        const timer = setTimeout(() => {
          socket.off('message', check);
          fail(new Error(`timed out waiting for ${count} datagrams (got ${received.length})`));
        }, 5000);
        socket.on('message', check);
        check();
      });
    socket.bind(0, '127.0.0.1', () =>
      resolve({ socket, port: socket.address().port, received, receivedAtLeast }),
    );
  });
}

describe('SrflxProbes on a virtual clock', () => {
  async function setUp() {
    let now = 0;
    const agent = new IceAgent({ controlling: true });
    const ctx: DriverContext = { agent, now: () => now, isClosed: () => false, pump: () => {} };
    const hosts = new HostSockets();
    const answers: StunAnswer[] = [];
    const probes = new SrflxProbes(ctx, hosts, answers);
    const host = await hosts.bind('udp0', { interfaceName: 'lo', address: '127.0.0.1', family: 4 });
    if (!host) throw new Error('cannot bind 127.0.0.1');
    const consumed: boolean[] = [];
    hosts.add('udp0', host, (msg) => consumed.push(probes.consume(msg)));
    const server = await udpServer();
    return {
      agent,
      answers,
      probes,
      host,
      server,
      consumed,
      setNow: (t: number) => {
        now = t;
      },
      close: () => {
        hosts.close();
        server.socket.close();
      },
    };
  }

  it('retransmits a silent probe on the RFC 8489 section 6.2.1 schedule, then ends without a candidate', async () => {
    const s = await setUp();
    try {
      let finished = false;
      const done = s.probes
        .probe('udp0', '127.0.0.1', { host: '127.0.0.1', port: s.server.port })
        .then(() => {
          finished = true;
        });
      await s.server.receivedAtLeast(1);
      const deadlines: number[] = [];
      for (let at = s.probes.nextDeadline(); at !== undefined; at = s.probes.nextDeadline()) {
        deadlines.push(at);
        s.setNow(at);
        s.probes.handleTimeout(at);
      }
      // Rc = 7 transmissions, RTO 500 ms doubling, then Rm * RTO after the last one.
      expect(deadlines).toEqual([500, 1500, 3500, 7500, 15500, 31500, 39500]);
      await done;
      expect(finished).toBe(true);
      await s.server.receivedAtLeast(7);
      expect(s.server.received).toHaveLength(7);
      const ids = s.server.received.map((m) => StunMessage.parse(m).transactionId.toString('hex'));
      expect(new Set(ids).size).toBe(1);
      expect(s.answers).toEqual([]);
      expect(s.agent.localCandidateList).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('turns the answer into a srflx candidate and leaves every other datagram to the agent', async () => {
    const s = await setUp();
    try {
      const done = s.probes.probe('udp0', '127.0.0.1', { host: '127.0.0.1', port: s.server.port });
      await s.server.receivedAtLeast(1);
      const request = StunMessage.parse(s.server.received[0]!);
      const hostPort = s.host.address().port;
      // Arbitrary datagrams (and STUN with an unknown transaction) are not the prober's.
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
          expect(s.probes.consume(Buffer.from(bytes))).toBe(false);
        }),
      );
      const mapped = { address: '203.0.113.7', port: 40000 };
      const response = new StunMessageBuilder(
        request.method,
        StunClass.SuccessResponse,
        request.transactionId,
      )
        .addAddress(StunAttr.XorMappedAddress, mapped)
        .finish({ fingerprint: true });
      s.server.socket.send(response, hostPort, '127.0.0.1');
      await done;
      expect(s.consumed).toEqual([true]);
      expect(s.answers).toEqual([
        { socketId: 'udp0', server: { address: '127.0.0.1', port: s.server.port }, mapped },
      ]);
      const srflx = s.agent.localCandidateList.map((c) => [c.type, c.address, c.port, c.relatedAddress]);
      expect(srflx).toEqual([['srflx', mapped.address, mapped.port, '127.0.0.1']]);
      expect(s.probes.nextDeadline()).toBeUndefined();
      // The same answer again belongs to no probe any more.
      expect(s.probes.consume(response)).toBe(false);
    } finally {
      s.close();
    }
  });
});

describe('HostSockets', () => {
  it('gives no socket for an address this machine does not have', async () => {
    const hosts = new HostSockets();
    expect(await hosts.bind('udp0', { interfaceName: 'x', address: '192.0.2.1', family: 4 })).toBeUndefined();
    expect(hosts.size).toBe(0);
  });
});
