/**
 * Connections per process: opens pairs (each with one data channel, open on both ends) several at
 * a time until the time is up or the peer-connection cap is reached, records memory per peer
 * connection along the way, then closes everything and records what memory returned.
 * Run with --expose-gc so the memory figures are live objects, not garbage waiting for a GC.
 */
import { connectInProcess, type ImplName, type Peer } from './peers.js';

interface Snapshot {
  peerConnections: number;
  seconds: number;
  rssBytes: number;
  heapBytes: number;
}

export interface ConnectionsResult {
  impl: ImplName;
  seconds: number;
  pairs: number;
  peerConnections: number;
  failures: number;
  pairsPerSecond: number;
  baseline: Snapshot;
  checkpoints: Snapshot[];
  end: Snapshot;
  afterClose: Snapshot;
  firstFailure?: string;
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function runConnections(t: {
  impl: ImplName;
  seconds: number;
  maxPeerConnections: number;
  concurrency: number;
}): Promise<ConnectionsResult> {
  const t0 = performance.now();
  const snapshot = (peerConnections: number): Snapshot => {
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    return {
      peerConnections,
      seconds: (performance.now() - t0) / 1000,
      rssBytes: m.rss,
      heapBytes: m.heapUsed,
    };
  };
  // One pair first so module loading and JIT warm-up are in the baseline, not in the per-pair cost.
  const warm = await connectInProcess(t.impl, true);
  warm.offerer.close();
  warm.answerer.close();
  await new Promise((r) => setTimeout(r, 500));
  const baseline = snapshot(0);
  const start = performance.now();
  const deadline = start + t.seconds * 1000;
  const open: Peer[] = [];
  const checkpoints: Snapshot[] = [];
  const marks = [100, 1000];
  let inFlight = 0;
  let failures = 0;
  let firstFailure: string | undefined;

  const openOne = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const attempt = connectInProcess(t.impl, true);
    try {
      const pair = await Promise.race([
        attempt,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('pair did not open within 15 s')), 15_000);
        }),
      ]);
      open.push(pair.offerer, pair.answerer);
    } catch (e) {
      failures++;
      firstFailure ??= (e as Error).message;
      attempt.then(
        (p) => {
          p.offerer.close();
          p.answerer.close();
        },
        () => {},
      );
    } finally {
      clearTimeout(timer);
    }
    while (marks.length > 0 && open.length >= marks[0]!) {
      marks.shift();
      checkpoints.push(snapshot(open.length));
    }
  };

  await new Promise<void>((resolve) => {
    const more = (): void => {
      while (
        inFlight < t.concurrency &&
        performance.now() < deadline &&
        open.length + 2 * inFlight + 2 <= t.maxPeerConnections
      ) {
        inFlight++;
        void openOne().then(() => {
          inFlight--;
          more();
        });
      }
      if (inFlight === 0) resolve();
    };
    more();
  });
  const elapsed = (performance.now() - start) / 1000;
  const end = snapshot(open.length);
  const pcs = open.length;
  for (const p of open.splice(0)) p.close();
  // Closing sends last words and releases sockets on later ticks; then the garbage is collectable.
  await new Promise((r) => setTimeout(r, 3000));
  const afterClose = snapshot(0);
  return {
    impl: t.impl,
    seconds: elapsed,
    pairs: pcs / 2,
    peerConnections: pcs,
    failures,
    pairsPerSecond: pcs / 2 / elapsed,
    baseline,
    checkpoints,
    end,
    afterClose,
    ...(firstFailure ? { firstFailure } : {}),
  };
}
