import { parseRtcp, parseRtp, serializeRtcp } from '@purertc/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NackGenerator, nackItemsFromSequences, sequencesFromNackItems } from '../../src/rtp/nack.js';
import { compactNtp, msToCompact, ntpFromUnixMs, roundTripTimeMs } from '../../src/rtp/ntp.js';
import { ReceiveStatistics } from '../../src/rtp/receive-statistics.js';
import { buildRtxPacket, SendHistory, unwrapRtxPacket } from '../../src/rtp/send-history.js';
import { rtpBytes } from '../helpers/rtp-packets.js';

function rtp(seq: number, ts: number, payload = [1, 2, 3]): Uint8Array {
  return rtpBytes({ seq, timestamp: ts, ssrc: 0x11223344, payload });
}

describe('ReceiveStatistics (RFC 3550 A.3, A.8)', () => {
  it('jitter stays 0 for packets arriving exactly on their timestamps', () => {
    const s = new ReceiveStatistics(1, 90000);
    for (let i = 0; i < 50; i++) s.record(i, i * 3000, i * (1000 / 30));
    expect(s.jitter).toBeLessThanOrEqual(1);
  });

  it('jitter follows J += (|D| - J)/16 in timestamp units', () => {
    const s = new ReceiveStatistics(1, 8000);
    s.record(0, 0, 0);
    s.record(1, 160, 20 + 10); // arrival 10 ms late: D = 80 units
    expect(s.jitter).toBe(Math.floor(80 / 16));
    s.record(2, 320, 40); // back on time: D = 80 again
    expect(s.jitter).toBe(Math.floor(5 + (80 - 5) / 16));
    expect(s.jitterSeconds).toBeCloseTo((5 + 75 / 16) / 8000, 9);
  });

  it('fraction lost is lost_interval * 256 / expected_interval and resets per report', () => {
    const s = new ReceiveStatistics(7, 90000);
    for (const seq of [0, 1, 2, 3, 5, 6, 7, 9]) s.record(seq, 0, 0); // 4 and 8 lost of 10
    const block = s.reportBlock(0)!;
    expect(block.fractionLost).toBe(Math.floor((2 * 256) / 10));
    expect(block.packetsLost).toBe(2);
    expect(block.highestSequence).toBe(9);
    for (const seq of [10, 11, 12, 13]) s.record(seq, 0, 0);
    const next = s.reportBlock(0)!;
    expect(next.fractionLost).toBe(0);
    expect(next.packetsLost).toBe(2);
  });

  it('for any in-order subset the report block counts exactly the missing numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 400 }),
        (start, kept) => {
          kept[0] = true;
          kept[kept.length - 1] = true;
          const s = new ReceiveStatistics(1, 90000);
          kept.forEach((k, i) => {
            if (k) s.record((start + i) & 0xffff, i * 3000, i * 33);
          });
          const missing = kept.filter((k) => !k).length;
          const block = s.reportBlock(0)!;
          expect(block.packetsLost).toBe(missing);
          expect(block.fractionLost).toBe(Math.floor((missing * 256) / kept.length));
          expect(block.highestSequence).toBe(start + kept.length - 1);
        },
      ),
    );
  });

  it('LSR echoes the SR middle bits and DLSR counts 1/65536 s since it arrived', () => {
    const s = new ReceiveStatistics(7, 90000);
    s.record(0, 0, 0);
    s.recordSenderReport(0x12345678, 1000);
    const block = s.reportBlock(1500)!;
    expect(block.lastSenderReport).toBe(0x12345678);
    expect(block.delaySinceLastSenderReport).toBe(32768);
  });
});

