import { describe, expect, it } from 'vitest';
import {
  type ClientHello,
  encodeClientHello,
  parseClientHello,
} from '../src/handshake/messages/client-hello.js';
import { encodeServerHello, parseServerHello } from '../src/handshake/messages/server-hello.js';
import { CipherSuite, DtlsClient, HandshakeType } from '../src/index.js';
import { encodeRecord, parseDatagram } from '../src/record/record.js';
import { cert, containsHandshake, drainEvents, makePair, NOW, pump, rewriteHandshake } from './helpers.js';

function rewriteHello(fn: (ch: ClientHello) => ClientHello) {
  return (from: unknown, d: Buffer, client: unknown) =>
    from === client && containsHandshake(d, HandshakeType.client_hello)
      ? rewriteHandshake(d, HandshakeType.client_hello, (b) => encodeClientHello(fn(parseClientHello(b))))
      : d;
}

describe('negotiation failures end in the right alert', () => {
  it('no cipher suite fits the server certificate: handshake_failure', () => {
    const { client, server } = makePair({
      cipherSuites: [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
    });
    client.start(NOW);
    pump(client, server);
    expect(drainEvents(server)).toMatchObject([
      { type: 'error', error: { reason: 'no-shared-cipher', alert: 40 } },
    ]);
    expect(drainEvents(client)).toMatchObject([
      { type: 'error', error: { reason: 'alert-received', alert: 40 } },
    ]);
  });

  it('a client without extended_master_secret is refused (RFC 7627 5.3)', () => {
    const { client, server } = makePair({}, { requireCookie: false });
    client.start(NOW);
    const tap = rewriteHello((ch) => ({ ...ch, extensions: ch.extensions.filter((e) => e.type !== 23) }));
    pump(client, server, NOW, (from, d) => tap(from, d, client));
    expect(drainEvents(server)).toMatchObject([{ type: 'error', error: { reason: 'handshake-failure' } }]);
  });

  it('a client offering only DTLS 1.0 gets protocol_version', () => {
    const { client, server } = makePair({}, { requireCookie: false });
    client.start(NOW);
    const tap = rewriteHello((ch) => ({ ...ch, version: 0xfeff }));
    pump(client, server, NOW, (from, d) => tap(from, d, client));
    expect(drainEvents(server)).toMatchObject([
      { type: 'error', error: { reason: 'protocol-version', alert: 70 } },
    ]);
  });

  it('no group in common: handshake_failure', () => {
    const { client, server } = makePair({ groups: [0x0018] }, { groups: [0x001d] });
    client.start(NOW);
    pump(client, server);
    expect(drainEvents(server)).toMatchObject([{ type: 'error', error: { reason: 'handshake-failure' } }]);
  });

  it('overlapping SRTP lists pick the server preference; disjoint lists connect without SRTP', () => {
    const { client, server } = makePair({ srtpProfiles: [2] }, { srtpProfiles: [7, 1] });
    client.start(NOW);
    pump(client, server);
    expect(drainEvents(client)).toMatchObject([{ type: 'connected', srtpProfile: undefined }]);
    expect(() => client.srtpKeyingMaterial()).toThrow();
  });
});

describe('retransmission paths (RFC 6347 4.2.4)', () => {
  it('a lost final flight is resent when the client repeats its flight', () => {
    const { client, server } = makePair();
    client.start(NOW);
    let dropped = 0;
    pump(client, server, NOW, (from, d) => {
      // Drop the server's CCS+Finished (the only server datagram carrying an epoch-1 record) once.
      if (from === server && dropped === 0 && parseDatagram(d).records.some((r) => r.epoch === 1)) {
        dropped++;
        return undefined;
      }
      return d;
    });
    expect(dropped).toBe(1);
    expect(client.state).toBe('connected');
    expect(client.stats.retransmissions).toBe(1);
    expect(server.stats.retransmissions).toBe(1);
  });

  it('a client accepts a server that restarts record numbering after its HelloVerifyRequest', () => {
    const { client, server } = makePair();
    client.start(NOW);
    let sawHvr = false;
    pump(client, server, NOW, (from, d) => {
      if (from !== server) return d;
      if (!sawHvr) {
        sawHvr = true; // the HelloVerifyRequest itself, record 0
        return d;
      }
      // A stateless server that restarts at 0 (RFC 6347 4.2.1 allows it): shift every epoch-0 record down.
      const { records } = parseDatagram(d);
      return Buffer.concat(records.map((r) => encodeRecord(r.epoch === 0 ? { ...r, seq: r.seq - 1 } : r)));
    });
    expect(client.state).toBe('connected');
    expect(client.stats.replaysDropped).toBe(0);
    expect(client.stats.retransmissions).toBe(0);
  });

  it('a client that never hears back gives up and reports handshake-timeout without alerting', () => {
    const c = new DtlsClient({
      certificate: cert(),
      remoteFingerprints: [],
      retransmit: { maxRetransmits: 2 },
    });
    c.start(NOW);
    c.poll();
    for (const t of [1000, 3000, 7000]) {
      c.handleTimeout(NOW + t);
    }
    expect(c.state).toBe('failed');
    expect(drainEvents(c)).toMatchObject([{ type: 'error', error: { reason: 'handshake-timeout' } }]);
    expect(c.stats.retransmissions).toBe(2);
    expect(c.nextDeadline()).toBeUndefined();
  });
});

describe('records that overtake the key exchange (RFC 6347 4.1)', () => {
  it('holds an epoch-1 Finished that arrives before the ClientKeyExchange, without a retransmission', () => {
    const { client, server } = makePair({ mtu: 300 }, { mtu: 300 });
    client.start(NOW);
    let reversed = false;
    // Deliver the client's flight 5 datagrams in reverse order.
    const held: Buffer[] = [];
    for (let step = 0; step < 20; step++) {
      for (let d = client.poll(); d; d = client.poll()) held.push(d);
      if (held.some((d) => parseDatagram(d).records.some((r) => r.epoch === 1)) && !reversed) {
        reversed = true;
        held.reverse();
      }
      for (const d of held.splice(0)) server.handle(d, NOW);
      for (let d = server.poll(); d; d = server.poll()) client.handle(d, NOW);
    }
    expect(reversed).toBe(true);
    expect(server.state).toBe('connected');
    expect(client.state).toBe('connected');
    expect(client.stats.retransmissions + server.stats.retransmissions).toBe(0);
  });

  it('delivers application data that overtook the Finished only after the Finished verified', () => {
    const { client, server } = makePair();
    client.start(NOW);
    for (let step = 0; step < 10; step++) {
      for (let d = client.poll(); d; d = client.poll()) server.handle(d, NOW);
      const fromServer: Buffer[] = [];
      for (let d = server.poll(); d; d = server.poll()) fromServer.push(d);
      if (server.state === 'connected' && client.state !== 'connected' && fromServer.length > 0) {
        server.send(Buffer.from('early'));
        fromServer.unshift(server.poll()!); // the data record goes first
      }
      for (const d of fromServer) client.handle(d, NOW);
    }
    expect(drainEvents(client).map((e) => e.type)).toEqual(['connected', 'data']);
  });
});

describe('malformed or unsolicited server messages', () => {
  it('a truncated ServerHello is a decode_error', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server, NOW, (from, d) =>
      from === server && containsHandshake(d, HandshakeType.server_hello)
        ? rewriteHandshake(d, HandshakeType.server_hello, (b) => b.subarray(0, 20))
        : d,
    );
    expect(drainEvents(client)).toMatchObject([
      { type: 'error', error: { reason: 'decode-error', alert: 50 } },
    ]);
  });

  it('an extension the client never offered is an illegal_parameter (RFC 5246 7.4.1.4)', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server, NOW, (from, d) =>
      from === server && containsHandshake(d, HandshakeType.server_hello)
        ? rewriteHandshake(d, HandshakeType.server_hello, (b) => {
            const sh = parseServerHello(b);
            return encodeServerHello({
              ...sh,
              extensions: [...sh.extensions, { type: 0x1234, data: Buffer.alloc(0) }],
            });
          })
        : d,
    );
    expect(drainEvents(client)).toMatchObject([
      { type: 'error', error: { reason: 'illegal-parameter', alert: 47 } },
    ]);
  });

  it('a server choosing an SRTP profile the client did not offer is refused', () => {
    const { client, server } = makePair({ srtpProfiles: [1] });
    client.start(NOW);
    pump(client, server, NOW, (from, d) =>
      from === server && containsHandshake(d, HandshakeType.server_hello)
        ? rewriteHandshake(d, HandshakeType.server_hello, (b) => {
            const sh = parseServerHello(b);
            const exts = sh.extensions.map((e) =>
              e.type === 14 ? { type: 14, data: Buffer.from([0, 2, 0, 7, 0]) } : e,
            );
            return encodeServerHello({ ...sh, extensions: exts });
          })
        : d,
    );
    expect(drainEvents(client)).toMatchObject([{ type: 'error', error: { reason: 'illegal-parameter' } }]);
  });
});
