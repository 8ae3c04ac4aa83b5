/**
 * DTLS 1.2: full handshakes per second between a client and a server in memory (ECDSA P-256,
 * ECDHE X25519, AES-128-GCM, mutual authentication, cookie exchange on our side as werift does),
 * and application-data record protect/unprotect with AES-128-GCM, purertc vs werift: 1 KiB, and
 * 40 (an SCTP SACK), 200 (a small data-channel message) and 1200 bytes (a full data packet), where
 * records up to 256 bytes take purertc's JS GCM path and larger ones Node's GCM. Unprotect cases
 * open a ring of distinct consecutive records, as a receiver does, not one record over and over.
 * werift's record cases use the AEAD cipher object of a werift connection set up in memory.
 * werift's client resolves connect() only after its flight-5 retransmission wait (a fixed 500 ms
 * `setTimeout` in werift's Flight.transmit), so its handshake row measures that wait, not CPU.
 */

import type { AddressInfo } from 'node:net';
import {
  Dtls12RecordAead,
  type DtlsCertificate,
  DtlsClient,
  type DtlsConnection,
  DtlsServer,
  generateCertificate,
} from '@purertc/dtls';
import { type Transport, DtlsClient as WeriftDtlsClient, DtlsServer as WeriftDtlsServer } from 'werift';
import { type BenchCase, defineSuite } from './harness.js';

const RECORD = 1024;
const SIZED_RECORDS = [40, 200, 1200];
/** Distinct records per unprotect ring (a power of two; wraps rarely). */
const RING = 4096;
const ECDSA_SHA256 = { hash: 4 as const, signature: 3 as const };

/** A pair of in-memory werift transports that deliver on the microtask queue. */
class MemoryTransport implements Transport {
  readonly type = 'udp';
  closed = false;
  peer: MemoryTransport | undefined;
  onData: Transport['onData'] = () => {};
  constructor(readonly address: AddressInfo) {}
  send = async (data: Buffer): Promise<void> => {
    const peer = this.peer;
    if (!peer || this.closed) return;
    queueMicrotask(() => peer.onData(Buffer.from(data), [this.address.address, this.address.port]));
  };
  close = async (): Promise<void> => {
    this.closed = true;
  };
}

function memoryPair(): [MemoryTransport, MemoryTransport] {
  const a = new MemoryTransport({ address: '127.0.0.1', family: 'IPv4', port: 1 });
  const b = new MemoryTransport({ address: '127.0.0.1', family: 'IPv4', port: 2 });
  a.peer = b;
  b.peer = a;
  return [a, b];
}

async function weriftHandshake(clientCert: DtlsCertificate, serverCert: DtlsCertificate) {
  const [ct, st] = memoryPair();
  const cp = clientCert.toPem();
  const sp = serverCert.toPem();
  const common = {
    signatureHash: ECDSA_SHA256,
    certificateRequest: true,
    extendedMasterSecret: true,
    srtpProfiles: [7 as const],
  };
  const server = new WeriftDtlsServer({ transport: st, cert: sp.cert, key: sp.key, ...common });
  const client = new WeriftDtlsClient({ transport: ct, cert: cp.cert, key: cp.key, ...common });
  const serverUp = new Promise<void>((resolve) => server.onConnect.once(() => resolve()));
  await Promise.all([client.connect(), serverUp]);
  return { client, server };
}

function ourHandshake(clientCert: DtlsCertificate, serverCert: DtlsCertificate) {
  const client = new DtlsClient({
    certificate: clientCert,
    remoteFingerprints: serverCert.getFingerprints(),
  });
  const server = new DtlsServer({
    certificate: serverCert,
    remoteFingerprints: clientCert.getFingerprints(),
  });
  client.start(0);
  server.start(0);
  const move = (from: DtlsConnection, to: DtlsConnection) => {
    let moved = false;
    for (let d = from.poll(); d; d = from.poll()) {
      to.handle(d, 0);
      moved = true;
    }
    return moved;
  };
  for (let i = 0; i < 20 && (move(client, server) || move(server, client)); i++);
  if (client.state !== 'connected' || server.state !== 'connected') throw new Error('handshake failed');
  return { client, server };
}

let weriftPair: { client: WeriftDtlsClient; server: WeriftDtlsServer } | undefined;

