import { afterEach, describe, expect, it } from 'vitest';
import { UdpTransport, DtlsClient as WeriftDtlsClient, DtlsServer as WeriftDtlsServer } from 'werift';
import {
  DtlsClient,
  type DtlsEvent,
  DtlsServer,
  type DtlsStats,
  DtlsUdpDriver,
  fingerprint,
  SrtpProtectionProfile,
} from '../src/index.js';
import { cert } from './helpers.js';
import { waitUntil } from './interop-helpers.js';

// werift speaks ECDHE_ECDSA/RSA with AES-128-GCM, X25519/P-256, and SRTP profiles 1 and 7.
const ECDSA_SHA256 = { hash: 4 as const, signature: 3 as const };
const RSA_SHA256 = { hash: 4 as const, signature: 1 as const };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each([
  { keyType: 'ecdsa' as const, sig: ECDSA_SHA256, suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' },
  { keyType: 'rsa' as const, sig: RSA_SHA256, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
])('interop with werift DTLS in one process over loopback UDP ($keyType)', ({ keyType, sig, suite }) => {
  it('our client -> werift server, with echo and matching exporter', async () => {
    const weriftCert = cert(keyType, 1).toPem();
    const transport = await UdpTransport.init('udp4');
    const server = new WeriftDtlsServer({
      transport,
      cert: weriftCert.cert,
      key: weriftCert.key,
      signatureHash: sig,
      certificateRequest: true,
      extendedMasterSecret: true,
      srtpProfiles: [
        SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
        SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
      ],
    });
    cleanups.push(() => server.close());
    cleanups.push(() => transport.close());
    let weriftConnected = false;
    server.onConnect.subscribe(() => {
      weriftConnected = true;
    });
    server.onData.subscribe((data) => {
      void server.send(Buffer.concat([Buffer.from('echo:'), data]));
    });

    const events: DtlsEvent[] = [];
    const client = new DtlsClient({
      certificate: cert(keyType, 0),
      remoteFingerprints: cert(keyType, 1).getFingerprints(),
      retransmit: { initialMs: 200 },
    });
    const driver = await DtlsUdpDriver.open(client, {
      remote: { address: '127.0.0.1', port: transport.address.port },
      onEvent: (e) => events.push(e),
    });
    cleanups.push(() => driver.close());
    driver.start();
    await waitUntil(
      () => events.some((e) => e.type === 'connected' || e.type === 'error'),
      8000,
      'handshake',
    );
    expect(events.find((e) => e.type === 'connected')).toMatchObject({
      cipherSuite: suite,
      srtpProfile: SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
    });
    await waitUntil(() => weriftConnected, 8000, 'werift connected');
    expect(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60)).toEqual(
      server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60),
    );
    expect(fingerprint(server.remoteCertificate!)).toEqual(cert(keyType, 0).getFingerprints()[0]);
    driver.send(Buffer.from('ping'));
    await waitUntil(
      () => events.some((e) => e.type === 'data' && e.data.toString() === 'echo:ping'),
      8000,
      'echo',
    );
    // Small records across several 32-record keystream batches of the JS GCM path, both ways,
    // with a large (Node GCM) record in between.
    const messages = smallMessages();
    for (const m of messages) driver.send(Buffer.from(m));
    const echoed = () => new Set(events.flatMap((e) => (e.type === 'data' ? [e.data.toString()] : [])));
    const missing = () => messages.filter((m) => !echoed().has(`echo:${m}`));
    await waitUntil(() => missing().length <= client.stats.replaysDropped, 8000, 'small echoes');
    expectOnlyWeriftSequenceReuse(missing(), client.stats);
  });

  it('werift client -> our server, with echo and matching exporter', async () => {
    const weriftCert = cert(keyType, 0).toPem();
    const events: DtlsEvent[] = [];
    const server = new DtlsServer({
      certificate: cert(keyType, 1),
      remoteFingerprints: cert(keyType, 0).getFingerprints(),
      retransmit: { initialMs: 200 },
    });
    const driver = await DtlsUdpDriver.open(server, {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'data') driver.send(Buffer.concat([Buffer.from('echo:'), e.data]));
      },
    });
    cleanups.push(() => driver.close());
    driver.start();

    const transport = await UdpTransport.init('udp4');
    transport.rinfo = { address: '127.0.0.1', port: driver.port };
    const client = new WeriftDtlsClient({
      transport,
      cert: weriftCert.cert,
      key: weriftCert.key,
      signatureHash: sig,
      certificateRequest: true,
      extendedMasterSecret: true,
      srtpProfiles: [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80],
    });
    cleanups.push(() => client.close());
    cleanups.push(() => transport.close());
    const received: string[] = [];
    client.onData.subscribe((d) => received.push(d.toString()));
    let weriftConnected = false;
    client.onConnect.subscribe(() => {
      weriftConnected = true;
    });
    void client.connect();
    await waitUntil(
      () => events.some((e) => e.type === 'connected' || e.type === 'error'),
      8000,
      'handshake',
    );
    expect(events.find((e) => e.type === 'connected')).toMatchObject({
      cipherSuite: suite,
      srtpProfile: SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
    });
    await waitUntil(() => weriftConnected, 8000, 'werift connected');
    expect(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60)).toEqual(
      client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60),
    );
    await client.send(Buffer.from('pong?'));
    await waitUntil(() => received.includes('echo:pong?'), 8000, 'echo');
    const messages = smallMessages();
    for (const m of messages) await client.send(Buffer.from(m));
    const missing = () => messages.filter((m) => !received.includes(`echo:${m}`));
    await waitUntil(() => missing().length <= server.stats.replaysDropped, 8000, 'small echoes');
    expectOnlyWeriftSequenceReuse(missing(), server.stats);
  });
});

/**
 * werift 0.25.2 numbers its epoch-1 Finished record from its handshake counter and only then
 * restarts at 0 for application data, so one of its application-data records repeats the
 * Finished's sequence number (and GCM nonce). RFC 6347 4.1.2.6 has us drop that one as a replay;
 * every other record must arrive and authenticate.
 */
function expectOnlyWeriftSequenceReuse(missing: string[], stats: DtlsStats): void {
  expect(stats.authFailures).toBe(0);
  expect(stats.replaysDropped).toBeLessThanOrEqual(1);
  expect(missing.length).toBe(stats.replaysDropped);
}

/** 100 distinct messages of 3 to 250 bytes and one of 1000 (above the JS GCM crossover). */
function smallMessages(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 100; i++) out.push(`${i}:${'s'.repeat((i * 37) % 245)}`);
  out.splice(50, 0, `big:${'b'.repeat(1000)}`);
  return out;
}
