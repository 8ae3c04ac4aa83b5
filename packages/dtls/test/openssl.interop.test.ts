import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  type CipherSuiteInfo,
  DtlsCertificate,
  DtlsClient,
  type DtlsEvent,
  DtlsServer,
  DtlsUdpDriver,
  SrtpProtectionProfile,
} from '../src/index.js';
import { cert } from './helpers.js';
import { hasOpenSsl, OpenSslProcess, tempPem, waitUntil } from './interop-helpers.js';

const OPENSSL_NAME: Record<number, string> = {
  49195: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  49196: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  52393: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  49199: 'ECDHE-RSA-AES128-GCM-SHA256',
  49200: 'ECDHE-RSA-AES256-GCM-SHA384',
  52392: 'ECDHE-RSA-CHACHA20-POLY1305',
};

const SRTP_ARGS = ['-use_srtp', 'SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80'];
const EXPORT_ARGS = ['-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60'];

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function collect(events: DtlsEvent[]) {
  return (e: DtlsEvent) => events.push(e);
}

/** A certificate made by `openssl req`, to prove we accept what another generator makes. */
function opensslReqCertificate(
  dir: string,
  keyType: 'ecdsa' | 'rsa' | 'P-384',
  name = 'req',
): DtlsCertificate {
  const key = join(dir, `${name}.key`);
  const crt = join(dir, `${name}.crt`);
  const keyArgs =
    keyType === 'rsa'
      ? ['-newkey', 'rsa:2048']
      : ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${keyType === 'P-384' ? 'P-384' : 'P-256'}`];
  const r = spawnSync('openssl', [
    'req',
    '-x509',
    ...keyArgs,
    '-nodes',
    '-keyout',
    key,
    '-out',
    crt,
    '-subj',
    '/CN=openssl',
    '-days',
    '2',
  ]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return DtlsCertificate.fromPem(readFileSync(crt, 'utf8'), readFileSync(key, 'utf8'));
}

describe.skipIf(!hasOpenSsl())('interop with OpenSSL 3 over loopback UDP', () => {
  for (const suite of CIPHER_SUITES) {
    it(`our client -> openssl s_server, ${suite.name}`, async () => {
      await clientAgainstOpenSsl(suite, suite.id === 0xc02b || suite.id === 0xc02f);
    });
  }

  const ecdsa128 = CIPHER_SUITES.find((s) => s.id === 0xc02b)!;
  const rsa128 = CIPHER_SUITES.find((s) => s.id === 0xc02f)!;
  for (const group of ['P-256', 'P-384']) {
    it(`our client -> openssl s_server, ECDHE group ${group}`, async () => {
      await clientAgainstOpenSsl(ecdsa128, false, {
        // The server's own group list must keep P-256 for its P-256 certificate (RFC 8422 5.1).
        extra: ['-groups', group === 'P-256' ? 'P-256' : 'P-384:P-256', '-serverpref'],
        expectOutput: [new RegExp(`Shared groups: ${group === 'P-256' ? 'secp256r1' : 'secp384r1'}`)],
      });
    });
  }

  it('signature schemes rsa_pkcs1_sha256 both ways (s_server restricted to RSA+SHA256)', async () => {
    await clientAgainstOpenSsl(rsa128, false, {
      extra: ['-sigalgs', 'RSA+SHA256', '-client_sigalgs', 'RSA+SHA256'],
      expectOutput: [/Peer signature type: RSA\n/, /Peer signing digest: SHA256/],
    });
  });

  it('signature schemes rsa_pss_rsae_sha256 both ways', async () => {
    await clientAgainstOpenSsl(rsa128, false, {
      extra: ['-sigalgs', 'RSA-PSS+SHA256', '-client_sigalgs', 'RSA-PSS+SHA256'],
      expectOutput: [/Peer signature type: RSA-PSS/],
    });
  });

  it('signature scheme ecdsa_secp384r1_sha384 both ways (P-384 certificates from openssl req)', async () => {
    await clientAgainstOpenSsl(ecdsa128, 'P-384', {
      ours: (dir) => opensslReqCertificate(dir, 'P-384', 'ours384'),
      extra: ['-sigalgs', 'ECDSA+SHA384', '-client_sigalgs', 'ECDSA+SHA384'],
      expectOutput: [/Peer signing digest: SHA384/],
    });
  });

  for (const suite of CIPHER_SUITES) {
    it(`openssl s_client -> our server, ${suite.name}`, async () => {
      await serverAgainstOpenSsl(suite);
    });
  }

  it('our server refuses openssl s_client without a client certificate', async () => {
    const events: DtlsEvent[] = [];
    const server = new DtlsServer({
      certificate: cert('ecdsa', 1),
      remoteFingerprints: cert('ecdsa', 0).getFingerprints(),
    });
    const driver = await DtlsUdpDriver.open(server, { onEvent: collect(events) });
    cleanups.push(() => driver.close());
    driver.start();
    const ossl = new OpenSslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${driver.port}`]);
    cleanups.push(() => ossl.kill());
    await waitUntil(() => events.some((e) => e.type === 'error'), 8000, 'rejection');
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      error: { reason: 'missing-certificate' },
    });
    expect(events.some((e) => e.type === 'connected')).toBe(false);
    await ossl.waitFor(/alert handshake failure/);
  });

  it('our client refuses an openssl s_server whose certificate fingerprint is not the expected one', async () => {
    const tmp = tempPem({ server: cert('ecdsa', 1) });
    cleanups.push(tmp.dispose);
    const ossl = new OpenSslProcess([
      's_server',
      '-dtls1_2',
      '-accept',
      '127.0.0.1:0',
      '-cert',
      join(tmp.dir, 'server.crt'),
      '-key',
      join(tmp.dir, 'server.key'),
      '-naccept',
      '1',
    ]);
    cleanups.push(() => ossl.kill());
    const port = Number((await ossl.waitFor(/ACCEPT .*:(\d+)/))[1]);
    const events: DtlsEvent[] = [];
    const client = new DtlsClient({
      certificate: cert('ecdsa', 0),
      remoteFingerprints: cert('ecdsa', 2).getFingerprints(),
    });
    const driver = await DtlsUdpDriver.open(client, {
      remote: { address: '127.0.0.1', port },
      onEvent: collect(events),
    });
    cleanups.push(() => driver.close());
    driver.start();
    await waitUntil(() => events.some((e) => e.type === 'error'), 8000, 'rejection');
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      error: { reason: 'fingerprint-mismatch' },
    });
    await ossl.waitFor(/alert bad certificate/);
  });
});

