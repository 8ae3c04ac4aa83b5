import { describe, expect, it } from 'vitest';
import { parsePacket } from '../src/index.js';
import { Pair } from './helpers/pair.js';

describe('zero checksum between two endpoints that both accept it (RFC 9653)', () => {
  it('DATA and SACK packets carry checksum 0 once both INITs offered it, and data arrives intact', () => {
    const seen: { type: string; checksum: number }[] = [];
    const p = new Pair(
      {
        filter: (bytes) => {
          const first = parsePacket(bytes, { acceptZeroChecksum: true }).chunks[0];
          seen.push({ type: first?.type ?? '', checksum: bytes.readUInt32LE(8) });
          return false;
        },
      },
      { zeroChecksum: true },
      { zeroChecksum: true },
    );
    p.connect();
    expect(p.a.capabilities?.zeroChecksumSend).toBe(true);
    expect(p.b.capabilities?.zeroChecksumSend).toBe(true);
    for (let i = 0; i < 20; i++) p.a.send(1, 53, Buffer.alloc(1000, i), {}, p.now);
    p.flush();
    expect(p.runUntil(() => p.messages('b').length === 20, 10_000)).toBe(true);
    p.messages('b').forEach((m, i) => {
      expect(m.data.equals(Buffer.alloc(1000, i))).toBe(true);
    });
    const data = seen.filter((s) => s.type === 'data');
    const sacks = seen.filter((s) => s.type === 'sack');
    expect(data.length).toBeGreaterThanOrEqual(20);
    expect(sacks.length).toBeGreaterThan(0);
    for (const s of [...data, ...sacks]) expect(s.checksum).toBe(0);
    // RFC 9653 5.2: INIT is always sent with a real CRC32c.
    const init = seen.find((s) => s.type === 'init');
    expect(init?.checksum).not.toBe(0);
  });
});
