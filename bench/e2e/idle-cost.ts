/**
 * What an idle connection costs: opens N pairs in one process over loopback, each with an open
 * data channel, lets them settle, then measures over an idle window the process CPU, the
 * datagrams sent and the timer callbacks that ran, per peer connection per second.
 *
 *   npx tsx bench/e2e/idle-cost.ts [impl=purertc] [pairs=200] [settleSeconds=10] [idleSeconds=30]
 *
 * `impl` is purertc, werift, or floor: bare UDP sockets doing consent's traffic (see
 * `openFloorPair`), what Node itself charges for it. An empty process (pairs=0) shows the fixed
 * cost to subtract. The machine's other load shows in every figure: compare runs made together.
 *
 * For purertc it also counts, per layer (ICE agent, DTLS, SCTP), how often that layer's
 * `handleTimeout` ran while its own deadline was due, and how often it ran for nothing.
 * Context: an idle purertc connection owes one consent request every 4-6 s (RFC 7675 5.1), the
 * answers to the peer's, and one SCTP HEARTBEAT every 30 s plus RTO (RFC 9260 8.3).
 */
import { createSocket, Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { connectInProcess, type ImplName, type Peer } from './peers.js';

const impl = (process.argv[2] ?? 'purertc') as ImplName | 'floor';
const pairs = Number(process.argv[3] ?? 200);
const settleSeconds = Number(process.argv[4] ?? 10);
const idleSeconds = Number(process.argv[5] ?? 30);

const counters = { datagrams: 0, received: 0, timeouts: 0, immediates: 0, intervals: 0 };
let counting = false;

// Every datagram any stack sends goes through dgram's Socket.send.
const send = Socket.prototype.send;
Socket.prototype.send = function (this: Socket, ...args: Parameters<Socket['send']>) {
  if (counting) counters.datagrams++;
  return send.apply(this, args);
} as Socket['send'];

// Datagrams delivered to any socket's 'message' listeners.
const emit = Socket.prototype.emit;
Socket.prototype.emit = function (this: Socket, event: string | symbol, ...args: unknown[]) {
  if (counting && event === 'message') counters.received++;
  return emit.apply(this, [event, ...args] as Parameters<Socket['emit']>);
} as Socket['emit'];

// Timer callbacks that run: the wake-ups. Promises, I/O and microtasks are not counted.
const realSetTimeout = globalThis.setTimeout;
const realSetImmediate = globalThis.setImmediate;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) =>
  realSetTimeout(
    (...a: unknown[]) => {
      if (counting) counters.timeouts++;
      fn(...a);
    },
    ms,
    ...rest,
  )) as typeof setTimeout;
globalThis.setImmediate = ((fn: (...a: unknown[]) => void, ...rest: unknown[]) =>
  realSetImmediate(
    (...a: unknown[]) => {
      if (counting) counters.immediates++;
      fn(...a);
    },
    ...rest,
  )) as typeof setImmediate;

const realSetInterval = globalThis.setInterval;
globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) =>
  realSetInterval(
    (...a: unknown[]) => {
      if (counting) counters.intervals++;
      fn(...a);
    },
    ms,
    ...rest,
  )) as typeof setInterval;

interface LayerCount {
  due: number;
  early: number;
}
const layers: Record<string, LayerCount> = {};

/** Wraps `handleTimeout` of a layer's class to count runs with its deadline due and runs without. */
function countLayer(
  name: string,
  proto: { handleTimeout(now: number): void; nextDeadline(): number | undefined },
) {
  const count: LayerCount = { due: 0, early: 0 };
  layers[name] = count;
  const original = proto.handleTimeout;
  proto.handleTimeout = function (this: typeof proto, now: number) {
    if (counting) {
      const at = this.nextDeadline();
      if (at !== undefined && at <= now) count.due++;
      else count.early++;
    }
    original.call(this, now);
  };
}

async function instrumentPurertc(): Promise<void> {
  const { IceAgent } = await import('@purertc/ice');
  const { DtlsConnection } = await import('@purertc/dtls');
  const { SctpAssociation } = await import('@purertc/sctp');
  countLayer('ice', IceAgent.prototype);
  countLayer('dtls', DtlsConnection.prototype);
  countLayer('sctp', SctpAssociation.prototype as unknown as Parameters<typeof countLayer>[1]);
}

/** CPU ticks per thread name (Linux /proc), to tell the main thread from V8's and libuv's helpers. */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const t = Number(f[11]) + Number(f[12]);
      ticks.set(
        tid === String(process.pid) ? `${name}(main)` : name,
        (ticks.get(tid === String(process.pid) ? `${name}(main)` : name) ?? 0) + t,
      );
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return ticks;
}

