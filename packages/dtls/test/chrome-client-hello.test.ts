import { describe, expect, it } from 'vitest';
import type { Extension } from '../src/handshake/extensions.js';
import { parseHandshakeFragments } from '../src/handshake/fragment.js';
import { type ClientHello, parseClientHello } from '../src/handshake/messages/client-hello.js';
import { DtlsClient, DtlsServer, SrtpProtectionProfile } from '../src/index.js';
import { parseDatagram } from '../src/record/record.js';
import { cert, drainEvents, NOW, pump } from './helpers.js';

// From /work/shared/fixtures/chrome-156/dtls-clienthello-summary.json (captured from Chrome 156).
const fixture = {
  cipherSuites: [
    0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x002f,
    0x0035,
  ],
  supportedGroups: [0x11ec, 0x001d, 0x0017, 0x0018],
  signatureAlgorithms: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201],
  srtpProfiles: [0x0001, 0x0008, 0x0007],
};
const codes = (list: number[]) => list;

const u16s = (vals: number[], prefix: 1 | 2) => {
  const body = Buffer.alloc(vals.length * 2);
  vals.forEach((v, i) => {
    body.writeUInt16BE(v, i * 2);
  });
  return Buffer.concat([
    prefix === 2 ? Buffer.of(body.length >> 8, body.length & 0xff) : Buffer.of(body.length),
    body,
  ]);
};

/** The extensions Chrome 156 sends (see the fixture), in one of the orders it permutes through. */
function chromeExtensions(order: number): Extension[] {
  const keyShare = Buffer.concat([
    Buffer.of(0x04, 0xe6), // client_shares length 1256
    Buffer.of(0x11, 0xec, 0x04, 0xc0),
    Buffer.alloc(1216, 0xab), // X25519MLKEM768
    Buffer.of(0x00, 0x1d, 0x00, 0x20),
    Buffer.alloc(32, 0x09),
  ]);
  const exts: Extension[] = [
    { type: 51, data: keyShare },
    { type: 0xff01, data: Buffer.of(0) },
    { type: 10, data: u16s(codes(fixture.supportedGroups), 2) },
    { type: 11, data: Buffer.of(1, 0) },
    { type: 45, data: Buffer.of(1, 1) }, // psk_key_exchange_modes: psk_dhe_ke
    { type: 14, data: Buffer.concat([u16s(codes(fixture.srtpProfiles), 2), Buffer.of(0)]) },
    { type: 23, data: Buffer.alloc(0) },
    { type: 43, data: Buffer.of(4, 0xfe, 0xfc, 0xfe, 0xfd) }, // supported_versions: DTLS 1.3, 1.2
    { type: 13, data: u16s(codes(fixture.signatureAlgorithms), 2) },
  ];
  // Chrome permutes the order per connection; rotate deterministically.
  return [...exts.slice(order % exts.length), ...exts.slice(0, order % exts.length)];
}

class ChromeLikeClient extends DtlsClient {
  constructor(
    private readonly order: number,
    ...args: ConstructorParameters<typeof DtlsClient>
  ) {
    super(...args);
  }
  protected override buildClientHello(random: Buffer): ClientHello {
    return {
      ...super.buildClientHello(random),
      cipherSuites: codes(fixture.cipherSuites),
      extensions: chromeExtensions(this.order),
    };
  }
}

describe("Chrome 156's ClientHello", () => {
  it('has the fixture shape: ~1.4 KB in two fragments', () => {
    const serverCert = cert('ecdsa', 1);
    const client = new ChromeLikeClient(0, { certificate: cert('ecdsa', 0), remoteFingerprints: [] });
    void serverCert;
    client.start(NOW);
    const datagrams: Buffer[] = [];
    for (let d = client.poll(); d; d = client.poll()) datagrams.push(d);
    const frags = datagrams.flatMap((d) =>
      parseDatagram(d).records.flatMap((r) => parseHandshakeFragments(r.fragment)),
    );
    expect(frags.length).toBe(2);
    expect(frags[0]!.length).toBeGreaterThan(1350);
    expect(frags[0]!.length).toBeLessThan(1450);
    const whole = Buffer.concat(frags.map((f) => f.body));
    const ch = parseClientHello(whole);
    expect(ch.cipherSuites.length).toBe(14);
    expect(ch.extensions.map((e) => e.type)).toContain(51);
  });

  for (const order of [0, 3, 7]) {
    it(`server reassembles it, ignores DTLS 1.3 extensions and negotiates DTLS 1.2 (extension order ${order})`, () => {
      const serverCert = cert('ecdsa', 1);
      const clientCert = cert('ecdsa', 0);
      const client = new ChromeLikeClient(order, {
        certificate: clientCert,
        remoteFingerprints: serverCert.getFingerprints(),
        srtpProfiles: codes(fixture.srtpProfiles),
      });
      const server = new DtlsServer({
        certificate: serverCert,
        remoteFingerprints: clientCert.getFingerprints(),
      });
      client.start(NOW);
      pump(client, server);
      const se = drainEvents(server);
      expect(server.stats.helloVerifyRequestsSent).toBe(1);
      expect(se[0]).toMatchObject({
        type: 'connected',
        cipherSuite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
        srtpProfile: SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
      });
      expect(drainEvents(client)[0]).toMatchObject({ type: 'connected' });
    });
  }

  it('server with an RSA certificate picks ECDHE_RSA from the same hello', () => {
    const serverCert = cert('rsa', 1);
    const clientCert = cert('ecdsa', 0);
    const client = new ChromeLikeClient(5, {
      certificate: clientCert,
      remoteFingerprints: serverCert.getFingerprints(),
    });
    const server = new DtlsServer({
      certificate: serverCert,
      remoteFingerprints: clientCert.getFingerprints(),
    });
    client.start(NOW);
    pump(client, server);
    expect(drainEvents(server)[0]).toMatchObject({ cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
  });
});
