import { type LinkConfig, SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { SctpAssociation } from '../src/index.js';
import { RetransmissionTimeout } from '../src/tx/retransmission-timeout.js';
import { seededRandom } from './helpers/pair.js';

interface TransferResult {
  delivered: number;
  /** Longest stretch of virtual time with no message delivered. */
  longestStallMs: number;
  state: string;
}

/**
 * A 1 MB transfer in 16 KiB messages on one reliable ordered stream, each host behind an uplink
 * and a downlink with the same impairments (two lossy links per direction, like two NATed peers).
 */
function transfer(
  seed: number,
  link: LinkConfig,
  opts: { maxTimerBackoff?: number; maxRetransmissions?: number } = {},
  twoLinks = true,
): TransferResult {
  const net = new SimNetwork({ seed });
  const down = twoLinks ? { downlink: link } : {};
  const ha = net.addHost({ address: '192.0.2.1', uplink: link, ...down });
  const hb = net.addHost({ address: '192.0.2.2', uplink: link, ...down });
  const a = new SctpAssociation({ random: seededRandom(seed * 2 + 1), ...opts });
  const b = new SctpAssociation({ random: seededRandom(seed * 2 + 2), ...opts });
  const total = 1024 * 1024;
  const size = 16 * 1024;
  let delivered = 0;
  let lastProgress = 0;
  let longestStallMs = 0;
  const sockA = ha.bind((d, now) => feed(a, d.data, now), { port: 5000 });
  const sockB = hb.bind((d, now) => feed(b, d.data, now), { port: 5000 });
  function feed(assoc: SctpAssociation, data: Uint8Array, now: number): void {
    assoc.handlePacket(data, now);
    drain();
  }
  function drain(): void {
    const now = net.now;
    for (let p = a.pollTransmit(now); p; p = a.pollTransmit(now))
      sockA.send(p, { host: '192.0.2.2', port: 5000 });
    for (let p = b.pollTransmit(now); p; p = b.pollTransmit(now))
      sockB.send(p, { host: '192.0.2.1', port: 5000 });
    while (a.pollEvent()) {}
    for (let e = b.pollEvent(); e; e = b.pollEvent()) {
      if (e.type !== 'message') continue;
      delivered += e.data.length;
      longestStallMs = Math.max(longestStallMs, now - lastProgress);
      lastProgress = now;
    }
  }
  for (const assoc of [a, b]) {
    net.addTimerNode({
      nextDeadline: () => assoc.nextDeadline(),
      handleTimeout: (now) => {
        assoc.handleTimeout(now);
        drain();
      },
    });
  }
  a.connect(net.now);
  drain();
  expect(
    net.runUntil(() => a.state === 'established' && b.state === 'established', { timeoutMs: 60_000 }),
  ).toBe(true);
  for (let q = 0; q < total; q += size)
    expect(a.send(1, 53, Buffer.alloc(size, q & 0xff), {}, net.now)).toBe('ok');
  lastProgress = net.now;
  drain();
  net.runUntil(() => delivered >= total || net.now - lastProgress > 120_000, { timeoutMs: 1_800_000 });
  longestStallMs = Math.max(longestStallMs, delivered >= total ? 0 : net.now - lastProgress);
  return { delivered, longestStallMs, state: a.state };
}

describe('no stall under heavy loss on two links per direction', () => {
  // 10% on each of two links per direction (~19% end to end). These seeds stalled for 120 s or
  // more of virtual time when T3-rtx backed off to RTO.Max (60 s): a retransmission and its SACK
  // lost a few times in a row left one packet crossing the path per minute.
  const stalledSeeds = [14, 85, 130, 147, 151, 193, 196];
  const lossy: LinkConfig = { delayMs: 20, loss: 0.1, mtu: 1280 };

  it('the seeds that stalled deliver 1 MB, never 30 s without progress', () => {
    for (const seed of stalledSeeds) {
      const r = transfer(seed, lossy);
      expect({ seed, ...r }).toMatchObject({ seed, delivered: 1024 * 1024, state: 'established' });
      expect(r.longestStallMs).toBeLessThan(30_000);
    }
  });

  it('with the backoff ceiling at RTO.Max, the first of them does stall (the test can fail)', () => {
    const r = transfer(stalledSeeds[0]!, lossy, { maxTimerBackoff: 60_000 });
    expect(r.longestStallMs).toBeGreaterThan(60_000);
  });

  it('reordering and duplication on top of the loss: 40 seeds complete', () => {
    const link: LinkConfig = {
      delayMs: 20,
      jitterMs: 15,
      reorder: 0.1,
      duplicate: 0.05,
      loss: 0.1,
      mtu: 1280,
    };
    for (let seed = 1; seed <= 40; seed++) {
      const r = transfer(seed, link);
      expect({ seed, delivered: r.delivered }).toEqual({ seed, delivered: 1024 * 1024 });
      expect(r.longestStallMs).toBeLessThan(30_000);
    }
  });
});

describe('no stall at 30% loss per direction', () => {
  // Like WebRTC's dcSCTP transport, a data channel transport leaves liveness to ICE consent and
  // sets no Association.Max.Retrans: with the backoff capped at 3 s, ten T3 expiries in a row
  // (RFC 9260 8.1) take only ~25 s, which 30% loss each way reaches now and then.
  it('reordering and duplication on top: 30 seeds deliver 1 MB, never 60 s without progress', () => {
    const link: LinkConfig = {
      delayMs: 20,
      jitterMs: 15,
      reorder: 0.1,
      duplicate: 0.05,
      loss: 0.3,
      mtu: 1280,
    };
    for (let seed = 1; seed <= 30; seed++) {
      const r = transfer(seed, link, { maxRetransmissions: Number.POSITIVE_INFINITY }, false);
      expect({ seed, delivered: r.delivered, state: r.state }).toEqual({
        seed,
        delivered: 1024 * 1024,
        state: 'established',
      });
      expect(r.longestStallMs).toBeLessThan(60_000);
    }
  });
});

describe('RTO backoff ceiling', () => {
  it('doubles up to the ceiling, never above RTO.Max, never below the measured RTO', () => {
    const rto = new RetransmissionTimeout(500, 400, 60_000, 3_000);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      rto.backoff();
      seen.push(rto.rto);
    }
    expect(seen).toEqual([1000, 2000, 3000, 3000, 3000, 3000]);
    // A path whose measured RTO already exceeds the ceiling keeps its measured RTO.
    const slow = new RetransmissionTimeout(500, 400, 60_000, 3_000);
    slow.observe(4_000);
    const measured = slow.rto;
    expect(measured).toBeGreaterThan(3_000);
    slow.backoff();
    expect(slow.rto).toBe(measured);
    // A new sample after backoff resets to the measured value (RFC 6298 5.7 spirit).
    const r = new RetransmissionTimeout(500, 400, 60_000, 3_000);
    r.observe(100);
    r.backoff();
    r.backoff();
    expect(r.rto).toBe(1600);
    r.observe(100);
    expect(r.rto).toBeLessThan(1600);
  });
});
