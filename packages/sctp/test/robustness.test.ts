import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Chunk, crc32c, parsePacket, serializePacket } from '../src/index.js';
import { Pair } from './helpers/pair.js';

/** A connected pair plus the verification tag b expects, learned from a's first packet. */
function connected(
  opts: ConstructorParameters<typeof Pair>[1] = {},
  optsB: ConstructorParameters<typeof Pair>[2] = {},
) {
  let tagToB = 0;
  const p = new Pair(
    {
      filter: (bytes, from) => {
        if (from === 'a') tagToB = parsePacket(bytes).verificationTag || tagToB;
        return false;
      },
    },
    opts,
    optsB,
  );
  p.connect();
  const toB = (chunks: Chunk[]) =>
    serializePacket({ sourcePort: 5000, destinationPort: 5000, verificationTag: tagToB, chunks });
  return { p, toB, tag: () => tagToB };
}

function stillWorks(p: Pair): void {
  const before = p.messages('b').length;
  expect(p.a.send(9, 51, Buffer.from('still alive'), {}, p.now)).toBe('ok');
  p.flush();
  p.runUntil(() => p.messages('b').length > before, 10_000);
  expect(p.messages('b').at(-1)?.data.toString()).toBe('still alive');
}

describe('robustness', () => {
  it('drops a packet with a bad CRC, counts it, and carries on', () => {
    const { p, toB } = connected();
    const pkt = toB([{ type: 'heartbeat', params: [{ type: 'heartbeat-info', info: Buffer.from('x') }] }]);
    pkt[pkt.length - 1]! ^= 0xff;
    p.inject('b', pkt);
    expect(p.b.stats.droppedBadChecksum).toBe(1);
    stillWorks(p);
  });

  it('drops truncated chunks and chunk lengths past the packet', () => {
    const { p, toB } = connected();
    const good = toB([{ type: 'shutdown', cumulativeTsnAck: 0 }]);
    const past = Buffer.from(good);
    past.writeUInt16BE(200, 14);
    past.writeUInt32LE(0, 8);
    past.writeUInt32LE(crc32c(past), 8);
    p.inject('b', past);
    const truncated = Buffer.concat([good.subarray(0, 12), Buffer.from([7, 0])]);
    truncated.writeUInt32LE(0, 8);
    truncated.writeUInt32LE(crc32c(truncated), 8);
    p.inject('b', truncated);
    // A SACK whose counts disagree with its length is malformed inside a well-formed chunk.
    const badSack = toB([
      { type: 'unknown', code: 3, flags: 0, value: Buffer.from('0000000000001000000500000000', 'hex') },
    ]);
    p.inject('b', badSack);
    expect(p.b.stats.droppedMalformed).toBe(3);
    expect(p.b.state).toBe('established');
    stillWorks(p);
  });

  it('drops packets with the wrong verification tag', () => {
    const { p, tag } = connected();
    const wrong = serializePacket({
      sourcePort: 5000,
      destinationPort: 5000,
      verificationTag: (tag() + 1) >>> 0,
      chunks: [{ type: 'abort', tagReflected: false, causes: [] }],
    });
    p.inject('b', wrong);
    expect(p.b.stats.droppedVerificationTag).toBe(1);
    expect(p.b.state).toBe('established');
  });

  it('never throws and stays consistent on arbitrary chunks with a valid tag and CRC', () => {
    const { p, toB } = connected();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 64 }), fc.nat(255), (body, type) => {
        const b = Buffer.from(body);
        b[0] = type === 6 || type === 7 || type === 8 ? 9 : type; // keep ABORT/SHUTDOWN out to keep it running
        b.writeUInt16BE(Math.min(b.length, b.readUInt16BE(2)), 2);
        const pkt = Buffer.concat([toB([]), b]);
        pkt.writeUInt32LE(0, 8);
        pkt.writeUInt32LE(crc32c(pkt), 8);
        p.b.handlePacket(pkt, p.now);
        for (let out = p.b.pollTransmit(p.now); out; out = p.b.pollTransmit(p.now)) parsePacket(out);
      }),
      { numRuns: 2000 },
    );
    expect(p.b.stats.packetsReceived).toBeGreaterThan(2000);
  });

  it('a peer that never SACKs: the sender backs off, aborts after Association.Max.Retrans, memory bounded', () => {
    const p = new Pair({
      filter: (bytes, from) => from === 'b' && parsePacket(bytes).chunks.some((c) => c.type === 'sack'),
    });
    p.connect();
    let refused = 0;
    for (let i = 0; i < 100; i++)
      if (p.a.send(1, 53, Buffer.alloc(64 * 1024), {}, p.now) === 'buffer-full') refused++;
    expect(refused).toBeGreaterThan(0); // the send buffer (2 MB by default) bounds memory
    p.flush();
    p.runUntil(() => p.a.state === 'closed', 30 * 60_000);
    expect(p.a.state).toBe('closed');
    expect(p.eventsA.find((e) => e.type === 'aborted')).toMatchObject({ reason: 'too many retransmissions' });
    expect(p.a.stats.t3Expiries).toBe(11);
  });

  it('out-of-window TSN flood is dropped and counted; holes cannot grow memory past the window', () => {
    const window = 64 * 1024;
    const { p, toB } = connected({}, { maxReceiverWindow: window });
    const data = (tsn: number, n = 1000): Chunk => ({
      type: 'data',
      tsn,
      streamId: 1,
      ssn: 0,
      ppid: 53,
      payload: Buffer.alloc(n, 1),
      unordered: false,
      beginning: true,
      end: false, // never completes
      immediate: false,
    });
    // b's next expected TSN is a's initial TSN; learn it from a SACK-free view: send one message.
    stillWorks(p);
    const cum = p.messages('b').length; // unused beyond making sure the pair is in sync
    expect(cum).toBe(1);
    const base = (p.b as unknown as { tcb: { tracker: { cumAck: number } } }).tcb.tracker.cumAck >>> 0;
    for (let i = 0; i < 500; i++) p.b.handlePacket(toB([data((base + 100_000 + i) >>> 0)]), p.now);
    expect(p.b.stats.droppedOutOfWindowTsn).toBe(500);
    expect(p.b.receiveBufferedBytes).toBe(0);
    // In-window holes filled with fragments that never complete: bounded by the window.
    for (let i = 2; i < 2000; i++) p.b.handlePacket(toB([data((base + i) >>> 0)]), p.now);
    expect(p.b.receiveBufferedBytes).toBeLessThanOrEqual(window + 1200);
    expect(p.b.stats.droppedReceiveWindowFull).toBeGreaterThan(1000);
    expect(p.b.state).toBe('established');
  });

  it('a RE-CONFIG storm gets bounded answers, is counted, and leaves the association working', () => {
    const { p, toB } = connected();
    for (let i = 0; i < 5000; i++) {
      p.b.handlePacket(
        toB([
          {
            type: 'reconfig',
            params: [
              {
                type: 'outgoing-reset-request',
                requestSeq: (i * 7919) >>> 0,
                responseSeq: 0,
                senderLastTsn: i,
                streams: [1, 2, 3],
              },
              { type: 'add-outgoing-streams', requestSeq: i, count: 5 },
              { type: 'incoming-reset-request', requestSeq: i + 1, streams: [4] },
            ],
          },
        ]),
        p.now,
      );
    }
    expect(p.b.stats.reconfigRequestsReceived).toBe(5000);
    expect(p.b.stats.reconfigRequestsRejected).toBeGreaterThan(5000);
    // Nobody drained b: its control queue stayed bounded and the overflow was counted.
    expect(p.b.stats.droppedControlOverflow).toBeGreaterThan(4000);
    p.flush();
    stillWorks(p);
  });

  it('an INIT flood creates no state (the cookie carries it) and answers stay bounded', () => {
    const { p } = connected();
    for (let i = 0; i < 1000; i++) {
      const init = serializePacket({
        sourcePort: 5000,
        destinationPort: 5000,
        verificationTag: 0,
        chunks: [
          {
            type: 'init',
            initiateTag: i + 1,
            aRwnd: 1000,
            outboundStreams: 1,
            inboundStreams: 1,
            initialTsn: i,
            params: [],
            toReport: [],
          },
        ],
      });
      p.b.handlePacket(init, p.now);
    }
    expect(p.b.state).toBe('established');
    expect(p.b.stats.droppedControlOverflow).toBeGreaterThan(900);
    p.flush();
    stillWorks(p);
  });

  it('DATA without user data aborts with "No User Data" (RFC 9260 6.2)', () => {
    const { p, toB } = connected();
    p.inject(
      'b',
      toB([
        {
          type: 'data',
          tsn: 1,
          streamId: 0,
          ssn: 0,
          ppid: 0,
          payload: Buffer.alloc(0),
          unordered: false,
          beginning: true,
          end: true,
          immediate: false,
        },
      ]),
    );
    expect(p.b.state).toBe('closed');
    p.runUntil(() => p.a.state === 'closed', 1000);
    expect(p.eventsA.find((e) => e.type === 'aborted')).toMatchObject({
      byPeer: true,
      reason: expect.stringContaining('NoUserData'),
    });
  });
});

describe('heartbeat (RFC 9260 8.3)', () => {
  it('probes an idle path every HB.interval and aborts when heartbeats go unanswered', () => {
    let answer = true;
    let heartbeats = 0;
    const p = new Pair({
      filter: (bytes, from) => {
        const chunks = parsePacket(bytes).chunks;
        if (from === 'a' && chunks.some((c) => c.type === 'heartbeat')) heartbeats++;
        return !answer && from === 'b' && chunks.some((c) => c.type === 'heartbeat-ack');
      },
    });
    p.connect();
    const start = p.now;
    p.runUntil(() => heartbeats >= 3, 200_000);
    expect(heartbeats).toBe(3);
    expect(p.now - start).toBeGreaterThanOrEqual(3 * 30_000);
    expect(p.a.state).toBe('established');
    answer = false;
    p.runUntil(() => p.a.state === 'closed', 30 * 60_000);
    expect(p.eventsA.find((e) => e.type === 'aborted')).toMatchObject({ reason: 'heartbeat not answered' });
  });
});
