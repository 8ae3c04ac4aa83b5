import { describe, expect, it } from 'vitest';
import { Dtls12RecordAead } from '../src/crypto/aead.js';
import { packFlight } from '../src/flight/flight.js';
import { fragmentMessage, parseHandshakeFragments } from '../src/handshake/fragment.js';
import { HandshakeReassembler } from '../src/handshake/reassembler.js';
import { parseDatagram } from '../src/record/record.js';
import { Dtls12RecordLayer } from '../src/record/record-layer.js';
import { ReplayWindow } from '../src/record/replay-window.js';

describe('replay window (RFC 6347 4.1.2.6)', () => {
  it('accepts new numbers, rejects repeats and numbers left of the window', () => {
    const w = new ReplayWindow(64);
    for (const s of [0, 1, 5, 3]) {
      expect(w.check(s)).toBe(true);
      w.mark(s);
    }
    expect(w.check(3)).toBe(false);
    expect(w.check(4)).toBe(true);
    w.mark(200);
    expect(w.check(136)).toBe(false); // 200 - 136 = 64: just outside
    expect(w.check(137)).toBe(true);
    expect(w.check(200)).toBe(false);
    expect(w.check(2 ** 48 - 1)).toBe(true);
  });

  it('forgets marks that slid out and reuses their slots correctly', () => {
    const w = new ReplayWindow(8);
    w.mark(1);
    w.mark(9); // slot of 1 reused
    expect(w.check(1)).toBe(false); // too old
    expect(w.check(5)).toBe(true);
    expect(w.check(9)).toBe(false);
  });
});

describe('record layer', () => {
  const keyPair = () => {
    const a = new Dtls12RecordLayer();
    const b = new Dtls12RecordLayer();
    const k = Buffer.alloc(16, 3);
    const iv = Buffer.alloc(4, 4);
    a.installWriteEpoch(1, new Dtls12RecordAead('aes-128-gcm', k, iv));
    b.installReadEpoch(1, new Dtls12RecordAead('aes-128-gcm', k, iv));
    return { a, b };
  };

  it('numbers each record of an epoch from zero and drops replays', () => {
    const { a, b } = keyPair();
    const r0 = a.protect(1, 23, Buffer.from('x'));
    const r1 = a.protect(1, 23, Buffer.from('y'));
    const [rec0] = parseDatagram(r0).records;
    const [rec1] = parseDatagram(r1).records;
    expect(rec0!.seq).toBe(0);
    expect(rec1!.seq).toBe(1);
    expect(b.unprotect(rec1!)).toMatchObject({ data: Buffer.from('y') });
    expect(b.unprotect(rec0!)).toMatchObject({ data: Buffer.from('x') });
    expect(b.unprotect(rec0!)).toBe('replay');
  });

  it('drops records of an unknown epoch and forged records without moving the window', () => {
    const { a, b } = keyPair();
    const [rec] = parseDatagram(a.protect(1, 23, Buffer.from('hello'))).records;
    expect(b.unprotect({ ...rec!, epoch: 2 })).toBe('unknown-epoch');
    const forged = Buffer.from(rec!.fragment);
    forged[forged.length - 1]! ^= 0x80;
    expect(b.unprotect({ ...rec!, fragment: forged })).toBe('bad-auth');
    expect(b.unprotect(rec!)).toMatchObject({ type: 23 });
  });

  it('never accepts unprotected application data in epoch 0', () => {
    const l = new Dtls12RecordLayer();
    const [rec] = parseDatagram(l.protect(0, 23, Buffer.from('plain'))).records;
    expect(new Dtls12RecordLayer().unprotect(rec!)).toBe('bad-auth');
  });

  it('packs a flight into MTU-sized datagrams with several records each', () => {
    const l = new Dtls12RecordLayer();
    const big = Buffer.alloc(1500, 7);
    const datagrams = packFlight(
      l,
      [
        { kind: 'handshake', epoch: 0, msgType: 2, messageSeq: 0, body: Buffer.alloc(80, 1) },
        { kind: 'handshake', epoch: 0, msgType: 11, messageSeq: 1, body: big },
        { kind: 'handshake', epoch: 0, msgType: 14, messageSeq: 2, body: Buffer.alloc(0) },
      ],
      576,
    );
    expect(datagrams.length).toBe(3);
    for (const d of datagrams) expect(d.length).toBeLessThanOrEqual(576);
    const records = datagrams.flatMap((d) => parseDatagram(d).records);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
    const r = new HandshakeReassembler();
    for (const rec of records) for (const f of parseHandshakeFragments(rec.fragment)) r.add(f, 0);
    expect(r.next()?.body).toEqual(Buffer.alloc(80, 1));
    expect(r.next()?.body).toEqual(big);
    expect(r.next()).toMatchObject({ msgType: 14, body: Buffer.alloc(0) });
  });
});

