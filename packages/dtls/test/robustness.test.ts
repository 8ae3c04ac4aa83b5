import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CookieAuthority, DtlsClient, type DtlsServer, inspectClientHello } from '../src/index.js';
import { cert, drainDatagrams, drainEvents, makePair, NOW, pump } from './helpers.js';

function internals(server: DtlsServer) {
  return server as unknown as {
    reassembler: { bufferedBytes: number; bufferedMessages: number; expectedSeq: number };
    transcript: { bytes(): Buffer };
    clientRandom: Buffer | undefined;
  };
}

function firstHello(seed: number): Buffer {
  let n = seed;
  const client = new DtlsClient({
    certificate: cert('ecdsa', 0),
    remoteFingerprints: [],
    randomBytes: (len) => {
      const b = Buffer.alloc(len);
      b.writeUInt32BE(n++ >>> 0);
      return b;
    },
  });
  client.start(NOW);
  return drainDatagrams(client)[0]!;
}

describe('stateless cookies (RFC 6347 4.2.1)', () => {
  it('a flood of ClientHellos without cookies creates no per-client state', () => {
    const { server } = makePair();
    server.start(NOW);
    const hello = firstHello(1);
    for (let i = 0; i < 3000; i++) {
      const d = Buffer.from(hello);
      d.writeUInt32BE(i, 13 + 12 + 2); // a fresh client random each time
      server.handle(d, NOW + i);
    }
    expect(drainDatagrams(server).length).toBe(3000);
    expect(server.stats.helloVerifyRequestsSent).toBe(3000);
    expect(server.awaitingCookie).toBe(true);
    const s = internals(server);
    expect(s.reassembler.bufferedBytes).toBe(0);
    expect(s.reassembler.bufferedMessages).toBe(0);
    expect(s.transcript.bytes().length).toBe(0);
    expect(s.clientRandom).toBeUndefined();
    expect(server.nextDeadline()).toBeUndefined();
    expect(drainEvents(server)).toEqual([]);
  });

  it('binds the cookie to the client address and hello random', () => {
    const auth = new CookieAuthority(Buffer.alloc(32, 5));
    const hello = firstHello(9);
    const v = inspectClientHello(hello, '192.0.2.1:4000', auth);
    expect(v.action).toBe('reply');
    // Only a real ClientHello is answered; other DTLS or junk is dropped without a reply.
    expect(inspectClientHello(Buffer.from('not dtls'), 'a', auth).action).toBe('drop');
    const random = hello.subarray(13 + 12 + 2, 13 + 12 + 34);
    const good = auth.issue('192.0.2.1:4000', 0xfefd, random, Buffer.alloc(0));
    expect(auth.verify('192.0.2.1:4000', 0xfefd, random, Buffer.alloc(0), good)).toBe(true);
    expect(auth.verify('192.0.2.1:4001', 0xfefd, random, Buffer.alloc(0), good)).toBe(false);
    const otherRandom = Buffer.from(random);
    otherRandom[0]! ^= 1;
    expect(auth.verify('192.0.2.1:4000', 0xfefd, otherRandom, Buffer.alloc(0), good)).toBe(false);
  });
});

describe('bad input never throws and never corrupts an established connection', () => {
  it('random datagrams at a connected pair are dropped; data still flows', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server);
    drainEvents(client);
    drainEvents(server);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom(20, 21, 22, 23),
        fc.integer({ min: 0, max: 3 }),
        (junk, type, epoch) => {
          // Half the cases carry a plausible DTLS header so they reach the record layer.
          const header = Buffer.alloc(13);
          header[0] = type;
          header.writeUInt16BE(0xfefd, 1);
          header.writeUInt16BE(epoch, 3);
          header.writeUIntBE(1000 + junk.length, 5, 6);
          header.writeUInt16BE(junk.length, 11);
          expect(() => server.handle(Buffer.concat([header, junk]), NOW)).not.toThrow();
          expect(() => client.handle(junk, NOW)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
    expect(server.state).toBe('connected');
    expect(client.state).toBe('connected');
    drainDatagrams(server);
    drainDatagrams(client);
    client.send(Buffer.from('after the storm'));
    pump(client, server);
    expect(drainEvents(server).filter((e) => e.type === 'data')).toEqual([
      { type: 'data', data: Buffer.from('after the storm') },
    ]);
  });

  it('mutated handshake datagrams never make handle() throw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        (target, flips) => {
          const { client, server } = makePair({}, { requireCookie: false });
          client.start(NOW);
          let n = 0;
          expect(() =>
            pump(client, server, NOW, (_from, d) => {
              if (n++ !== target) return d;
              const m = Buffer.from(d);
              for (const [pos, v] of flips) m[pos % m.length] = v;
              return m;
            }),
          ).not.toThrow();
          // Either the corruption was dropped and the handshake finished, or one side failed cleanly.
          const states = [client.state, server.state];
          expect(states.every((s) => s === 'connected' || s === 'failed' || s === 'handshaking')).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('epochs after the handshake', () => {
  it('drops a plaintext (epoch 0) fatal alert or close_notify once connected', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server);
    drainEvents(server);
    for (const description of [0, 40]) {
      const alert = Buffer.from([
        21,
        0xfe,
        0xfd,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        100 + description,
        0,
        2,
        2,
        description,
      ]);
      server.handle(alert, NOW);
    }
    expect(server.state).toBe('connected');
    expect(drainEvents(server)).toEqual([]);
    expect(server.stats.recordsDropped).toBeGreaterThanOrEqual(2);
  });

  it('a client ignores datagrams before it starts', () => {
    const { client } = makePair();
    client.handle(Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), NOW);
    expect(client.state).toBe('new');
    expect(drainEvents(client)).toEqual([]);
  });
});

describe('the stateless front door never throws', () => {
  it('inspectClientHello on arbitrary and mutated datagrams', () => {
    const auth = new CookieAuthority(Buffer.alloc(32, 1));
    const hello = firstHello(3);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }),
        (junk, flips) => {
          const mutated = Buffer.from(hello);
          for (const [pos, v] of flips) mutated[pos % mutated.length] = v;
          for (const d of [Buffer.from(junk), mutated]) {
            const v = inspectClientHello(d, 'x', auth);
            expect(['accept', 'reply', 'drop']).toContain(v.action);
            expect(v.action).not.toBe('accept');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