export default defineSuite({
  suite: 'dtls',
  teardown: () => {
    weriftPair?.client.close();
    weriftPair?.server.close();
  },
  cases: async (): Promise<BenchCase[]> => {
    const clientCert = generateCertificate({ now: 1_700_000_000_000 });
    const serverCert = generateCertificate({ now: 1_700_000_000_000 });
    const plaintext = Buffer.alloc(RECORD, 0x5a);

    // purertc record cipher, keyed as the suite would key it.
    const ours = new Dtls12RecordAead('aes-128-gcm', Buffer.alloc(16, 1), Buffer.alloc(4, 2));
    const ourRecord = ours.seal(23, 0xfefd, 1, 1, plaintext);
    const ourFragment = ourRecord.subarray(13);
    let ourSeq = 1;

    // werift's AEAD cipher from a real werift connection.
    const w = await weriftHandshake(clientCert, serverCert);
    weriftPair = w;
    const wClientCipher = w.client.cipher.cipher;
    const wServerCipher = w.server.cipher.cipher;
    const header = { type: 23, version: 0xfefd, epoch: 1, sequenceNumber: 1 };
    const wFragment = wClientCipher.encrypt(1, plaintext, header);
    let wSeq = 1;

    // Suites werift lacks: purertc rows only, for the record.
    const chacha = new Dtls12RecordAead('chacha20-poly1305', Buffer.alloc(32, 1), Buffer.alloc(12, 2));
    const aes256 = new Dtls12RecordAead('aes-256-gcm', Buffer.alloc(32, 1), Buffer.alloc(4, 2));
    let otherSeq = 1;

    const sized: BenchCase[] = [];
    for (const size of SIZED_RECORDS) {
      const data = Buffer.alloc(size, 0x5a);
      const sealer = new Dtls12RecordAead('aes-128-gcm', Buffer.alloc(16, 1), Buffer.alloc(4, 2));
      const opener = new Dtls12RecordAead('aes-128-gcm', Buffer.alloc(16, 1), Buffer.alloc(4, 2));
      const ring = Array.from({ length: RING }, (_, i) => sealer.seal(23, 0xfefd, 1, i, data).subarray(13));
      const wRing = Array.from({ length: RING }, (_, i) =>
        wClientCipher.encrypt(1, data, { ...header, sequenceNumber: i }),
      );
      let sealSeq = RING;
      let wSealSeq = RING;
      let openAt = 0;
      let wOpenAt = 0;
      sized.push(
        {
          case: `record protect ${size} B AES-128-GCM`,
          impl: 'purertc',
          bytesPerOp: size,
          fn: () => sealer.seal(23, 0xfefd, 1, sealSeq++, data),
        },
        {
          case: `record protect ${size} B AES-128-GCM`,
          impl: 'werift',
          bytesPerOp: size,
          fn: () => wClientCipher.encrypt(1, data, { ...header, sequenceNumber: wSealSeq++ }),
        },
        {
          case: `record unprotect ${size} B AES-128-GCM`,
          impl: 'purertc',
          bytesPerOp: size,
          fn: () => {
            const i = openAt++ & (RING - 1);
            if (!opener.open(23, 0xfefd, 1, i, ring[i]!)) throw new Error('auth failed');
          },
        },
        {
          case: `record unprotect ${size} B AES-128-GCM`,
          impl: 'werift',
          bytesPerOp: size,
          fn: () => {
            const i = wOpenAt++ & (RING - 1);
            wServerCipher.decrypt(2, wRing[i]!, { ...header, sequenceNumber: i });
          },
        },
      );
    }

    return [
      ...sized,
      {
        case: 'record protect 1 KiB ChaCha20-Poly1305',
        impl: 'purertc',
        bytesPerOp: RECORD,
        fn: () => chacha.seal(23, 0xfefd, 1, ++otherSeq, plaintext),
      },
      {
        case: 'record protect 1 KiB AES-256-GCM',
        impl: 'purertc',
        bytesPerOp: RECORD,
        fn: () => aes256.seal(23, 0xfefd, 1, ++otherSeq, plaintext),
      },
      {
        case: 'full handshake in memory (ECDSA, X25519, AES-128-GCM)',
        impl: 'purertc',
        fn: () => ourHandshake(clientCert, serverCert),
      },
      {
        case: 'full handshake in memory (ECDSA, X25519, AES-128-GCM)',
        impl: 'werift',
        fn: async () => {
          const h = await weriftHandshake(clientCert, serverCert);
          h.client.close();
          h.server.close();
        },
      },
      {
        case: 'record protect 1 KiB AES-128-GCM',
        impl: 'purertc',
        bytesPerOp: RECORD,
        fn: () => ours.seal(23, 0xfefd, 1, ++ourSeq, plaintext),
      },
      {
        case: 'record protect 1 KiB AES-128-GCM',
        impl: 'werift',
        bytesPerOp: RECORD,
        fn: () => wClientCipher.encrypt(1, plaintext, { ...header, sequenceNumber: ++wSeq }),
      },
      {
        case: 'record unprotect 1 KiB AES-128-GCM',
        impl: 'purertc',
        bytesPerOp: RECORD,
        fn: () => {
          if (!ours.open(23, 0xfefd, 1, 1, ourFragment)) throw new Error('auth failed');
        },
      },
      {
        case: 'record unprotect 1 KiB AES-128-GCM',
        impl: 'werift',
        bytesPerOp: RECORD,
        fn: () => wServerCipher.decrypt(2, wFragment, header),
      },
    ];
  },
});
