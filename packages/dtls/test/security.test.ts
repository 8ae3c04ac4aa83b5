import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AlertDescription,
  DtlsClient,
  type DtlsConnection,
  DtlsServer,
  HandshakeType,
} from '../src/index.js';
import { cert, containsHandshake, drainEvents, makePair, NOW, pump, rewriteHandshake } from './helpers.js';

/** The victim must fail with `reason`, alert the peer fatally, and never report connected or data. */
function expectRejected(victim: DtlsConnection, other: DtlsConnection, reason: string, alert: number): void {
  const ve = drainEvents(victim);
  expect(ve.find((e) => e.type === 'connected')).toBeUndefined();
  expect(ve.find((e) => e.type === 'data')).toBeUndefined();
  const err = ve.find((e) => e.type === 'error');
  expect(err).toMatchObject({ type: 'error', error: { name: 'DtlsError', reason, alert } });
  expect(victim.state).toBe('failed');
  const oe = drainEvents(other);
  expect(oe.find((e) => e.type === 'data')).toBeUndefined();
  expect(oe.find((e) => e.type === 'error')).toMatchObject({
    error: { reason: 'alert-received', alert },
  });
  expect(() => victim.send(Buffer.from('secret'))).toThrow();
  expect(() => victim.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60)).toThrow();
}

describe('security: every step is verified', () => {
  it('client rejects a server certificate that does not match the expected fingerprint', () => {
    const { client, server } = makePair({ remoteFingerprints: cert('ecdsa', 2).getFingerprints() });
    client.start(NOW);
    pump(client, server);
    expectRejected(client, server, 'fingerprint-mismatch', AlertDescription.bad_certificate);
  });

  it('server rejects a client certificate that does not match the expected fingerprint', () => {
    const { client, server } = makePair({}, { remoteFingerprints: cert('ecdsa', 2).getFingerprints() });
    client.start(NOW);
    pump(client, server);
    expectRejected(server, client, 'fingerprint-mismatch', AlertDescription.bad_certificate);
  });

  it('accepts any of several fingerprints with different hashes, upper or lower case', () => {
    const serverCert = cert('ecdsa', 1);
    const sha384 = serverCert.getFingerprints(['sha-384'])[0]!;
    const { client, server } = makePair({
      remoteFingerprints: [
        { algorithm: 'sha-256', value: cert('ecdsa', 2).getFingerprints()[0]!.value },
        { algorithm: 'SHA-384', value: sha384.value.toLowerCase() },
      ],
    });
    client.start(NOW);
    pump(client, server);
    expect(client.state).toBe('connected');
  });

  it('client rejects a ServerKeyExchange whose ECDHE key was swapped by a man in the middle', () => {
    const { client, server } = makePair({ groups: [0x001d] });
    const attackerKey = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }).x!;
    client.start(NOW);
    pump(client, server, NOW, (from, d) => {
      if (from !== server || !containsHandshake(d, HandshakeType.server_key_exchange)) return d;
      return rewriteHandshake(d, HandshakeType.server_key_exchange, (body) => {
        Buffer.from(attackerKey, 'base64url').copy(body, 4);
        return body;
      });
    });
    expectRejected(client, server, 'bad-signature', AlertDescription.decrypt_error);
  });

  it('client rejects a ServerKeyExchange with a corrupted signature', () => {
    const { client, server } = makePair({ certificate: cert('rsa', 0) }, { certificate: cert('rsa', 1) });
    client.start(NOW);
    pump(client, server, NOW, (from, d) => {
      if (from !== server || !containsHandshake(d, HandshakeType.server_key_exchange)) return d;
      return rewriteHandshake(d, HandshakeType.server_key_exchange, (body) => {
        body[body.length - 1]! ^= 0x01;
        return body;
      });
    });
    expectRejected(client, server, 'bad-signature', AlertDescription.decrypt_error);
  });

  it('server rejects a forged CertificateVerify', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server, NOW, (from, d) => {
      if (from !== client || !containsHandshake(d, HandshakeType.certificate_verify)) return d;
      return rewriteHandshake(d, HandshakeType.certificate_verify, (body) => {
        // Keep the DER structure valid, change the value of s.
        body[body.length - 2]! ^= 0x40;
        return body;
      });
    });
    expectRejected(server, client, 'bad-signature', AlertDescription.decrypt_error);
  });

  it('server rejects a wrong client Finished', () => {
    class LyingClient extends DtlsClient {
      protected override computeVerifyData(who: 'client' | 'server'): Buffer {
        const v = super.computeVerifyData(who);
        if (who === 'client') v[0]! ^= 1;
        return v;
      }
    }
    const serverCert = cert('ecdsa', 1);
    const clientCert = cert('ecdsa', 0);
    const client = new LyingClient({
      certificate: clientCert,
      remoteFingerprints: serverCert.getFingerprints(),
    });
    const server = new DtlsServer({
      certificate: serverCert,
      remoteFingerprints: clientCert.getFingerprints(),
    });
    client.start(NOW);
    pump(client, server);
    expectRejected(server, client, 'bad-finished', AlertDescription.decrypt_error);
  });

  it('client rejects a wrong server Finished', () => {
    class LyingServer extends DtlsServer {
      protected override computeVerifyData(who: 'client' | 'server'): Buffer {
        const v = super.computeVerifyData(who);
        if (who === 'server') v[11]! ^= 0x80;
        return v;
      }
    }
    const serverCert = cert('ecdsa', 1);
    const clientCert = cert('ecdsa', 0);
    const client = new DtlsClient({
      certificate: clientCert,
      remoteFingerprints: serverCert.getFingerprints(),
    });
    const server = new LyingServer({
      certificate: serverCert,
      remoteFingerprints: clientCert.getFingerprints(),
    });
    client.start(NOW);
    pump(client, server);
    expectRejected(client, server, 'bad-finished', AlertDescription.decrypt_error);
  });

  it('server refuses a client that sends an empty certificate list', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server, NOW, (from, d) => {
      if (from !== client || !containsHandshake(d, HandshakeType.certificate)) return d;
      return rewriteHandshake(d, HandshakeType.certificate, () => Buffer.of(0, 0, 0));
    });
    expectRejected(server, client, 'missing-certificate', AlertDescription.handshake_failure);
  });

  it('refuses renegotiation after the handshake', () => {
    const { client, server } = makePair();
    client.start(NOW);
    pump(client, server);
    drainEvents(client);
    drainEvents(server);
    // A ClientHello at the next message_seq in epoch 1 is a renegotiation attempt (RFC 5746).
    const internals = client as unknown as {
      nextSendSeq: number;
      sendFlight: (m: unknown[], n: number, r: boolean) => void;
    };
    internals.sendFlight(
      [
        {
          kind: 'handshake',
          epoch: 1,
          msgType: 1,
          messageSeq: internals.nextSendSeq,
          body: Buffer.alloc(40),
        },
      ],
      NOW,
      false,
    );
    const out: Buffer[] = [];
    pump(client, server, NOW, (from, d) => {
      if (from === server) out.push(d);
      return d;
    });
    expect(server.state).toBe('connected');
    // One warning alert: no_renegotiation (RFC 5746 4.4), and the connection carries on.
    expect(out.length).toBe(1);
    expect(out[0]![0]).toBe(21);
    client.send(Buffer.from('still fine'));
    pump(client, server);
    expect(drainEvents(server)).toEqual([{ type: 'data', data: Buffer.from('still fine') }]);
  });
});
