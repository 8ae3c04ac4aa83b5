import { describe, expect, it } from 'vitest';
import { type Chunk, parsePacket, SctpAssociation, serializePacket } from '../src/index.js';
import type { Parameter } from '../src/packet/parameter.js';
import { Pair, seededRandom } from './helpers/pair.js';

const packet = (tag: number, chunks: Chunk[]) =>
  serializePacket({ sourcePort: 5000, destinationPort: 5000, verificationTag: tag, chunks });

function tlv(code: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(code, 0);
  b.writeUInt16BE(8, 2);
  b.writeUInt32BE(0xdeadbeef, 4);
  return b;
}

const unknownParam = (code: number): Parameter => ({
  type: 'unknown',
  code,
  value: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
});

/** Connects a Pair while recording the tags each side chose (from INIT and INIT ACK). */
function connectedWithTags(): { p: Pair; aTag: number; bTag: number } {
  const tags = { a: 0, b: 0 };
  const p = new Pair({
    filter: (bytes) => {
      for (const c of parsePacket(bytes).chunks) {
        if (c.type === 'init') tags.a = c.initiateTag;
        if (c.type === 'init-ack') tags.b = c.initiateTag;
      }
      return false;
    },
  });
  p.connect();
  return { p, aTag: tags.a, bTag: tags.b };
}

describe('stale cookie (RFC 9260 5.2.6)', () => {
  it('restarts with a new INIT carrying a Cookie Preservative, then connects', () => {
    const inits: Chunk[] = [];
    // One-way delay 100 ms: the cookie comes back 200 ms after it was made; it lives 150 ms.
    const p = new Pair(
      {
        delayMs: 100,
        filter: (bytes, from) => {
          if (from === 'a') for (const c of parsePacket(bytes).chunks) if (c.type === 'init') inits.push(c);
          return false;
        },
      },
      {},
      { cookieLifetime: 150 },
    );
    p.connect();
    expect(p.a.state).toBe('established');
    expect(p.b.stats.staleCookies).toBe(1);
    expect(inits).toHaveLength(2);
    const first = inits[0]!;
    const second = inits[1]!;
    if (first.type !== 'init' || second.type !== 'init') throw new Error('not INIT');
    expect(first.params.some((x) => x.type === 'cookie-preservative')).toBe(false);
    const pres = second.params.find((x) => x.type === 'cookie-preservative');
    // Staleness was 50 ms (reported in microseconds): the increment asks for at least that.
    expect(pres?.type === 'cookie-preservative' && pres.lifeSpanIncrement).toBeGreaterThanOrEqual(50);
    expect(p.eventsA.filter((e) => e.type === 'connected')).toHaveLength(1);
  });

  it('gives up after maxInitRetransmits new INITs when every cookie is stale', () => {
    let inits = 0;
    const p = new Pair(
      {
        delayMs: 100,
        filter: (bytes, from) => {
          if (from === 'a' && parsePacket(bytes).chunks[0]?.type === 'init') inits++;
          return false;
        },
      },
      { maxInitRetransmits: 3 },
      { cookieLifetime: 10 },
    );
    p.a.connect(0);
    p.flush();
    p.runUntil(() => p.a.state === 'closed', 60_000);
    expect(p.a.state).toBe('closed');
    expect(p.eventsA.some((e) => e.type === 'aborted')).toBe(true);
    expect(inits).toBe(4);
    expect(p.b.state).toBe('closed');
  });
});

