import {
  decodeTransportCc,
  encodeTransportCc,
  parseRtcp,
  serializeRtcp,
  type TransportCcFeedback,
} from '@purertc/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtcpPacketConverter, TransportWideCC } from 'werift';
import {
  MAX_STATUSES_PER_FEEDBACK,
  MAX_WINDOW,
  TRANSPORT_CC_INTERVAL_MS,
  TransportCcFeedbackGenerator,
} from '../../src/rtp/transport-cc-feedback.js';

/** Arrival time (ms) per 16-bit sequence number as a sender reconstructs it (draft section 3.1.5). */
function arrivals(feedbacks: readonly TransportCcFeedback[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const fb of feedbacks) {
    let t = fb.referenceTime * 64 * 4;
    for (const p of fb.packets) {
      if (p.status === 0) continue;
      t += p.delta!;
      out.set(p.sequenceNumber, t / 4);
    }
  }
  return out;
}

function lost(feedbacks: readonly TransportCcFeedback[]): number[] {
  return feedbacks.flatMap((fb) => fb.packets.filter((p) => p.status === 0).map((p) => p.sequenceNumber));
}

/** Through the wire format: our encoder, then the srtp package's RTCP parser. */
function onTheWire(fb: TransportCcFeedback): TransportCcFeedback {
  const bytes = serializeRtcp([{ type: 'twcc', senderSsrc: 1, mediaSsrc: 2, ...fb }]);
  const [parsed] = parseRtcp(bytes);
  if (parsed?.type !== 'twcc') throw new Error('not a transport-cc packet');
  return parsed;
}

