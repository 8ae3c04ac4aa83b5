import { describe, expect, it } from 'vitest';
import {
  type AssociationEvent,
  type DataChannelEvent,
  DataChannelManager,
  parsePacket,
  SctpAssociation,
} from '../src/index.js';
import { type Endpoint, EndpointPair } from './helpers/endpoint-pair.js';
import { seededRandom } from './helpers/pair.js';

/** Delivers everything both ways, with no delay, until nothing more is sent. */
function exchange(x: Endpoint, y: Endpoint, now: number): void {
  for (let round = 0; round < 50; round++) {
    let moved = false;
    for (let p = x.pollTransmit(now); p; p = x.pollTransmit(now)) {
      y.handlePacket(p, now);
      moved = true;
    }
    for (let p = y.pollTransmit(now); p; p = y.pollTransmit(now)) {
      x.handlePacket(p, now);
      moved = true;
    }
    if (!moved) return;
  }
}

function drain(a: SctpAssociation): AssociationEvent[] {
  const out: AssociationEvent[] = [];
  for (let e = a.pollEvent(); e; e = a.pollEvent()) out.push(e);
  return out;
}

function connected(): { old: SctpAssociation; b: SctpAssociation } {
  const old = new SctpAssociation({ random: seededRandom(1) });
  const b = new SctpAssociation({ random: seededRandom(2) });
  old.connect(0);
  exchange(old, b, 0);
  expect(b.state).toBe('established');
  drain(b);
  return { old, b };
}

