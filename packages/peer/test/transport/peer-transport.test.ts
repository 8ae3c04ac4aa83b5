import { generateCertificate } from '@purertc/dtls';
import { describe, expect, it } from 'vitest';
import { PeerTransport, type PeerTransportEvent } from '../../src/index.js';

/** Two transports wired back to back in memory, on a virtual clock: no sockets, no timers. */
function wire() {
  const now = { t: 0 };
  const certA = generateCertificate({ now: 1_700_000_000_000 });
  const certB = generateCertificate({ now: 1_700_000_000_000 });
  const a = new PeerTransport({ certificate: certA, controlling: true, nominationDelayMs: 0 });
  const b = new PeerTransport({ certificate: certB, controlling: false });
  const events = new Map<PeerTransport, PeerTransportEvent[]>([
    [a, []],
    [b, []],
  ]);
  const address = new Map([
    [a, { address: '10.0.0.1', port: 1000 }],
    [b, { address: '10.0.0.2', port: 2000 }],
  ]);
  const peerOf = (x: PeerTransport) => (x === a ? b : a);
  let delivered = 0;
  const step = (): boolean => {
    let moved = false;
    for (const x of [a, b]) {
      for (let tx = x.pollTransmit(); tx; tx = x.pollTransmit()) {
        moved = true;
        delivered++;
        const to = peerOf(x);
        expect(tx.destination).toEqual(address.get(to));
        to.handleDatagram('s0', address.get(x)!, tx.data, now.t);
      }
      for (let e = x.pollEvent(); e; e = x.pollEvent()) events.get(x)!.push(e);
    }
    return moved;
  };
  const run = (until: () => boolean, limitMs = 20_000): void => {
    while (!until() && now.t < limitMs) {
      while (step()) {
        if (until()) return;
      }
      const next = Math.min(
        a.nextDeadline() ?? Number.POSITIVE_INFINITY,
        b.nextDeadline() ?? Number.POSITIVE_INFINITY,
      );
      now.t = Number.isFinite(next) ? Math.max(now.t + 1, next) : now.t + 10;
      a.handleTimeout(now.t);
      b.handleTimeout(now.t);
    }
  };
  a.addLocalCandidate({ socketId: 's0', type: 'host', ...address.get(a)! });
  b.addLocalCandidate({ socketId: 's0', type: 'host', ...address.get(b)! });
  a.ice.setRemoteCredentials(b.ice.localCredentials);
  b.ice.setRemoteCredentials(a.ice.localCredentials);
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const c of y.ice.localCandidateList) x.addRemoteCandidate({ ...c });
  }
  return { a, b, certA, certB, events, run, now, delivered: () => delivered };
}

describe('PeerTransport (sans-I/O) back to back', () => {
  it('ICE, then DTLS with the roles given, SRTP keys that match, and SCTP data channels', () => {
    const { a, b, certA, certB, events, run, now } = wire();
    // The answerer took a=setup:active, so it is the DTLS client (RFC 8842 5.3).
    b.startDtls('client', certA.getFingerprints(), now.t);
    a.startDtls('server', certB.getFingerprints(), now.t);
    a.startSctp({ localPort: 5000, remotePort: 5000, maxMessageSize: 262144 }, now.t);
    b.startSctp({ localPort: 5000, remotePort: 5000, maxMessageSize: 262144 }, now.t);
    run(() => a.dtlsState === 'connected' && b.dtlsState === 'connected');
    expect(a.iceState === 'connected' || a.iceState === 'completed').toBe(true);
    expect(events.get(a)!.some((e) => e.type === 'dtls-state' && e.state === 'connected')).toBe(true);
    expect(a.remoteCertificate!.equals(certB.der)).toBe(true);

    // SRTP: what a protects, b unprotects (keys from the exporter, RFC 5764 4.2).
    const rtp = Buffer.from([0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42, 1, 2, 3, 4]);
    expect(a.sendRtp(rtp)).toBe(true);
    run(() => events.get(b)!.some((e) => e.type === 'rtp'));
    const got = events.get(b)!.find((e) => e.type === 'rtp');
    expect(got && Buffer.from(got.type === 'rtp' ? got.packet : []).equals(rtp)).toBe(true);
    const rtcp = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 42]);
    expect(b.sendRtcp(rtcp)).toBe(true);
    run(() => events.get(a)!.some((e) => e.type === 'rtcp'));

    // SCTP over DTLS: a data channel from the DTLS client (even id, RFC 8832 6).
    const channel = b.sctp!.createChannel({ label: 'x' });
    expect(channel.id % 2).toBe(0);
    b.sctp!.send(channel.id, 'over sctp', now.t);
    b.pump(now.t);
    run(() => events.get(a)!.some((e) => e.type === 'datachannel' && e.event.type === 'message'));
    const message = events.get(a)!.find((e) => e.type === 'datachannel' && e.event.type === 'message');
    expect(message?.type === 'datachannel' && message.event.type === 'message' && message.event.data).toBe(
      'over sctp',
    );
  });

  it('drops datagrams of unknown kinds and early garbage without failing', () => {
    const { a, b, certA, certB, run, now } = wire();
    for (const first of [5, 17, 64, 100, 192, 255]) {
      a.handleDatagram('s0', { address: '10.0.0.2', port: 2000 }, Buffer.from([first, 1, 2, 3]), now.t);
    }
    expect(a.stats.droppedUnknown).toBe(6);
    // RTP before SRTP keys exist.
    a.handleDatagram('s0', { address: '10.0.0.9', port: 9 }, Buffer.from([0x80, 96, 0, 0]), now.t);
    b.startDtls('client', certA.getFingerprints(), now.t);
    a.startDtls('server', certB.getFingerprints(), now.t);
    run(() => a.dtlsState === 'connected' && b.dtlsState === 'connected');
    expect(a.dtlsState).toBe('connected');
  });

  it('a wrong fingerprint fails DTLS and the connection state with it', () => {
    const { a, b, certA, run, now } = wire();
    const stranger = generateCertificate({ now: 1_700_000_000_000 });
    b.startDtls('client', certA.getFingerprints(), now.t);
    a.startDtls('server', stranger.getFingerprints(), now.t);
    run(() => a.dtlsState === 'failed' || a.dtlsState === 'connected', 10_000);
    expect(a.dtlsState).toBe('failed');
  });

  it('close sends the last words and stops every timer', () => {
    const { a, b, certA, certB, run, now } = wire();
    b.startDtls('client', certA.getFingerprints(), now.t);
    a.startDtls('server', certB.getFingerprints(), now.t);
    run(() => a.dtlsState === 'connected' && b.dtlsState === 'connected');
    a.close(now.t);
    expect(a.nextDeadline()).toBeUndefined();
    const last = a.pollTransmit();
    expect(last).toBeDefined();
    b.handleDatagram('s0', { address: '10.0.0.1', port: 1000 }, last!.data, now.t);
    b.pump(now.t);
    expect(b.dtlsState).toBe('closed');
  });
});
