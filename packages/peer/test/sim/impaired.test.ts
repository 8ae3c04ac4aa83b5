import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RTCDataChannel } from '../../src/index.js';
import { impairedPair, negotiateOnSim, runUntil } from './sim-run.js';

describe('two purertc peers over test/sim: 10% loss, 100 ms RTT, NAT on one side', () => {
  for (const seed of [1, 2, 3]) {
    it(`connect, open channels both ways and move 1 MB intact (seed ${seed})`, async () => {
      const { net, a, b } = impairedPair(seed);
      try {
        const ch = a.createDataChannel('bulk');
        let remote: RTCDataChannel | undefined;
        b.ondatachannel = (e) => {
          remote = e.channel;
        };
        // Candidates travel inside the descriptions (gathering in the simulator is immediate).
        await negotiateOnSim(net, a, b);
        expect(
          await runUntil(net, () => ch.readyState === 'open' && remote?.readyState === 'open', 30_000),
        ).toBe(true);
        expect(a.connectionState).toBe('connected');
        expect(b.connectionState).toBe('connected');

        const source = randomBytes(1024 * 1024);
        const sink = createHash('sha256');
        let received = 0;
        remote!.onmessage = (e) => {
          const data = Buffer.from(e.data as ArrayBuffer);
          sink.update(data);
          received += data.length;
        };
        for (let off = 0; off < source.length; off += 16_384) ch.send(source.subarray(off, off + 16_384));
        expect(await runUntil(net, () => received === source.length, 120_000)).toBe(true);
        expect(sink.digest('hex')).toBe(createHash('sha256').update(source).digest('hex'));

        const back: string[] = [];
        ch.onmessage = (e) => back.push(e.data as string);
        for (let i = 0; i < 20; i++) remote!.send(`reply ${i}`);
        expect(await runUntil(net, () => back.length === 20, 30_000)).toBe(true);
        expect(back).toEqual(Array.from({ length: 20 }, (_, i) => `reply ${i}`));
      } finally {
        a.close();
        b.close();
      }
    }, 60_000);
  }
});
