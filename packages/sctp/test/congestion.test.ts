import { describe, expect, it } from 'vitest';
import type { DataChunk } from '../src/packet/chunks/data.js';
import type { SackChunk } from '../src/packet/chunks/sack.js';
import type { OutgoingMessage } from '../src/tx/outgoing-message.js';
import { RetransmissionQueue } from '../src/tx/retransmission-queue.js';
import { RetransmissionTimeout } from '../src/tx/retransmission-timeout.js';
import { SendQueue } from '../src/tx/send-queue.js';

const MTU = 1200;

/** One packet's DATA chunks (fill() appends DATA only when given no other chunks). */
const fillData = (rq: RetransmissionQueue, now: number, space: number) => rq.fill(now, space) as DataChunk[];
const HDR = 16;

function message(id: number, size: number, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id,
    streamId: 1,
    ppid: 53,
    payload: Buffer.alloc(size, id),
    unordered: false,
    maxRetransmits: undefined,
    expiresAt: undefined,
    offset: 0,
    ssn: 0,
    mid: 0,
    nextFsn: 0,
    abandoned: false,
    tsns: [],
    endAssigned: false,
    ...extra,
  };
}

function setup(messages: number, size = MTU - 12 - HDR) {
  const sq = new SendQueue(false);
  for (let i = 0; i < messages; i++) sq.add(message(i + 1, size));
  const rq = new RetransmissionQueue(
    1000,
    1_000_000,
    { mtu: MTU, initialCwndMtus: 10, dataHeaderSize: HDR, partialReliability: true },
    sq,
  );
  const sendAll = (now: number) => {
    const out: number[] = [];
    for (;;) {
      const chunks = fillData(rq, now, MTU - 12);
      if (chunks.length === 0) return out;
      out.push(...chunks.map((c) => c.tsn));
    }
  };
  const sack = (cum: number, gaps: [number, number][] = []): SackChunk => ({
    type: 'sack',
    cumulativeTsnAck: cum,
    aRwnd: 1_000_000,
    gapBlocks: gaps.map(([start, end]) => ({ start, end })),
    duplicateTsns: [],
  });
  return { sq, rq, sendAll, sack };
}

describe('RTO (RFC 6298)', () => {
  it('follows SRTT/RTTVAR smoothing, clamps, and doubles on backoff', () => {
    const rto = new RetransmissionTimeout(1000, 200, 60_000);
    expect(rto.rto).toBe(1000);
    rto.observe(100); // SRTT 100, RTTVAR 50 -> 100 + 200 = 300
    expect(rto.rto).toBe(300);
    rto.observe(200); // RTTVAR .75*50 + .25*100 = 62.5, SRTT 112.5 -> 362.5
    expect(rto.rto).toBeCloseTo(362.5);
    rto.observe(1); // clamps to RTO.Min when small
    rto.observe(1);
    rto.observe(1);
    expect(rto.rto).toBeGreaterThanOrEqual(200);
    rto.backoff();
    const b = rto.rto;
    rto.backoff();
    expect(rto.rto).toBe(Math.min(60_000, b * 2));
    for (let i = 0; i < 20; i++) rto.backoff();
    expect(rto.rto).toBe(60_000);
  });
});

