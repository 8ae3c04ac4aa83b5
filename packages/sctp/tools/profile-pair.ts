/**
 * Drives two associations back to back in memory (like bench/sctp.bench.ts, purertc side only) and
 * prints MB/s by wall clock and by process CPU time (steadier on a shared machine). For profiling:
 *
 *   node --cpu-prof --import tsx packages/sctp/tools/profile-pair.ts big 200
 *   node --import tsx packages/sctp/tools/profile-pair.ts small 1500
 *
 * `SCTP_SRC=/path/to/src/index.ts` measures another checkout of the package (A/B comparison).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SctpAssociation as Association } from '../src/index.js';

const src = process.env.SCTP_SRC ? pathToFileURL(resolve(process.env.SCTP_SRC)).href : '../src/index.js';
const { SctpAssociation } = (await import(src)) as { SctpAssociation: typeof Association };

class Pair {
  readonly a = new SctpAssociation();
  readonly b = new SctpAssociation();
  now = 0;
  received = 0;

  constructor() {
    this.a.connect(0);
    this.pump(() => this.a.state === 'established' && this.b.state === 'established');
  }

  pump(done: () => boolean): void {
    for (;;) {
      let moved = false;
      for (let p = this.a.pollTransmit(this.now); p; p = this.a.pollTransmit(this.now)) {
        this.b.handlePacket(p, this.now);
        moved = true;
      }
      for (let p = this.b.pollTransmit(this.now); p; p = this.b.pollTransmit(this.now)) {
        this.a.handlePacket(p, this.now);
        moved = true;
      }
      for (let e = this.b.pollEvent(); e; e = this.b.pollEvent()) if (e.type === 'message') this.received++;
      while (this.a.pollEvent());
      if (done()) return;
      if (!moved) {
        const d = Math.min(this.a.nextDeadline() ?? Infinity, this.b.nextDeadline() ?? Infinity);
        if (d === Infinity) throw new Error('stalled');
        this.now = Math.max(this.now, d);
        this.a.handleTimeout(this.now);
        this.b.handleTimeout(this.now);
      }
    }
  }

  transfer(payload: Buffer, count: number): void {
    const target = this.received + count;
    for (let i = 0; i < count; i++) this.a.send(1, 53, payload, {}, this.now);
    this.pump(() => this.received >= target);
  }
}

const mode = process.argv[2] ?? 'small';
const rounds = Number(process.argv[3] ?? 200);
const pair = new Pair();
const big = Buffer.alloc(65536, 1);
const small = Buffer.alloc(1024, 2);
const wall0 = performance.now();
const cpu0 = process.cpuUsage();
let bytes = 0;
for (let i = 0; i < rounds; i++) {
  if (mode === 'big') {
    pair.transfer(big, 16);
    bytes += 16 * big.length;
  } else {
    pair.transfer(small, 100);
    bytes += 100 * small.length;
  }
}
const wall = (performance.now() - wall0) / 1000;
const cpuUsed = process.cpuUsage(cpu0);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
const mb = bytes / 1e6;
console.log(`${mode}: ${(mb / wall).toFixed(1)} MB/s wall, ${(mb / cpu).toFixed(1)} MB/s per CPU second`);