describe('peer restart (RFC 9260 5.2.2 / 5.2.4 case A)', () => {
  it('drops outstanding data and partly sent messages, reports them, and starts TSNs and SSNs over', () => {
    const { b } = connected();
    // Round robin sends m0 (stream 1), then the large message on stream 2 fills the rest of cwnd:
    // m0 and the first fragments of the large one are outstanding (the old peer never acks them),
    // m1 and m2 are still queued whole.
    for (const t of ['m0', 'm1', 'm2']) expect(b.send(1, 51, Buffer.from(t), {}, 0)).toBe('ok');
    expect(b.send(2, 53, Buffer.alloc(200_000, 7), {}, 0)).toBe('ok');
    for (let p = b.pollTransmit(0); p; p = b.pollTransmit(0));
    // Queued whole, never sent: it survives the restart.
    expect(b.send(3, 51, Buffer.from('queued'), {}, 0)).toBe('ok');
    expect(b.congestion!.inFlight).toBeGreaterThan(0);

    // The peer process restarts: a fresh association with new tags sends INIT.
    const fresh = new SctpAssociation({ random: seededRandom(77) });
    fresh.connect(1000);
    exchange(fresh, b, 1000);
    expect(fresh.state).toBe('established');
    const evs = drain(b);
    expect(evs).toContainEqual({ type: 'restarted', lostMessages: 2 });
    expect(b.stats.restarts).toBe(1);
    // In flight now at most m1, m2 and 'queued' (10 bytes on new TSNs, awaiting a delayed SACK);
    // the ~12 kB of the old association are gone.
    expect(b.congestion!.inFlight).toBeLessThanOrEqual(10);
    expect(b.bufferedAmount(2)).toBe(0); // the rest of the large message was dropped

    // m1 now takes SSN 0 on stream 1 (m0 had it before): the fresh peer delivers nothing otherwise.
    expect(b.send(1, 51, Buffer.from('after'), {}, 1000)).toBe('ok');
    expect(fresh.send(1, 51, Buffer.from('hello b'), {}, 1000)).toBe('ok');
    exchange(fresh, b, 1000);
    const got = drain(fresh)
      .filter((e): e is Extract<AssociationEvent, { type: 'message' }> => e.type === 'message')
      .map((e) => e.data.toString());
    // No stale TSN or fragment from the old association reaches the new peer.
    expect(got.sort()).toEqual(['after', 'm1', 'm2', 'queued']);
    const atB = drain(b).filter((e) => e.type === 'message');
    expect(atB).toHaveLength(1);
    expect(fresh.stats.droppedOutOfWindowTsn + fresh.stats.duplicateTsns).toBe(0);
  });

  it('in SHUTDOWN-ACK-SENT an INIT gets the SHUTDOWN ACK again and a restart is refused (RFC 9260 9.2, 5.2.4 A)', () => {
    const { old, b } = connected();
    const fresh = new SctpAssociation({ random: seededRandom(78) });
    fresh.connect(10);
    // b answers the INIT while established; the INIT ACK is held back.
    for (let p = fresh.pollTransmit(10); p; p = fresh.pollTransmit(10)) b.handlePacket(p, 10);
    const initAck = b.pollTransmit(10)!;
    old.shutdown(10);
    // Only the SHUTDOWN reaches b; its SHUTDOWN ACK is lost.
    for (let p = old.pollTransmit(10); p; p = old.pollTransmit(10)) b.handlePacket(p, 10);
    for (let p = b.pollTransmit(10); p; p = b.pollTransmit(10));
    expect(b.state).toBe('shutdown-ack-sent');
    // A second INIT is discarded and the SHUTDOWN ACK retransmitted.
    const again = new SctpAssociation({ random: seededRandom(80) });
    again.connect(10);
    for (let p = again.pollTransmit(10); p; p = again.pollTransmit(10)) b.handlePacket(p, 10);
    const answer = b.pollTransmit(10)!;
    expect(parsePacket(answer).chunks.map((c) => c.type)).toEqual(['shutdown-ack']);
    // The COOKIE ECHO for the earlier INIT ACK finds b shutting down.
    fresh.handlePacket(initAck, 20);
    exchange(fresh, b, 20);
    expect(b.state).toBe('shutdown-ack-sent');
    expect(drain(b).some((e) => e.type === 'restarted')).toBe(false);
    expect(drain(fresh)).toContainEqual({ type: 'peer-error', reason: 'CookieWhileShuttingDown' });
  });

  it('the data channel layer closes every channel and reports the lost messages', () => {
    const a = new DataChannelManager(new SctpAssociation({ random: seededRandom(1) }), 'client');
    const b = new DataChannelManager(new SctpAssociation({ random: seededRandom(2) }), 'server');
    const eb: DataChannelEvent[] = [];
    const pair = new EndpointPair(a, b, 10, () => {
      for (let e = a.pollEvent(); e; e = a.pollEvent());
      for (let e = b.pollEvent(); e; e = b.pollEvent()) eb.push(e);
    });
    a.connect(0);
    pair.flush();
    const ch = a.createChannel({ label: 'chat' });
    pair.runUntil(() => eb.some((e) => e.type === 'channel-open'));
    pair.runUntil(() => false, 1000); // the DCEP ACK is acknowledged
    // Messages from b that the (about to restart) peer never acknowledges.
    b.send(ch.id, 'lost 1', pair.now);
    b.send(ch.id, 'lost 2', pair.now);
    for (let p = b.pollTransmit(pair.now); p; p = b.pollTransmit(pair.now));

    const fresh = new DataChannelManager(new SctpAssociation({ random: seededRandom(79) }), 'client');
    fresh.connect(pair.now);
    exchange(fresh, b, pair.now);
    for (let e = b.pollEvent(); e; e = b.pollEvent()) eb.push(e);
    expect(eb).toContainEqual({ type: 'channel-closed', id: ch.id });
    expect(eb).toContainEqual({ type: 'restarted', lostMessages: 2 });
    expect(b.channel(ch.id)).toBeUndefined();
    // New channels work on the restarted association.
    const again = fresh.createChannel({ label: 'again' });
    fresh.send(again.id, 'hi', pair.now);
    exchange(fresh, b, pair.now);
    for (let e = b.pollEvent(); e; e = b.pollEvent()) eb.push(e);
    expect(eb).toContainEqual({ type: 'message', id: again.id, data: 'hi', binary: false });
  });
});