describe('congestion control (RFC 9260 7)', () => {
  it('starts at 10 MTUs and grows by at most one MTU per SACK in slow start', () => {
    const { rq, sendAll, sack } = setup(100);
    const first = sendAll(0);
    // RFC 9260 6.1 B: send while flight < cwnd, so 10 MTUs of cwnd take 11 packets of 1172-byte payloads.
    expect(first).toHaveLength(11);
    expect(rq.outstanding.bytesInFlight).toBeLessThan(10 * MTU + MTU);
    expect(rq.cwnd).toBe(10 * MTU);
    rq.handleSack(sack(first[1]!), 50); // acks 2 packets (2344 bytes) while cwnd was fully used
    expect(rq.cwnd).toBe(11 * MTU);
    rq.handleSack(sack(first[3]!), 50); // cwnd no longer fully used: no growth (RFC 9260 7.2.1)
    expect(rq.cwnd).toBe(11 * MTU);
    sendAll(60);
    rq.handleSack(sack(first[5]!), 100);
    expect(rq.cwnd).toBe(12 * MTU);
  });

  it('fast retransmit on the third miss indication halves cwnd, retransmits once, exits on recovery', () => {
    const { rq, sendAll, sack } = setup(100);
    const tsns = sendAll(0);
    const lost = tsns[0]!;
    const cumBefore = lost - 1;
    // Three SACKs each newly acking a later TSN while `lost` is missing.
    rq.handleSack(sack(cumBefore, [[2, 2]]), 10);
    rq.handleSack(sack(cumBefore, [[2, 3]]), 10);
    expect(rq.inFastRecovery).toBe(false);
    const r = rq.handleSack(sack(cumBefore, [[2, 4]]), 10);
    expect(r.outcome).toBe('ok');
    expect(rq.inFastRecovery).toBe(true);
    expect(rq.ssthresh).toBe(Math.max(Math.floor((10 * MTU) / 2), 4 * MTU));
    expect(rq.cwnd).toBe(rq.ssthresh);
    const retx = fillData(rq, 20, MTU - 12);
    expect(retx.map((c) => c.tsn)).toEqual([lost]);
    // The cumulative ack passing the recovery point ends fast recovery.
    rq.handleSack(sack(tsns[tsns.length - 1]!), 30);
    expect(rq.inFastRecovery).toBe(false);
  });

  it('T3 expiry: cwnd to one MTU, ssthresh to half, everything in flight retransmitted in TSN order', () => {
    const { rq, sendAll } = setup(100);
    const tsns = sendAll(0);
    rq.handleT3Expiry(1000);
    expect(rq.cwnd).toBe(MTU);
    expect(rq.ssthresh).toBe(Math.max((10 * MTU) / 2, 4 * MTU));
    const first = fillData(rq, 1000, MTU - 12);
    expect(first.map((c) => c.tsn)).toEqual([tsns[0]]);
    expect(fillData(rq, 1000, MTU - 12)).toEqual([]); // cwnd (1 MTU) is full
  });

  it('never sends more than the peer window, but probes a zero window with one chunk', () => {
    const sq = new SendQueue(false);
    for (let i = 0; i < 10; i++) sq.add(message(i + 1, 1000));
    const rq = new RetransmissionQueue(
      1,
      2500,
      { mtu: MTU, initialCwndMtus: 10, dataHeaderSize: HDR, partialReliability: true },
      sq,
    );
    let sent = 0;
    for (let c = fillData(rq, 0, MTU - 12); c.length > 0; c = fillData(rq, 0, MTU - 12))
      sent += c.reduce((n, x) => n + x.payload.length, 0);
    expect(sent).toBeLessThanOrEqual(2500 + 1000);
    const zero = new RetransmissionQueue(
      1,
      0,
      { mtu: MTU, initialCwndMtus: 10, dataHeaderSize: HDR, partialReliability: true },
      sq,
    );
    expect(fillData(zero, 0, MTU - 12)).toHaveLength(1);
    expect(fillData(zero, 0, MTU - 12)).toHaveLength(0);
  });

  it('ignores SACKs older than the cumulative ack and rejects acks of unsent TSNs', () => {
    const { rq, sendAll, sack } = setup(5);
    const tsns = sendAll(0);
    expect(rq.handleSack(sack(tsns[2]!), 10).outcome).toBe('ok');
    expect(rq.handleSack(sack(tsns[1]!), 10).outcome).toBe('old');
    expect(rq.handleSack(sack(tsns[4]! + 5), 10).outcome).toBe('invalid');
  });
});