/**
 * The floor: what Node itself charges for the traffic consent freshness needs. Each "connection"
 * is a bare UDP socket that sends 100 bytes every 4-6 s (a timer re-armed each time) to its
 * partner, which answers with 100 bytes: the same datagrams and timer callbacks per second as
 * consent (RFC 7675 5.1), with no protocol work at all.
 */
async function openFloorPair(): Promise<Peer> {
  const bind = (): Promise<Socket> =>
    new Promise((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1', () => resolve(s));
    });
  const [a, b] = await Promise.all([bind(), bind()]);
  const payload = Buffer.alloc(100, 1);
  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  for (const [i, self, other] of [
    [0, a, b],
    [1, b, a],
  ] as const) {
    const port = other.address().port;
    self.on('message', (msg, rinfo) => {
      if (msg[0] === 1) self.send(Buffer.alloc(100, 2), rinfo.port, rinfo.address);
    });
    const tick = (): void => {
      if (closed) return;
      self.send(payload, port, '127.0.0.1');
      timers[i] = setTimeout(tick, 4000 + Math.random() * 2000);
    };
    timers[i] = setTimeout(tick, 4000 + Math.random() * 2000);
  }
  const close = (): void => {
    closed = true;
    for (const t of timers) clearTimeout(t);
    a.close();
    b.close();
  };
  return { start: async () => {}, handle: async () => {}, channel: new Promise(() => {}), close };
}

async function main(): Promise<void> {
  if (impl === 'purertc') await instrumentPurertc();
  const open: Peer[] = [];
  const t0 = performance.now();
  if (impl === 'floor') {
    for (let i = 0; i < pairs; i++) {
      const p = await openFloorPair();
      open.push(p, { ...p, close: () => {} });
    }
  }
  for (let i = 0; impl !== 'floor' && i < pairs; i += 8) {
    const batch = Array.from({ length: Math.min(8, pairs - i) }, () => connectInProcess(impl, true));
    for (const p of await Promise.all(batch)) open.push(p.offerer, p.answerer);
  }
  const openSeconds = (performance.now() - t0) / 1000;
  await new Promise((r) => realSetTimeout(r, settleSeconds * 1000));
  counting = true;
  const threads0 = threadTicks();
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  await new Promise((r) => realSetTimeout(r, idleSeconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - w0) / 1000;
  counting = false;
  const threads = [...threadTicks()]
    .map(([name, t]) => [name, t - (threads0.get(name) ?? 0)] as const)
    .filter(([, t]) => t > 0)
    .map(([name, t]) => `${name} ${(t * 10) / seconds} ms/s`);
  const perConnSecond = (n: number): number => n / Math.max(1, open.length) / seconds;
  const cpuUs = cpu.user + cpu.system;
  const row = {
    impl,
    peerConnections: open.length,
    openSeconds: +openSeconds.toFixed(1),
    idleSeconds: +seconds.toFixed(1),
    cpuUsPerConnPerSecond: +perConnSecond(cpuUs).toFixed(2),
    userUsPerConnPerSecond: +perConnSecond(cpu.user).toFixed(2),
    systemUsPerConnPerSecond: +perConnSecond(cpu.system).toFixed(2),
    cpuPercentOfOneCore: +((cpuUs / 1e6 / seconds) * 100).toFixed(2),
    datagramsPerConnPerSecond: +perConnSecond(counters.datagrams).toFixed(3),
    receivedPerConnPerSecond: +perConnSecond(counters.received).toFixed(3),
    timerWakeupsPerConnPerSecond: +perConnSecond(
      counters.timeouts + counters.immediates + counters.intervals,
    ).toFixed(3),
    setTimeoutCallbacks: counters.timeouts,
    setImmediateCallbacks: counters.immediates,
    setIntervalCallbacks: counters.intervals,
    rssMiB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
  };
  console.log(JSON.stringify(row));
  console.log(`  CPU by thread (clock ticks of 10 ms): ${threads.join(', ')}`);
  if (impl === 'purertc') {
    for (const [name, c] of Object.entries(layers)) {
      console.log(
        `  ${name}.handleTimeout per conn per s: due ${perConnSecond(c.due).toFixed(3)}, not due ${perConnSecond(c.early).toFixed(3)}`,
      );
    }
  }
  for (const p of open) p.close();
  realSetTimeout(() => process.exit(0), 500);
}

void main();