interface ClientCaseOptions {
  /** Extra s_server arguments (groups, signature algorithms). */
  extra?: string[];
  /** Our client's certificate; defaults to a generated one of the suite's key type. */
  ours?: (dir: string) => DtlsCertificate;
  /** Lines s_server must print once connected. */
  expectOutput?: RegExp[];
}

async function clientAgainstOpenSsl(
  suite: CipherSuiteInfo,
  opensslMadeCert: boolean | 'P-384',
  options: ClientCaseOptions = {},
): Promise<void> {
  const tmp = tempPem({ server: cert(suite.auth, 1) });
  cleanups.push(tmp.dispose);
  const ours = options.ours?.(tmp.dir) ?? cert(suite.auth, 0);
  const serverCert = opensslMadeCert
    ? opensslReqCertificate(tmp.dir, opensslMadeCert === 'P-384' ? 'P-384' : suite.auth, 'req')
    : cert(suite.auth, 1);
  const certPath = opensslMadeCert ? join(tmp.dir, 'req') : join(tmp.dir, 'server');
  const ossl = new OpenSslProcess([
    's_server',
    '-dtls1_2',
    '-accept',
    '127.0.0.1:0',
    '-cert',
    `${certPath}.crt`,
    '-key',
    `${certPath}.key`,
    '-cipher',
    OPENSSL_NAME[suite.id]!,
    ...SRTP_ARGS,
    ...EXPORT_ARGS,
    '-Verify',
    '1',
    '-naccept',
    '1',
    ...(options.extra ?? []),
  ]);
  cleanups.push(() => ossl.kill());
  const port = Number((await ossl.waitFor(/ACCEPT .*:(\d+)/))[1]);
  const events: DtlsEvent[] = [];
  const client = new DtlsClient({
    certificate: ours,
    remoteFingerprints: serverCert.getFingerprints(),
    cipherSuites: [suite.id],
    retransmit: { initialMs: 200 },
  });
  const driver = await DtlsUdpDriver.open(client, {
    remote: { address: '127.0.0.1', port },
    onEvent: collect(events),
  });
  cleanups.push(() => driver.close());
  driver.start();
  await waitUntil(() => events.some((e) => e.type === 'connected' || e.type === 'error'), 8000, 'handshake');
  const connected = events.find((e) => e.type === 'connected');
  if (!connected) throw new Error(`handshake failed: ${JSON.stringify(events)}\n${ossl.output}`);
  expect(connected).toMatchObject({
    cipherSuite: suite.name,
    srtpProfile: SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
  });
  const km = (await ossl.waitFor(/Keying material: ([0-9A-F]+)/))[1]!;
  expect(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60).toString('hex').toUpperCase()).toBe(km);
  await ossl.waitFor(/SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM/);
  for (const re of options.expectOutput ?? []) await ossl.waitFor(re);
  driver.send(Buffer.from('hello from purertc\n'));
  await ossl.waitFor(/hello from purertc/);
  ossl.write('hello from openssl\n');
  await waitUntil(() =>
    events.some((e) => e.type === 'data' && e.data.toString().includes('hello from openssl')),
  );
  await manySmallRecords(driver, ossl, events);
}

