import { encodeHandshakeFragment, parseHandshakeFragments } from '../src/handshake/fragment.js';
import {
  type DtlsCertificate,
  DtlsClient,
  type DtlsConnection,
  type DtlsConnectionOptions,
  type DtlsEvent,
  DtlsServer,
  generateCertificate,
} from '../src/index.js';
import { encodeRecord, parseDatagram } from '../src/record/record.js';

export const NOW = 1_700_000_000_000;

const cache = new Map<string, DtlsCertificate>();
/** Certificates are slow to make (RSA especially); tests share a few. */
export function cert(keyType: 'ecdsa' | 'rsa' = 'ecdsa', slot = 0): DtlsCertificate {
  const key = `${keyType}${slot}`;
  let c = cache.get(key);
  if (!c) {
    c = generateCertificate({ keyType, now: NOW });
    cache.set(key, c);
  }
  return c;
}

export type PairOptions = Partial<Omit<DtlsConnectionOptions, 'role'>>;

export function makePair(
  clientOpts: PairOptions = {},
  serverOpts: PairOptions = {},
): { client: DtlsClient; server: DtlsServer } {
  const clientCert = clientOpts.certificate ?? cert('ecdsa', 0);
  const serverCert = serverOpts.certificate ?? cert('ecdsa', 1);
  const client = new DtlsClient({
    certificate: clientCert,
    remoteFingerprints: serverCert.getFingerprints(),
    ...clientOpts,
  });
  const server = new DtlsServer({
    certificate: serverCert,
    remoteFingerprints: clientCert.getFingerprints(),
    peerAddress: '10.0.0.1:5000',
    ...serverOpts,
  });
  return { client, server };
}

export function drainEvents(c: DtlsConnection): DtlsEvent[] {
  const out: DtlsEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

export function drainDatagrams(c: DtlsConnection): Buffer[] {
  const out: Buffer[] = [];
  for (let d = c.poll(); d; d = c.poll()) out.push(d);
  return out;
}

/**
 * Moves datagrams between two connections until both are quiet, over a perfect link, advancing a
 * virtual clock only through timers. `tap` may rewrite or drop datagrams (for attack tests).
 */
export function pump(
  a: DtlsConnection,
  b: DtlsConnection,
  now = NOW,
  tap: (from: DtlsConnection, d: Buffer) => Buffer | undefined = (_f, d) => d,
  maxSteps = 200,
): number {
  for (let step = 0; step < maxSteps; step++) {
    let moved = false;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      for (let d = from.poll(); d; d = from.poll()) {
        moved = true;
        const t = tap(from, d);
        if (t) to.handle(t, now);
      }
    }
    if (!moved) {
      const deadlines = [a.nextDeadline(), b.nextDeadline()].filter((x): x is number => x !== undefined);
      if (deadlines.length === 0) return now;
      now = Math.max(now, Math.min(...deadlines));
      a.handleTimeout(now);
      b.handleTimeout(now);
      if (a.state !== 'handshaking' && b.state !== 'handshaking') return now;
    }
  }
  return now;
}

/** Rewrites the body of one unprotected handshake message inside a datagram (a man in the middle). */
export function rewriteHandshake(datagram: Buffer, msgType: number, fn: (body: Buffer) => Buffer): Buffer {
  const { records } = parseDatagram(datagram);
  return Buffer.concat(
    records.map((r) => {
      if (r.type !== 22 || r.epoch !== 0) return encodeRecord(r);
      const frags = parseHandshakeFragments(r.fragment).map((f) => {
        if (f.msgType !== msgType) return f;
        if (f.fragmentOffset !== 0 || f.body.length !== f.length)
          throw new Error('test expects one fragment');
        const body = fn(Buffer.from(f.body));
        return { ...f, length: body.length, body };
      });
      return encodeRecord({ ...r, fragment: Buffer.concat(frags.map(encodeHandshakeFragment)) });
    }),
  );
}

export function containsHandshake(datagram: Buffer, msgType: number): boolean {
  return parseDatagram(datagram).records.some(
    (r) =>
      r.type === 22 &&
      r.epoch === 0 &&
      parseHandshakeFragments(r.fragment).some((f) => f.msgType === msgType),
  );
}
