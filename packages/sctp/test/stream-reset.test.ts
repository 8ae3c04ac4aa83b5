import { describe, expect, it } from 'vitest';
import { parsePacket, SctpAssociation } from '../src/index.js';
import { Pair } from './helpers/pair.js';

describe('stream reset (RFC 6525)', () => {
  it('resets an outgoing stream; the peer performs it and SSNs restart at 0', () => {
    const p = new Pair();
    p.connect();
    p.a.send(3, 51, Buffer.from('before'), {}, p.now);
    p.a.resetStreams([3]);
    p.a.send(3, 51, Buffer.from('after'), {}, p.now); // waits until the reset is performed
    p.flush();
    p.runUntil(() => p.messages('b').length === 2, 10_000);
    expect(p.messages('b').map((m) => m.data.toString())).toEqual(['before', 'after']);
    expect(p.eventsA).toContainEqual({ type: 'outgoing-streams-reset', streams: [3] });
    expect(p.eventsB).toContainEqual({ type: 'incoming-streams-reset', streams: [3] });
  });

  it('resets hundreds of streams in packets that fit the MTU', () => {
    let biggest = 0;
    const p = new Pair({
      filter: (bytes) => {
        biggest = Math.max(biggest, bytes.length);
        return false;
      },
    });
    p.connect();
    const ids = Array.from({ length: 600 }, (_, i) => i);
    for (const id of ids) p.a.send(id, 51, Buffer.from('x'), {}, p.now);
    p.a.resetStreams(ids);
    p.flush();
    const done = new Set<number>();
    p.runUntil(() => {
      for (const e of p.eventsA)
        if (e.type === 'outgoing-streams-reset') for (const id of e.streams) done.add(id);
      return done.size === 600;
    }, 60_000);
    expect(done.size).toBe(600);
    expect(biggest).toBeLessThanOrEqual(1200);
  });

  it('defers the reset until data up to the sender’s last TSN has arrived (In progress)', () => {
    let dropped = false;
    const seen: string[] = [];
    const p = new Pair({
      filter: (bytes, from) => {
        const pkt = parsePacket(bytes);
        for (const c of pkt.chunks) {
          if (c.type === 'reconfig')
            for (const prm of c.params) seen.push(`${from}:${prm.type}:${'result' in prm ? prm.result : ''}`);
        }
        // Lose the first DATA packet so the reset request overtakes it.
        if (from === 'a' && !dropped && pkt.chunks.some((c) => c.type === 'data')) {
          dropped = true;
          return true;
        }
        return false;
      },
    });
    p.connect();
    p.a.send(5, 51, Buffer.from('in flight'), {}, p.now);
    p.flush();
    p.a.resetStreams([5]);
    p.flush();
    p.runUntil(() => p.eventsA.some((e) => e.type === 'outgoing-streams-reset'), 20_000);
    expect(seen).toContain('b:reconfig-response:6'); // In progress
    expect(seen).toContain('b:reconfig-response:1'); // then Performed
    expect(p.messages('b').map((m) => m.data.toString())).toEqual(['in flight']);
    p.a.send(5, 51, Buffer.from('new life'), {}, p.now);
    p.flush();
    p.runUntil(() => p.messages('b').length === 2, 10_000);
    expect(p.messages('b')[1]!.data.toString()).toBe('new life');
  });
});

describe('handshake variants', () => {
  it('both ends connect at once (RFC 9260 5.2.1 collision) and end up with one association', () => {
    const p = new Pair();
    p.a.connect(0);
    p.b.connect(0);
    p.flush();
    p.runUntil(() => p.a.state === 'established' && p.b.state === 'established', 10_000);
    expect(p.a.state).toBe('established');
    expect(p.b.state).toBe('established');
    p.a.send(1, 51, Buffer.from('x'), {}, p.now);
    p.b.send(1, 51, Buffer.from('y'), {}, p.now);
    p.flush();
    p.runUntil(() => p.messages('a').length === 1 && p.messages('b').length === 1, 10_000);
    expect(p.messages('a')[0]!.data.toString()).toBe('y');
  });

  it('retransmits a lost INIT and COOKIE ECHO with backoff', () => {
    let n = 0;
    const p = new Pair({
      filter: (bytes) =>
        parsePacket(bytes).chunks.some((c) => c.type === 'init' || c.type === 'cookie-echo') && n++ % 2 === 0,
    });
    p.connect();
    expect(p.a.state).toBe('established');
    expect(n).toBe(4);
  });

  it('zero checksum (RFC 9653): used only when the peer advertised it, accepted only when we did', () => {
    const zeros = { a: 0, b: 0 };
    const p = new Pair(
      {
        filter: (bytes, from) => {
          if (bytes.readUInt32LE(8) === 0) zeros[from]++;
          return false;
        },
      },
      { zeroChecksum: true },
      { zeroChecksum: false },
    );
    p.connect();
    p.a.send(1, 51, Buffer.from('x'), {}, p.now);
    p.b.send(1, 51, Buffer.from('y'), {}, p.now);
    p.flush();
    p.runUntil(() => p.messages('a').length === 1 && p.messages('b').length === 1, 10_000);
    // b may send zeros to a (a advertised acceptance); a must not send zeros to b.
    expect(zeros.a).toBe(0);
    expect(zeros.b).toBeGreaterThan(0);
    expect(p.b.capabilities?.zeroChecksumSend).toBe(true);
    expect(p.a.capabilities?.zeroChecksumSend).toBe(false);
  });

  it('answers a stale cookie with an ERROR and establishes nothing', () => {
    let cookieEcho: Buffer | undefined;
    const p = new Pair({
      filter: (bytes) => {
        if (parsePacket(bytes).chunks.some((c) => c.type === 'cookie-echo')) {
          cookieEcho ??= Buffer.from(bytes);
          return true;
        }
        return false;
      },
    });
    p.a.connect(0);
    p.flush();
    p.runUntil(() => cookieEcho !== undefined, 1000);
    p.now += 120_000;
    p.b.handlePacket(cookieEcho!, p.now);
    expect(p.b.stats.staleCookies).toBe(1);
    expect(p.b.state).toBe('closed');
    const answer = p.b.pollTransmit(p.now);
    expect(answer && parsePacket(answer).chunks[0]).toMatchObject({ type: 'error', causes: [{ code: 3 }] });
  });
});

describe('SNAP (INIT chunks exchanged out of band)', () => {
  it('starts both ends from each other’s INIT with no handshake on the wire', () => {
    const p = new Pair();
    const initA = p.a.localInitForSnap();
    const initB = p.b.localInitForSnap();
    expect(initA[0]).toBe(1); // an INIT chunk
    expect(p.a.startWithPeerInit(initB, 0)).toBe(true);
    expect(p.b.startWithPeerInit(initA, 0)).toBe(true);
    expect(p.a.state).toBe('established');
    p.a.send(1, 51, Buffer.from('snap'), {}, p.now);
    p.flush();
    p.runUntil(() => p.messages('b').length === 1, 5000);
    expect(p.messages('b')[0]!.data.toString()).toBe('snap');
    const c = new SctpAssociation();
    c.localInitForSnap();
    expect(c.startWithPeerInit(Buffer.from([1, 0, 0, 4]), 0)).toBe(false); // truncated INIT
    expect(c.startWithPeerInit(Buffer.from([9, 0, 0, 4]), 0)).toBe(false); // not an INIT
    expect(c.state).toBe('closed');
  });
});