/**
 * Small records both ways across several keystream batches of the JS GCM path (32 sequence numbers
 * each): 100 from us, printed by OpenSSL, and 70 from OpenSSL, one stdin line (one record) at a time.
 */
async function manySmallRecords(
  driver: DtlsUdpDriver,
  ossl: OpenSslProcess,
  events: DtlsEvent[],
): Promise<void> {
  for (let i = 0; i < 100; i++) driver.send(Buffer.from(`small ${i} ${'x'.repeat(i * 2)}\n`));
  await ossl.waitFor(/small 99 x{198}\n/);
  for (let i = 0; i < 100; i++) expect(ossl.output).toContain(`small ${i} ${'x'.repeat(i * 2)}\n`);
  const received = () => events.flatMap((e) => (e.type === 'data' ? [e.data.toString()] : [])).join('');
  for (let i = 0; i < 70; i++) {
    const line = `reply ${i} ${'y'.repeat(i * 3)}\n`;
    ossl.write(line);
    await waitUntil(() => received().includes(line), 8000, `openssl record ${i}`);
  }
}

async function serverAgainstOpenSsl(suite: CipherSuiteInfo): Promise<void> {
  const ours = cert(suite.auth, 1);
  const theirs = cert(suite.auth, 0);
  const tmp = tempPem({ client: theirs });
  cleanups.push(tmp.dispose);
  const events: DtlsEvent[] = [];
  const server = new DtlsServer({
    certificate: ours,
    remoteFingerprints: theirs.getFingerprints(['sha-256', 'sha-512']),
    retransmit: { initialMs: 200 },
  });
  const driver = await DtlsUdpDriver.open(server, { onEvent: collect(events) });
  cleanups.push(() => driver.close());
  driver.start();
  const ossl = new OpenSslProcess([
    's_client',
    '-dtls1_2',
    '-connect',
    `127.0.0.1:${driver.port}`,
    '-cert',
    join(tmp.dir, 'client.crt'),
    '-key',
    join(tmp.dir, 'client.key'),
    '-cipher',
    OPENSSL_NAME[suite.id]!,
    ...SRTP_ARGS,
    ...EXPORT_ARGS,
  ]);
  cleanups.push(() => ossl.kill());
  await waitUntil(() => events.some((e) => e.type === 'connected' || e.type === 'error'), 8000, 'handshake');
  expect(events.find((e) => e.type === 'connected')).toMatchObject({
    cipherSuite: suite.name,
    srtpProfile: SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
  });
  expect(server.stats.helloVerifyRequestsSent).toBeGreaterThanOrEqual(1);
  const km = (await ossl.waitFor(/Keying material: ([0-9A-F]+)/))[1]!;
  expect(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60).toString('hex').toUpperCase()).toBe(km);
  ossl.write('hello from openssl\n');
  await waitUntil(() =>
    events.some((e) => e.type === 'data' && e.data.toString().includes('hello from openssl')),
  );
  driver.send(Buffer.from('hello from purertc\n'));
  await ossl.waitFor(/hello from purertc/);
  await manySmallRecords(driver, ossl, events);
}

/**
 * A UDP relay between our endpoint and OpenSSL that drops chosen datagrams (counted per direction),
 * so both implementations must retransmit and reassemble fragments from each other.
 */
