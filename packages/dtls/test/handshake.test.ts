import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, CipherSuite, NamedGroup, SrtpProtectionProfile } from '../src/index.js';
import { cert, drainEvents, makePair, NOW, pump } from './helpers.js';

describe('in-memory handshake', () => {
  for (const suite of CIPHER_SUITES) {
    it(`completes with ${suite.name}`, () => {
      const keyType = suite.auth;
      const { client, server } = makePair(
        { certificate: cert(keyType, 0), cipherSuites: [suite.id] },
        { certificate: cert(keyType, 1) },
      );
      client.start(NOW);
      server.start(NOW);
      pump(client, server);
      const ce = drainEvents(client);
      const se = drainEvents(server);
      expect(ce[0]).toMatchObject({ type: 'connected', cipherSuite: suite.name });
      expect(se[0]).toMatchObject({ type: 'connected', cipherSuite: suite.name });
      expect(client.negotiatedCipherSuite).toBe(suite.name);
      expect(server.tlsVersion).toBe('FEFD');
      expect(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60)).toEqual(
        server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60),
      );
      client.send(Buffer.from('ping'));
      pump(client, server);
      expect(drainEvents(server)).toEqual([{ type: 'data', data: Buffer.from('ping') }]);
      server.send(Buffer.from('pong'));
      pump(client, server);
      expect(drainEvents(client)).toEqual([{ type: 'data', data: Buffer.from('pong') }]);
    });
  }

  for (const group of [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1]) {
    it(`negotiates group 0x${group.toString(16)}`, () => {
      const { client, server } = makePair({ groups: [group] });
      client.start(NOW);
      pump(client, server);
      expect(client.state).toBe('connected');
      expect(server.state).toBe('connected');
    });
  }

  it('mixes an RSA client with an ECDSA server', () => {
    const { client, server } = makePair({ certificate: cert('rsa', 0) }, { certificate: cert('ecdsa', 1) });
    client.start(NOW);
    pump(client, server);
    expect(client.state).toBe('connected');
    expect(server.state).toBe('connected');
    expect(drainEvents(client)[0]).toMatchObject({
      cipherSuite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    });
  });

  it('negotiates the SRTP profile by the server preference', () => {
    const { client, server } = makePair(
      {
        srtpProfiles: [
          SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
          SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
        ],
      },
      {
        srtpProfiles: [
          SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
          SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
        ],
      },
    );
    client.start(NOW);
    pump(client, server);
    const ev = drainEvents(client)[0];
    expect(ev).toMatchObject({ type: 'connected', srtpProfile: SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM });
    expect(server.negotiatedSrtpProfile).toBe(SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM);
  });

  it('connects without SRTP when the client offers none', () => {
    const { client, server } = makePair({ srtpProfiles: [] });
    client.start(NOW);
    pump(client, server);
    expect(drainEvents(client)[0]).toMatchObject({ type: 'connected', srtpProfile: undefined });
    expect(server.state).toBe('connected');
  });

  it('prefers the server order of cipher suites', () => {
    const { client, server } = makePair(
      {},
      { cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256] },
    );
    client.start(NOW);
    pump(client, server);
    expect(drainEvents(server)[0]).toMatchObject({
      cipherSuite: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    });
  });

  it('does a cookie exchange and then reports the key log', () => {
    const lines: string[] = [];
    const { client, server } = makePair({ keyLog: (l) => lines.push(l) });
    client.start(NOW);
    pump(client, server);
    expect(server.stats.helloVerifyRequestsSent).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
  });

  it('closes with close_notify in both directions', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server);
    drainEvents(client);
    drainEvents(server);
    client.close();
    pump(client, server);
    expect(drainEvents(client)).toEqual([{ type: 'closed', initiator: 'local' }]);
    expect(drainEvents(server)).toEqual([{ type: 'closed', initiator: 'remote' }]);
    expect(server.state).toBe('closed');
  });
});
