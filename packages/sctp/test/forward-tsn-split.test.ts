import { describe, expect, it } from 'vitest';
import { parsePacket } from '../src/index.js';
import { Pair } from './helpers/pair.js';

const STREAMS = 400;

describe('FORWARD-TSN / I-FORWARD-TSN larger than the MTU (RFC 3758 3.5, RFC 8260 2.3)', () => {
  for (const interleaved of [false, true]) {
    it(`${interleaved ? 'I-FORWARD-TSN' : 'FORWARD-TSN'} for ${STREAMS} abandoned streams is split into valid chunks with increasing TSNs`, () => {
      let dropData = true;
      const forwards: { tsn: number; streams: number; bytes: number }[] = [];
      let largest = 0;
      const p = new Pair(
        {
          filter: (bytes, from) => {
            if (from !== 'a') return false;
            largest = Math.max(largest, bytes.length);
            const chunks = parsePacket(bytes).chunks;
            for (const c of chunks) {
              if (c.type === 'forward-tsn' || c.type === 'iforward-tsn') {
                forwards.push({ tsn: c.newCumulativeTsn, streams: c.skipped.length, bytes: bytes.length });
              }
            }
            return dropData && chunks.some((c) => c.type === 'data' || c.type === 'idata');
          },
        },
        { messageInterleaving: interleaved },
        { messageInterleaving: interleaved },
      );
      p.connect();
      expect(p.a.capabilities?.messageInterleaving).toBe(interleaved);
      // One ordered message per stream, never delivered (every DATA packet is lost), abandoned at T3.
      for (let s = 0; s < STREAMS; s++) {
        expect(p.a.send(s, 53, Buffer.alloc(8, s & 0xff), { maxRetransmits: 0 }, p.now)).toBe('ok');
      }
      p.flush();
      p.runUntil(() => p.a.abandonedMessages === STREAMS, 5_000);
      expect(p.a.abandonedMessages).toBe(STREAMS);
      dropData = false;
      // The peer skips every stream's SSN / MID 0: a new message on each one is deliverable.
      p.runUntil(() => false, 2_000);
      for (let s = 0; s < STREAMS; s++) p.a.send(s, 53, Buffer.from([s & 0xff, s >> 8]), {}, p.now);
      p.flush();
      p.runUntil(() => p.messages('b').length === STREAMS, 20_000);
      expect(p.messages('b')).toHaveLength(STREAMS);
      const streams = new Set(p.messages('b').map((m) => m.streamId));
      expect(streams.size).toBe(STREAMS);
      expect(largest).toBeLessThanOrEqual(1200);
      // More than one chunk was needed, each fitting the packet, with strictly increasing TSNs.
      const distinct = [...new Set(forwards.map((f) => f.tsn))];
      expect(distinct.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < distinct.length; i++) {
        expect((distinct[i]! - distinct[i - 1]!) >>> 0 < 0x80000000).toBe(true);
      }
      const perChunk = interleaved ? 147 : 295;
      for (const f of forwards) expect(f.streams).toBeLessThanOrEqual(perChunk);
      expect(Math.max(...forwards.map((f) => f.streams))).toBe(perChunk);
    });
  }
});