async function lossyRelay(target: number, dropToTarget: Set<number>, dropFromTarget: Set<number>) {
  const { createSocket } = await import('node:dgram');
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  let peer: { port: number } | undefined;
  let toTarget = 0;
  let fromTarget = 0;
  sock.on('message', (msg, rinfo) => {
    if (rinfo.port === target) {
      if (!peer || dropFromTarget.has(fromTarget++)) return;
      sock.send(msg, peer.port, '127.0.0.1');
    } else {
      peer = { port: rinfo.port };
      if (dropToTarget.has(toTarget++)) return;
      sock.send(msg, target, '127.0.0.1');
    }
  });
  return { port: sock.address().port, close: () => sock.close() };
}

describe.skipIf(!hasOpenSsl())('OpenSSL interop under loss with small MTUs', () => {
  it('our client (MTU 256) and s_server (-mtu 300) complete despite dropped datagrams both ways', async () => {
    const tmp = tempPem({ server: cert('rsa', 1) });
    cleanups.push(tmp.dispose);
    const ossl = new OpenSslProcess([
      's_server',
      '-dtls1_2',
      '-accept',
      '127.0.0.1:0',
      '-cert',
      join(tmp.dir, 'server.crt'),
      '-key',
      join(tmp.dir, 'server.key'),
      '-mtu',
      '300',
      '-Verify',
      '1',
      '-naccept',
      '1',
      ...SRTP_ARGS,
      ...EXPORT_ARGS,
    ]);
    cleanups.push(() => ossl.kill());
    const port = Number((await ossl.waitFor(/ACCEPT .*:(\d+)/))[1]);
    // Lose our second datagram (the cookie ClientHello) and a fragment of OpenSSL's certificate flight.
    const relay = await lossyRelay(port, new Set([1, 4]), new Set([2]));
    cleanups.push(relay.close);
    const events: DtlsEvent[] = [];
    const client = new DtlsClient({
      certificate: cert('rsa', 0),
      remoteFingerprints: cert('rsa', 1).getFingerprints(),
      mtu: 256,
      retransmit: { initialMs: 150 },
    });
    const driver = await DtlsUdpDriver.open(client, {
      remote: { address: '127.0.0.1', port: relay.port },
      onEvent: collect(events),
    });
    cleanups.push(() => driver.close());
    driver.start();
    await waitUntil(
      () => events.some((e) => e.type === 'connected' || e.type === 'error'),
      15_000,
      'lossy handshake',
    );
    expect(events.find((e) => e.type === 'connected')).toBeDefined();
    expect(client.stats.retransmissions).toBeGreaterThan(0);
    const km = (await ossl.waitFor(/Keying material: ([0-9A-F]+)/))[1]!;
    expect(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60).toString('hex').toUpperCase()).toBe(km);
  }, 20_000);

  it('s_client (-mtu 300) and our server (MTU 256) complete despite dropped datagrams both ways', async () => {
    const tmp = tempPem({ client: cert('ecdsa', 0) });
    cleanups.push(tmp.dispose);
    const events: DtlsEvent[] = [];
    const server = new DtlsServer({
      certificate: cert('rsa', 1),
      remoteFingerprints: cert('ecdsa', 0).getFingerprints(),
      mtu: 256,
      retransmit: { initialMs: 150 },
    });
    const driver = await DtlsUdpDriver.open(server, { onEvent: collect(events) });
    cleanups.push(() => driver.close());
    driver.start();
    // Lose OpenSSL's first cookie-bearing ClientHello and one fragment of our certificate flight.
    const relay = await lossyRelay(driver.port, new Set([1]), new Set([2]));
    cleanups.push(relay.close);
    const ossl = new OpenSslProcess([
      's_client',
      '-dtls1_2',
      '-connect',
      `127.0.0.1:${relay.port}`,
      '-mtu',
      '300',
      '-cert',
      join(tmp.dir, 'client.crt'),
      '-key',
      join(tmp.dir, 'client.key'),
      ...SRTP_ARGS,
      ...EXPORT_ARGS,
    ]);
    cleanups.push(() => ossl.kill());
    await waitUntil(
      () => events.some((e) => e.type === 'connected' || e.type === 'error'),
      15_000,
      'lossy handshake',
    );
    expect(events.find((e) => e.type === 'connected')).toBeDefined();
    const km = (await ossl.waitFor(/Keying material: ([0-9A-F]+)/))[1]!;
    expect(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60).toString('hex').toUpperCase()).toBe(km);
  }, 20_000);
});
