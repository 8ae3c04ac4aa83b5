import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, Report, Task } from './worker.js';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface Worker {
  readonly child: ChildProcess;
  send(c: Command): void;
  /** Resolves with the next report that `accept` takes; rejects if the worker fails or exits. */
  next<R extends Report['op']>(op: R, timeoutMs?: number): Promise<Extract<Report, { op: R }>>;
  onSignal(cb: (s: Extract<Report, { op: 'signal' }>['s']) => void): void;
  kill(): void;
}

/** Forks a worker that runs `task`. `nodeFlags` go before `--import tsx` (e.g. --expose-gc). */
export function spawnWorker(task: Task, nodeFlags: string[] = []): Worker {
  const child = fork(workerPath, [], {
    execArgv: [...nodeFlags, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const backlog: Report[] = [];
  let waiter: ((r: Report) => boolean) | undefined;
  let failure: ((e: Error) => void) | undefined;
  let signalCb: ((s: Extract<Report, { op: 'signal' }>['s']) => void) | undefined;
  child.on('message', (r: Report) => {
    if (r.op === 'signal' && signalCb) {
      signalCb(r.s);
      return;
    }
    if (r.op === 'error') {
      failure?.(new Error(`worker ${task.task}/${task.impl}: ${r.message}`));
      return;
    }
    if (!waiter?.(r)) backlog.push(r);
  });
  child.on('exit', (code) => failure?.(new Error(`worker ${task.task}/${task.impl} exited with ${code}`)));
  child.send(task);
  return {
    child,
    send: (c) => {
      if (child.connected) child.send(c);
    },
    onSignal(cb) {
      signalCb = cb;
      for (const r of backlog.splice(0)) if (r.op === 'signal') cb(r.s);
    },
    next(op, timeoutMs = 300_000) {
      return new Promise((resolve, reject) => {
        const i = backlog.findIndex((r) => r.op === op);
        if (i >= 0) {
          resolve(backlog.splice(i, 1)[0] as Extract<Report, { op: typeof op }>);
          return;
        }
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`worker ${task.task}/${task.impl}: no '${op}' within ${timeoutMs} ms`));
        }, timeoutMs);
        failure = (e) => {
          clearTimeout(timer);
          waiter = undefined;
          reject(e);
        };
        waiter = (r) => {
          if (r.op !== op) return false;
          clearTimeout(timer);
          waiter = undefined;
          failure = undefined;
          resolve(r as Extract<Report, { op: typeof op }>);
          return true;
        };
      });
    },
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Runs a self-contained task in a fresh worker and returns its result. */
export async function runTask<T>(task: Task, nodeFlags: string[] = [], timeoutMs = 600_000): Promise<T> {
  const w = spawnWorker(task, nodeFlags);
  try {
    return (await w.next('result', timeoutMs)).result as T;
  } finally {
    w.kill();
  }
}