describe('unrecognized parameters (RFC 9260 3.2.1)', () => {
  it('INIT ACK parameters with upper bits 01/11 are reported in an ERROR bundled after COOKIE ECHO', () => {
    const a = new SctpAssociation({ random: seededRandom(1) });
    const b = new SctpAssociation({ random: seededRandom(2) });
    a.connect(0);
    b.handlePacket(a.pollTransmit(0)!, 0);
    const ackPkt = parsePacket(b.pollTransmit(0)!);
    const ack = ackPkt.chunks[0]!;
    if (ack.type !== 'init-ack') throw new Error('no INIT ACK');
    // 11: skip, report, go on; 10: skip silently, go on; 01: report and stop; after that nothing
    // is looked at (so 0xc999 is not reported).
    ack.params.push(unknownParam(0xc123), unknownParam(0x8001), unknownParam(0x4321), unknownParam(0xc999));
    a.handlePacket(packet(ackPkt.verificationTag, [ack]), 0);
    const echo = parsePacket(a.pollTransmit(0)!);
    expect(echo.chunks.map((c) => c.type)).toEqual(['cookie-echo', 'error']);
    const err = echo.chunks[1]!;
    if (err.type !== 'error') throw new Error('no ERROR');
    expect(err.causes).toEqual([
      { code: 8, info: tlv(0xc123) },
      { code: 8, info: tlv(0x4321) },
    ]);
    b.handlePacket(serializePacket(echo), 0);
    expect(b.state).toBe('established');
    const evs: string[] = [];
    for (let e = b.pollEvent(); e; e = b.pollEvent()) evs.push(e.type === 'peer-error' ? e.reason : e.type);
    expect(evs).toEqual(['connected', 'UnrecognizedParameters, UnrecognizedParameters']);
    a.handlePacket(b.pollTransmit(0)!, 0);
    expect(a.state).toBe('established');
  });

  it('INIT parameters with upper bits 01/11 come back as Unrecognized Parameter in the INIT ACK', () => {
    const b = new SctpAssociation({ random: seededRandom(2) });
    b.handlePacket(
      packet(0, [
        {
          type: 'init',
          initiateTag: 1234,
          aRwnd: 65536,
          outboundStreams: 10,
          inboundStreams: 10,
          initialTsn: 1,
          params: [unknownParam(0xc00f), unknownParam(0x800f)],
          toReport: [],
        },
      ]),
      0,
    );
    const ack = parsePacket(b.pollTransmit(0)!).chunks[0]!;
    if (ack.type !== 'init-ack') throw new Error('no INIT ACK');
    expect(ack.params.filter((x) => x.type === 'unrecognized-parameter')).toEqual([
      { type: 'unrecognized-parameter', raw: tlv(0xc00f) },
    ]);
  });
});

describe('T bit on ABORT and SHUTDOWN COMPLETE (RFC 9260 8.5.1 B, C)', () => {
  it('ABORT counts only with our tag and T clear, or the peer tag and T set', () => {
    const { p, aTag, bTag } = connectedWithTags();
    const abort = (tagReflected: boolean): Chunk => ({ type: 'abort', tagReflected, causes: [] });
    const dropped = p.a.stats.droppedVerificationTag;
    p.inject('a', packet(aTag, [abort(true)]));
    p.inject('a', packet(bTag, [abort(false)]));
    expect(p.a.state).toBe('established');
    expect(p.a.stats.droppedVerificationTag).toBe(dropped + 2);
    // With the peer's tag, only the reflected ABORT is taken, not a DATA bundled before it.
    p.inject(
      'a',
      packet(bTag, [
        {
          type: 'data',
          tsn: 0,
          streamId: 1,
          ssn: 0,
          ppid: 51,
          payload: Buffer.from('x'),
          unordered: false,
          beginning: true,
          end: true,
          immediate: false,
        },
        abort(true),
      ]),
    );
    expect(p.a.state).toBe('closed');
    expect(p.eventsA.some((e) => e.type === 'aborted')).toBe(true);
    expect(p.messages('a')).toHaveLength(0);

    const q = connectedWithTags();
    q.p.inject('a', packet(q.aTag, [abort(false)]));
    expect(q.p.a.state).toBe('closed');
  });

  it('SHUTDOWN COMPLETE counts only with our tag and T clear, or the peer tag and T set', () => {
    const shutdownAckSent = () => {
      const r = connectedWithTags();
      r.p.a.shutdown(r.p.now);
      for (let x = r.p.a.pollTransmit(r.p.now); x; x = r.p.a.pollTransmit(r.p.now))
        r.p.b.handlePacket(x, r.p.now);
      for (let x = r.p.b.pollTransmit(r.p.now); x; x = r.p.b.pollTransmit(r.p.now));
      expect(r.p.b.state).toBe('shutdown-ack-sent');
      return r;
    };
    const complete = (tagReflected: boolean): Chunk => ({ type: 'shutdown-complete', tagReflected });
    const r = shutdownAckSent();
    r.p.b.handlePacket(packet(r.bTag, [complete(true)]), r.p.now);
    r.p.b.handlePacket(packet(r.aTag, [complete(false)]), r.p.now);
    expect(r.p.b.state).toBe('shutdown-ack-sent');
    r.p.b.handlePacket(packet(r.aTag, [complete(true)]), r.p.now);
    expect(r.p.b.state).toBe('closed');
    const s = shutdownAckSent();
    s.p.b.handlePacket(packet(s.bTag, [complete(false)]), s.p.now);
    expect(s.p.b.state).toBe('closed');
  });
});