describe('handshake reassembler bounds', () => {
  it('refuses oversize messages, absurd offsets and far-future message numbers', () => {
    const r = new HandshakeReassembler({ maxMessageSize: 1000, maxMessagesAhead: 4, maxRangesPerMessage: 4 });
    expect(
      r.add({ msgType: 11, length: 5000, messageSeq: 0, fragmentOffset: 0, body: Buffer.alloc(10) }, 0),
    ).toBe('dropped');
    expect(
      r.add({ msgType: 11, length: 100, messageSeq: 10, fragmentOffset: 0, body: Buffer.alloc(10) }, 0),
    ).toBe('dropped');
    expect(
      r.add({ msgType: 11, length: 100, messageSeq: 0, fragmentOffset: 95, body: Buffer.alloc(10) }, 0),
    ).toBe('dropped');
    expect(r.bufferedBytes).toBe(0 + 100); // the last one allocated its message but wrote nothing
  });

  it('caps tracked ranges so many tiny disjoint fragments cannot grow memory', () => {
    const r = new HandshakeReassembler({ maxMessageSize: 1000, maxMessagesAhead: 4, maxRangesPerMessage: 4 });
    const verdicts = [0, 10, 20, 30, 40, 50].map((off) =>
      r.add({ msgType: 11, length: 100, messageSeq: 0, fragmentOffset: off, body: Buffer.alloc(2) }, 0),
    );
    expect(verdicts).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'dropped', 'dropped']);
    // A fragment that merges ranges is still welcome and completes the message.
    expect(
      r.add({ msgType: 11, length: 100, messageSeq: 0, fragmentOffset: 0, body: Buffer.alloc(100) }, 0),
    ).toBe('accepted');
    expect(r.next()?.body.length).toBe(100);
  });

  it('treats conflicting type or length for the same message_seq as bad input', () => {
    const r = new HandshakeReassembler();
    r.add({ msgType: 11, length: 100, messageSeq: 0, fragmentOffset: 0, body: Buffer.alloc(10) }, 0);
    expect(
      r.add({ msgType: 12, length: 100, messageSeq: 0, fragmentOffset: 10, body: Buffer.alloc(10) }, 0),
    ).toBe('dropped');
    expect(
      r.add({ msgType: 11, length: 90, messageSeq: 0, fragmentOffset: 10, body: Buffer.alloc(10) }, 0),
    ).toBe('dropped');
    expect(
      r.add({ msgType: 11, length: 100, messageSeq: 0, fragmentOffset: 10, body: Buffer.alloc(10) }, 1),
    ).toBe('dropped');
  });

  it('reports fragments of delivered messages as old', () => {
    const r = new HandshakeReassembler();
    for (const f of fragmentMessage(1, 0, Buffer.alloc(50), 30)) r.add(f, 0);
    expect(r.next()).toBeDefined();
    expect(r.add(fragmentMessage(1, 0, Buffer.alloc(50), 30)[0]!, 0)).toBe('old');
  });
});
