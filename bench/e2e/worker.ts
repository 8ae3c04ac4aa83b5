/**
 * A child process that runs one end-to-end measurement (or one end of one) and reports over IPC.
 * Started by `bench/e2e/spawn.ts`: `node --import tsx bench/e2e/worker.ts`. Every measurement runs
 * in a fresh process so one stack's leftovers (timers, sockets, garbage) never weigh on another's.
 */
import { runConnections } from './connections.js';
import {
  type Channel,
  connectInProcess,
  createPeer,
  type ImplName,
  type Signal,
  SignalQueue,
} from './peers.js';
import { runSfu } from './sfu.js';
import { byteCounter, sendAll } from './transfer.js';

export type Task =
  | { task: 'dc-loop'; impl: ImplName; messageSize: number; totalBytes: number; runs: number }
  | { task: 'dc-send'; impl: ImplName; messageSize: number; totalBytes: number }
  | { task: 'dc-recv'; impl: ImplName; totalBytes: number }
  | { task: 'setup'; impl: ImplName; trickle: boolean; count: number; warmup: number }
  | { task: 'connections'; impl: ImplName; seconds: number; maxPeerConnections: number; concurrency: number }
  | { task: 'sfu'; impl: ImplName; receivers: number; packetsPerSecond: number; seconds: number };

/** Parent to worker after the task: relayed signals and run commands. */
export type Command = { op: 'signal'; s: Signal } | { op: 'go' } | { op: 'exit' };

/** Worker to parent. */
export type Report =
  | { op: 'signal'; s: Signal }
  | { op: 'open' }
  | { op: 'armed' }
  | { op: 'done' }
  | { op: 'result'; result: unknown }
  | { op: 'error'; message: string };

const report = (r: Report): void => {
  process.send?.(r);
};

async function dcLoop(t: Extract<Task, { task: 'dc-loop' }>): Promise<unknown> {
  const { offerer, answerer, sender, receiver } = await connectInProcess(t.impl, true);
  const counter = byteCounter(receiver);
  const seconds: number[] = [];
  // Run 0 warms up (JIT, congestion window) and is not counted.
  for (let i = 0; i <= t.runs; i++) {
    const arrived = counter.until(t.totalBytes);
    const start = performance.now();
    await sendAll(sender, t.messageSize, t.totalBytes);
    await arrived;
    if (i > 0) seconds.push((performance.now() - start) / 1000);
  }
  offerer.close();
  answerer.close();
  return { seconds };
}

/** One end of a two-process transfer: signals and run commands go through the parent. */
async function dcEnd(t: Extract<Task, { task: 'dc-send' | 'dc-recv' }>, commands: Command[]): Promise<never> {
  const inbox = new SignalQueue();
  const peer = await createPeer(t.impl, {
    offerer: t.task === 'dc-send',
    trickle: true,
    onSignal: (s) => report({ op: 'signal', s }),
  });
  inbox.attach(peer);
  let channel: Channel | undefined;
  let counter: ReturnType<typeof byteCounter> | undefined;
  const onCommand = (c: Command): void => {
    if (c.op === 'signal') inbox.push(c.s);
    else if (c.op === 'exit') {
      peer.close();
      setTimeout(() => process.exit(0), 50);
    } else if (c.op === 'go' && channel) {
      const ch = channel;
      if (t.task === 'dc-send') void sendAll(ch, t.messageSize, t.totalBytes);
      else void counter!.until(t.totalBytes).then(() => report({ op: 'done' }));
      // The receiver arms its counter on 'go' before the sender is told to start.
      if (t.task === 'dc-recv') report({ op: 'armed' });
    }
  };
  for (const c of commands.splice(0)) onCommand(c);
  process.on('message', (c: Command) => onCommand(c));
  if (t.task === 'dc-send') await peer.start();
  channel = await peer.channel;
  if (t.task === 'dc-recv') counter = byteCounter(channel);
  report({ op: 'open' });
  return new Promise<never>(() => {});
}

async function setup(t: Extract<Task, { task: 'setup' }>): Promise<unknown> {
  const fromOffer: number[] = [];
  const fromConstruct: number[] = [];
  // The first `warmup` pairs load modules and let the JIT settle, as the throughput runs' first
  // transfer does; a server that opens connections is a long-running process.
  for (let i = 0; i < t.warmup + t.count; i++) {
    const t0 = performance.now();
    const toAnswerer = new SignalQueue();
    const toOfferer = new SignalQueue();
    const offerer = await createPeer(t.impl, {
      offerer: true,
      trickle: t.trickle,
      onSignal: (s) => toAnswerer.push(s),
    });
    const answerer = await createPeer(t.impl, {
      offerer: false,
      trickle: t.trickle,
      onSignal: (s) => toOfferer.push(s),
    });
    toAnswerer.attach(answerer);
    toOfferer.attach(offerer);
    const t1 = performance.now();
    await offerer.start();
    await Promise.all([offerer.channel, answerer.channel]);
    const t2 = performance.now();
    if (i >= t.warmup) {
      fromOffer.push(t2 - t1);
      fromConstruct.push(t2 - t0);
    }
    offerer.close();
    answerer.close();
    // Let closes finish so one pair's teardown does not land in the next one's timing.
    await new Promise((r) => setTimeout(r, 20));
  }
  return { fromOffer, fromConstruct };
}

async function main(): Promise<void> {
  const commands: Command[] = [];
  const first = await new Promise<Task>((resolve) => {
    const onFirst = (m: Task | Command): void => {
      if ('task' in m) {
        process.off('message', onFirst);
        process.on('message', (c: Command) => commands.push(c));
        resolve(m);
      }
    };
    process.on('message', onFirst);
  });
  const t = first;
  if (t.task === 'dc-send' || t.task === 'dc-recv') {
    process.removeAllListeners('message');
    await dcEnd(t, commands);
    return;
  }
  let result: unknown;
  if (t.task === 'dc-loop') result = await dcLoop(t);
  else if (t.task === 'setup') result = await setup(t);
  else if (t.task === 'connections') result = await runConnections(t);
  else result = await runSfu(t);
  report({ op: 'result', result });
  setTimeout(() => process.exit(0), 50);
}

main().catch((e: unknown) => {
  report({ op: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  setTimeout(() => process.exit(1), 50);
});