describe('NTP and RTT (RFC 3550 6.4.1)', () => {
  it('converts Unix ms to NTP and takes the middle 32 bits', () => {
    const t = ntpFromUnixMs(1500);
    expect(t.seconds).toBe(2_208_988_801);
    expect(t.fraction).toBe(0x80000000);
    expect(compactNtp(t)).toBe((((2_208_988_801 & 0xffff) << 16) | 0x8000) >>> 0);
  });

  it('RTT = A - LSR - DLSR (the RFC example: 0.3 s-ish)', () => {
    // RFC 3550 6.4.1 figure: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
    // DLSR = 0x0005:4000 (5.250 s) -> 6.125 s.
    expect(roundTripTimeMs(0xb7108000, 0xb7052000, 0x00054000)).toBe(6125);
    expect(roundTripTimeMs(0xb7108000, 0, 0)).toBeUndefined();
    expect(msToCompact(5250)).toBe(0x00054000);
  });
});

describe('generic NACK items (RFC 4585 6.2.1) through the srtp codec', () => {
  it('packs neighbouring sequences into one PID + BLP and decodes back', () => {
    const items = nackItemsFromSequences([100, 101, 103, 116, 117]);
    expect(items).toEqual([
      { packetId: 100, lostBitmask: (1 << 0) | (1 << 2) | (1 << 15) },
      { packetId: 117, lostBitmask: 0 },
    ]);
    const wire = serializeRtcp([{ type: 'nack', senderSsrc: 1, mediaSsrc: 2, items }]);
    const [parsed] = parseRtcp(wire);
    expect(parsed?.type).toBe('nack');
    if (parsed?.type !== 'nack') return;
    expect(sequencesFromNackItems(parsed.items)).toEqual([100, 101, 103, 116, 117]);
  });

  it('round-trips any ascending run of sequence numbers, also across the wrap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 60 }),
        (start, steps) => {
          const seqs = [start];
          for (const s of steps) seqs.push((seqs[seqs.length - 1]! + s) & 0xffff);
          if (new Set(seqs).size !== seqs.length) return;
          expect(sequencesFromNackItems(nackItemsFromSequences(seqs))).toEqual(seqs);
        },
      ),
    );
  });
});

describe('NackGenerator', () => {
  it('asks for a gap, re-asks only after an RTT, forgets it once it arrives', () => {
    const g = new NackGenerator();
    g.onPacket(10, 0);
    g.onPacket(13, 0);
    expect(g.poll(0, 50)).toEqual([11, 12]);
    expect(g.poll(30, 50)).toEqual([]);
    expect(g.nextDeadline(50)).toBe(50);
    g.onPacket(11, 40);
    expect(g.poll(50, 50)).toEqual([12]);
  });

  it('gives up after max retries', () => {
    const g = new NackGenerator({ maxRetries: 2, maxAgeMs: 10_000 });
    g.onPacket(0xffff, 0);
    g.onPacket(1, 0); // 0 missing, across the wrap
    expect(g.poll(0, 10)).toEqual([0]);
    expect(g.poll(100, 10)).toEqual([0]);
    expect(g.poll(200, 10)).toEqual([]);
    expect(g.abandoned).toBe(1);
    expect(g.nextDeadline(10)).toBeUndefined();
  });
});

describe('send history and RTX (RFC 4588 4)', () => {
  it('returns stored packets by sequence number and forgets overwritten ones', () => {
    const h = new SendHistory(4);
    for (let i = 0; i < 6; i++) h.store(rtp(i, i));
    expect(h.get(5)).toEqual(rtp(5, 5));
    expect(h.get(1)).toBeUndefined();
  });

  it('RTX carries the OSN in the first two payload bytes under the RTX SSRC and PT', () => {
    const original = rtp(0xabcd, 1234, [9, 8, 7]);
    const wrapped = buildRtxPacket(original, { ssrc: 0x55, payloadType: 97, sequenceNumber: 7 })!;
    const p = parseRtp(wrapped);
    expect(p.ssrc).toBe(0x55);
    expect(p.payloadType).toBe(97);
    expect(p.sequenceNumber).toBe(7);
    expect(p.timestamp).toBe(1234);
    expect([...p.payload]).toEqual([0xab, 0xcd, 9, 8, 7]);
    expect(unwrapRtxPacket(wrapped, { ssrc: 0x11223344, payloadType: 96 })).toEqual(original);
  });
});