describe('TransportCcFeedbackGenerator (draft-holmer-rmcat-transport-wide-cc-extensions-01)', () => {
  it('reports every packet once per interval with arrival times exact to 250 us', () => {
    const g = new TransportCcFeedbackGenerator();
    for (let i = 0; i < 50; i++) g.onPacket(1000 + i, 5000 + i * 1.5);
    expect(g.nextDeadline()).toBe(5000 + TRANSPORT_CC_INTERVAL_MS);
    expect(g.poll(5099)).toEqual([]);
    const fbs = g.poll(5100).map(onTheWire);
    expect(fbs).toHaveLength(1);
    expect(fbs[0]!.baseSequenceNumber).toBe(1000);
    expect(fbs[0]!.packets).toHaveLength(50);
    expect(fbs[0]!.feedbackPacketCount).toBe(0);
    const times = arrivals(fbs);
    for (let i = 0; i < 50; i++) expect(times.get(1000 + i)).toBeCloseTo(5000 + i * 1.5, 2);
    expect(g.nextDeadline()).toBeUndefined();
    g.onPacket(1050, 5200);
    const next = g.poll(5300);
    expect(next[0]!.baseSequenceNumber).toBe(1050);
    expect(next[0]!.feedbackPacketCount).toBe(1);
  });

  it('marks holes not received (status 0) and a late packet after its report is ignored', () => {
    const g = new TransportCcFeedbackGenerator();
    for (const s of [1, 2, 4, 7]) g.onPacket(s, 100 + s);
    const fbs = g.poll(1000).map(onTheWire);
    expect(lost(fbs)).toEqual([3, 5, 6]);
    expect([...arrivals(fbs).keys()]).toEqual([1, 2, 4, 7]);
    g.onPacket(5, 1001);
    expect(g.lateOrDuplicate).toBe(1);
    expect(g.poll(5000)).toEqual([]);
  });

  it('reordering inside one interval reports all packets with a negative (large) delta', () => {
    const g = new TransportCcFeedbackGenerator();
    g.onPacket(10, 64);
    g.onPacket(12, 66);
    g.onPacket(11, 67);
    const [fb] = g.poll(200).map(onTheWire);
    // In sequence order: 11 came 3 ms after 10, then 12 had come 1 ms before 11.
    expect(fb!.packets.map((p) => p.status)).toEqual([1, 1, 2]);
    expect(fb!.packets[1]!.delta).toBe(12);
    expect(fb!.packets[2]!.delta).toBe(-4);
    expect(arrivals([fb!]).get(11)).toBe(67);
  });

  it('unwraps sequence numbers across 65535 -> 0', () => {
    const g = new TransportCcFeedbackGenerator();
    for (const s of [65533, 65534, 0, 1]) g.onPacket(s, 10);
    const [fb] = g.poll(500).map(onTheWire);
    expect(fb!.baseSequenceNumber).toBe(65533);
    expect(fb!.packets.map((p) => p.sequenceNumber)).toEqual([65533, 65534, 65535, 0, 1]);
    expect(lost([fb!])).toEqual([65535]);
  });

  it('counts duplicates and sends early once many packets wait', () => {
    const g = new TransportCcFeedbackGenerator();
    g.onPacket(1, 0);
    g.onPacket(1, 1);
    expect(g.lateOrDuplicate).toBe(1);
    for (let i = 2; i <= 200; i++) g.onPacket(i, 2);
    expect(g.nextDeadline()).toBe(2);
  });

  it('splits a gap longer than a 16-bit delta (8.19 s) into a second message', () => {
    const g = new TransportCcFeedbackGenerator(100_000);
    g.onPacket(1, 0);
    g.onPacket(2, 10_000);
    const fbs = g.poll(100_000).map(onTheWire);
    expect(fbs).toHaveLength(2);
    expect(fbs[1]!.baseSequenceNumber).toBe(2);
    expect(fbs[1]!.feedbackPacketCount).toBe(1);
    const times = arrivals(fbs);
    expect(times.get(1)).toBe(0);
    expect(times.get(2)).toBe(10_000);
  });

  it('never puts more than MAX_STATUSES_PER_FEEDBACK statuses in one message', () => {
    const g = new TransportCcFeedbackGenerator();
    for (let i = 0; i < 1200; i++) g.onPacket(i, i * 0.1);
    const fbs = g.poll(1e6);
    expect(fbs.length).toBe(3);
    for (const fb of fbs) expect(fb.packets.length).toBeLessThanOrEqual(MAX_STATUSES_PER_FEEDBACK);
    expect(arrivals(fbs).size).toBe(1200);
  });

  it('a jump beyond the window restarts it instead of reporting thousands of losses', () => {
    const g = new TransportCcFeedbackGenerator();
    g.onPacket(0, 0);
    g.onPacket(30000, 1);
    const fbs = g.poll(1000);
    expect(fbs.flatMap((f) => f.packets).length).toBe(1);
    expect(fbs[0]!.baseSequenceNumber).toBe(30000);
  });

  it('follows a sender that restarts its numbering far behind what was reported', () => {
    const g = new TransportCcFeedbackGenerator();
    for (let i = 0; i < 10; i++) g.onPacket(40_000 + i, i);
    g.poll(1000);
    // 30000 is 10000 behind 40009: after the first of them, the rest are reported again.
    for (let i = 0; i < 5; i++) g.onPacket(30_000 + i, 2000 + i);
    const fbs = g.poll(5000);
    expect(fbs.flatMap((f) => f.packets.map((p) => p.sequenceNumber))).toEqual([
      30000, 30001, 30002, 30003, 30004,
    ]);
    expect(g.lateOrDuplicate).toBe(0);
  });

  it('byte-exact FCI (draft section 3.1): header, a two-bit status vector chunk, 8- and 16-bit deltas', () => {
    const g = new TransportCcFeedbackGenerator();
    g.onPacket(1, 64); // reference time 1 (64 ms), delta 0
    g.onPacket(2, 65); // +1 ms = 4 units, small
    g.onPacket(4, 64.5); // 3 lost; 4 arrived 0.5 ms before 2: -2 units, large (signed 16 bits)
    const [fb] = g.poll(1000);
    expect(Buffer.from(encodeTransportCc(fb!)).toString('hex')).toBe(
      [
        '0001', // base sequence number
        '0004', // packet status count
        '000001', // reference time, 64 ms units
        '00', // feedback packet count
        'd480', // 1 1 | 01 01 00 10 00 00 00: status vector, two-bit symbols [1, 1, 0, 2, 0, 0, 0]
        '00', // delta of 1
        '04', // delta of 2
        'fffe', // delta of 4
        '0000', // zero padding to 32 bits
      ].join(''),
    );
  });

  it("the draft's run-length example: 221 packets with small deltas are chunk 0 01 0000011011101", () => {
    const g = new TransportCcFeedbackGenerator();
    for (let i = 0; i < 221; i++) g.onPacket(i, i * 0.25);
    const [fb] = g.poll(1e6);
    expect(Buffer.from(encodeTransportCc(fb!)).subarray(8, 10).toString('hex')).toBe('20dd');
  });

  it('werift 0.25.2 decodes our feedback to the same arrival results', () => {
    const g = new TransportCcFeedbackGenerator();
    for (const s of [100, 101, 103, 104, 105, 106, 107, 108, 109, 110]) g.onPacket(s, 1000 + s * 3);
    const [fb] = g.poll(5000);
    const bytes = serializeRtcp([{ type: 'twcc', senderSsrc: 7, mediaSsrc: 9, ...fb! }]);
    const [werift] = RtcpPacketConverter.deSerialize(Buffer.from(bytes));
    const feedback = (werift as { feedback?: unknown }).feedback;
    expect(feedback).toBeInstanceOf(TransportWideCC);
    const twcc = feedback as TransportWideCC;
    expect(twcc.baseSequenceNumber).toBe(100);
    expect(twcc.packetStatusCount).toBe(11);
    expect(twcc.referenceTime).toBe(20);
    // werift's packetResults skips status-vector chunks, so read its deltas (microseconds).
    expect(twcc.recvDeltas).toHaveLength(10);
    expect(twcc.recvDeltas[0]!.delta).toBe(20_000);
    expect(twcc.recvDeltas.reduce((sum, d) => sum + d.delta, 0)).toBe(50_000);
  });

  it('property: any arrival order gives decodable messages, each packet reported at most once, exact times, bounded memory', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.tuple(fc.integer({ min: -40, max: 100 }), fc.float({ min: 0, max: 50, noNaN: true })), {
          maxLength: 600,
        }),
        fc.array(fc.integer({ min: 0, max: 599 }), { maxLength: 20 }),
        (start, steps, pollAt) => {
          const g = new TransportCcFeedbackGenerator();
          const polls = new Set(pollAt);
          let seq = start;
          let now = 0;
          const truth = new Map<number, number>();
          const all: TransportCcFeedback[] = [];
          steps.forEach(([jump, dt], i) => {
            seq = (seq + jump + 0x10000) & 0xffff;
            now += dt;
            const late = g.lateOrDuplicate;
            g.onPacket(seq, now);
            expect(g.pendingCount).toBeLessThanOrEqual(MAX_WINDOW);
            if (g.lateOrDuplicate === late) truth.set(seq, now);
            if (polls.has(i)) all.push(...g.poll(now + 1000));
          });
          all.push(...g.poll(now + 1000));
          const seen = new Set<number>();
          for (const fb of all) {
            const decoded = decodeTransportCc(encodeTransportCc(fb));
            expect(decoded).toEqual(fb);
            expect(fb.packets.length).toBeLessThanOrEqual(MAX_STATUSES_PER_FEEDBACK);
            for (const p of fb.packets) {
              if (p.status === 0) continue;
              expect(seen.has(p.sequenceNumber)).toBe(false);
              seen.add(p.sequenceNumber);
            }
          }
          for (const [s, t] of arrivals(all)) {
            expect(truth.has(s)).toBe(true);
            expect(Math.abs(t - truth.get(s)!)).toBeLessThanOrEqual(0.125 + 1e-9);
          }
          expect(g.nextDeadline()).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});
