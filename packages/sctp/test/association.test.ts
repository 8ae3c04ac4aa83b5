import { describe, expect, it } from 'vitest';
import { type Chunk, parsePacket, SctpAssociation, serializePacket } from '../src/index.js';
import { Pair, seededRandom } from './helpers/pair.js';

describe('association over an in-memory link', () => {
  it('completes the 4-way handshake and negotiates capabilities', () => {
    const p = new Pair();
    p.connect();
    expect(p.a.state).toBe('established');
    expect(p.b.state).toBe('established');
    expect(p.eventsA).toContainEqual({ type: 'connected' });
    expect(p.eventsB).toContainEqual({ type: 'connected' });
    expect(p.a.capabilities).toEqual({
      partialReliability: true,
      messageInterleaving: false,
      reconfig: true,
      zeroChecksumSend: false,
    });
  });

  it('transfers small and fragmented messages in order', () => {
    const p = new Pair();
    p.connect();
    const sizes = [1, 100, 1172, 1173, 5000, 65536, 262144];
    for (const [i, n] of sizes.entries()) expect(p.a.send(1, 53, Buffer.alloc(n, i + 1))).toBe('ok');
    p.runUntil(() => p.messages('b').length === sizes.length, 60_000);
    const got = p.messages('b');
    expect(got.map((m) => m.data.length)).toEqual(sizes);
    got.forEach((m, i) => {
      expect(m.data.every((x) => x === i + 1)).toBe(true);
      expect(m.ppid).toBe(53);
      expect(m.streamId).toBe(1);
    });
  });

  it('negotiates I-DATA when both enable it and interleaves streams', () => {
    const p = new Pair({}, { messageInterleaving: true }, { messageInterleaving: true });
    p.connect();
    expect(p.a.capabilities?.messageInterleaving).toBe(true);
    p.a.send(1, 53, Buffer.alloc(100_000, 1));
    p.a.send(2, 51, Buffer.from('small'));
    p.runUntil(() => p.messages('b').length === 2, 60_000);
    const got = p.messages('b');
    // The small message on another stream is not stuck behind the large one.
    expect(got[0]!.streamId).toBe(2);
    expect(got[1]!.data.length).toBe(100_000);
  });

  it('shuts down gracefully after delivering queued data', () => {
    const p = new Pair();
    p.connect();
    p.a.send(0, 53, Buffer.alloc(50_000, 3));
    p.a.shutdown(p.now);
    p.runUntil(() => p.a.state === 'closed' && p.b.state === 'closed', 60_000);
    expect(p.messages('b')).toHaveLength(1);
    expect(p.eventsA).toContainEqual({ type: 'closed' });
    expect(p.eventsB).toContainEqual({ type: 'closed' });
  });

  it('aborts and tells the peer', () => {
    const p = new Pair();
    p.connect();
    p.a.abort('bye');
    p.flush();
    p.runUntil(() => p.b.state === 'closed', 1000);
    expect(p.a.send(1, 51, Buffer.from('too late'), {}, p.now)).toBe('closed');
    expect(p.eventsB.find((e) => e.type === 'aborted')).toMatchObject({
      byPeer: true,
      reason: expect.stringContaining('bye'),
    });
  });
});

describe('flow control, scheduling and unknown chunks', () => {
  it('honours the peer receive window on send and bounds the receiver memory', () => {
    const window = 20_000;
    let dropped = false;
    const p = new Pair(
      {
        filter: (bytes, from) => {
          if (from === 'a' && !dropped && parsePacket(bytes).chunks.some((c) => c.type === 'data')) {
            dropped = true;
            return true;
          }
          return false;
        },
      },
      {},
      { maxReceiverWindow: window },
    );
    p.connect();
    for (let i = 0; i < 60; i++) p.a.send(1, 53, Buffer.alloc(2000, i), {}, p.now);
    p.flush();
    let maxInFlight = 0;
    let maxHeld = 0;
    p.runUntil(() => {
      maxInFlight = Math.max(maxInFlight, p.a.congestion?.inFlight ?? 0);
      maxHeld = Math.max(maxHeld, p.b.receiveBufferedBytes);
      return p.messages('b').length === 60;
    }, 60_000);
    expect(p.messages('b')).toHaveLength(60);
    expect(p.messages('b').every((m, i) => m.data[0] === i)).toBe(true);
    expect(maxHeld).toBeLessThanOrEqual(window + 1200);
    expect(maxInFlight).toBeLessThanOrEqual(window + 1200);
  });

  it('round-robin: a small message on another stream is not stuck behind a busy stream', () => {
    const p = new Pair();
    p.connect();
    for (let i = 0; i < 10; i++) p.a.send(1, 53, Buffer.alloc(100_000, 1), {}, p.now);
    p.a.send(2, 51, Buffer.from('urgent'), {}, p.now);
    p.flush();
    p.runUntil(() => p.messages('b').some((m) => m.streamId === 2), 60_000);
    const before = p.messages('b').filter((m) => m.streamId === 1).length;
    expect(before).toBeLessThanOrEqual(1);
  });

  it('handles unknown chunk types by their upper two bits (RFC 9260 3.2)', () => {
    let tag = 0;
    let hbAcks = 0;
    const p = new Pair({
      filter: (bytes, from) => {
        const pkt = parsePacket(bytes);
        if (from === 'a') tag = pkt.verificationTag || tag;
        else
          hbAcks += pkt.chunks.filter(
            (c) =>
              c.type === 'heartbeat-ack' &&
              c.params.some((x) => x.type === 'heartbeat-info' && x.info.toString() === 'hb'),
          ).length;
        return false;
      },
    });
    p.connect();
    const errors = () => p.eventsA.filter((e) => e.type === 'peer-error').length;
    const send = (code: number) => {
      const chunks: Chunk[] = [
        { type: 'unknown', code, flags: 0, value: Buffer.from('zz') },
        { type: 'heartbeat', params: [{ type: 'heartbeat-info', info: Buffer.from('hb') }] },
      ];
      p.inject(
        'b',
        serializePacket({ sourcePort: 5000, destinationPort: 5000, verificationTag: tag, chunks }),
      );
      p.runUntil(() => false, 100);
    };
    const acks = () => hbAcks;
    let sent = acks();
    send(0x3f); // 00: stop, no report
    expect(acks()).toBe(sent);
    expect(errors()).toBe(0);
    send(0x7f); // 01: stop, report
    expect(errors()).toBe(1);
    sent = acks();
    send(0xbf); // 10: skip, go on (the HEARTBEAT is answered)
    expect(acks()).toBe(sent + 1);
    expect(errors()).toBe(1);
    send(0xff); // 11: skip, report, go on
    expect(errors()).toBe(2);
    expect(p.b.stats.unknownChunks).toBe(4);
  });

  it('a peer restart (new INIT in ESTABLISHED, tie-tags in the cookie) is detected (RFC 9260 5.2.4 A)', () => {
    const p = new Pair();
    p.connect();
    const fresh = new SctpAssociation({ random: seededRandom(99) });
    fresh.connect(p.now);
    for (let i = 0; i < 10; i++) {
      for (let x = fresh.pollTransmit(p.now); x; x = fresh.pollTransmit(p.now)) p.b.handlePacket(x, p.now);
      for (let x = p.b.pollTransmit(p.now); x; x = p.b.pollTransmit(p.now)) fresh.handlePacket(x, p.now);
    }
    expect(fresh.state).toBe('established');
    const evs: string[] = [];
    for (let e = p.b.pollEvent(); e; e = p.b.pollEvent()) evs.push(e.type);
    expect(evs).toContain('restarted');
    fresh.send(1, 51, Buffer.from('after restart'), {}, p.now);
    let got = '';
    for (let i = 0; i < 10; i++) {
      for (let x = fresh.pollTransmit(p.now); x; x = fresh.pollTransmit(p.now)) p.b.handlePacket(x, p.now);
      for (let x = p.b.pollTransmit(p.now); x; x = p.b.pollTransmit(p.now)) fresh.handlePacket(x, p.now);
      for (let e = p.b.pollEvent(); e; e = p.b.pollEvent()) if (e.type === 'message') got = e.data.toString();
    }
    expect(got).toBe('after restart');
  });

  it('refuses messages above the peer max-message-size (RFC 8841)', () => {
    const p = new Pair();
    p.connect();
    p.a.setRemoteMaxMessageSize(65536);
    expect(p.a.send(1, 53, Buffer.alloc(65537), {}, p.now)).toBe('too-large');
    expect(p.a.send(1, 53, Buffer.alloc(65536), {}, p.now)).toBe('ok');
    expect(p.a.send(1, 53, Buffer.alloc(0), {}, p.now)).toBe('empty');
  });
});

describe('against Chrome 156 INIT parameters', () => {
  it('answers a Chrome-style INIT with an INIT ACK carrying a cookie and no I-DATA', () => {
    const b = new SctpAssociation({ random: seededRandom(5), messageInterleaving: true });
    const init = serializePacket({
      sourcePort: 5000,
      destinationPort: 5000,
      verificationTag: 0,
      chunks: [
        {
          type: 'init',
          initiateTag: 0x6c3f1a2b,
          aRwnd: 5242880,
          outboundStreams: 65535,
          inboundStreams: 65535,
          initialTsn: 0x7a1b2c3d,
          params: [
            { type: 'forward-tsn-supported' },
            { type: 'supported-extensions', chunkTypes: [130, 192] },
          ],
          toReport: [],
        },
      ],
    });
    b.handlePacket(init, 0);
    const out = b.pollTransmit(0);
    expect(out).toBeDefined();
    const pkt = parsePacket(out!);
    expect(pkt.verificationTag).toBe(0x6c3f1a2b);
    const ack = pkt.chunks[0]!;
    expect(ack.type).toBe('init-ack');
    if (ack.type !== 'init-ack') return;
    expect(ack.params.some((p) => p.type === 'state-cookie')).toBe(true);
    expect(ack.params.some((p) => p.type === 'forward-tsn-supported')).toBe(true);
    expect(b.state).toBe('closed'); // no state until the cookie comes back
  });
});
