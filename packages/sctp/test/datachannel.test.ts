import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DataChannelEvent,
  DataChannelManager,
  parseDcep,
  SctpAssociation,
  SctpParseError,
  serializeDcep,
} from '../src/index.js';
import { EndpointPair } from './helpers/endpoint-pair.js';
import { seededRandom } from './helpers/pair.js';

function channels() {
  const a = new DataChannelManager(new SctpAssociation({ random: seededRandom(1) }), 'client');
  const b = new DataChannelManager(new SctpAssociation({ random: seededRandom(2) }), 'server');
  const ea: DataChannelEvent[] = [];
  const eb: DataChannelEvent[] = [];
  const pair = new EndpointPair(a, b, 10, () => {
    for (let e = a.pollEvent(); e; e = a.pollEvent()) ea.push(e);
    for (let e = b.pollEvent(); e; e = b.pollEvent()) eb.push(e);
  });
  return { a, b, ea, eb, pair };
}

describe('DCEP codec (RFC 8832)', () => {
  it('encodes DATA_CHANNEL_OPEN byte for byte with UTF-8 byte lengths', () => {
    const b = serializeDcep({
      type: 'open',
      channelType: 0x81,
      priority: 256,
      reliabilityParameter: 3,
      label: 'é',
      protocol: 'p',
    });
    expect(b.toString('hex')).toBe('03810100000000030002000' + '1c3a970');
    expect(parseDcep(b)).toEqual({
      type: 'open',
      channelType: 0x81,
      priority: 256,
      reliabilityParameter: 3,
      label: 'é',
      protocol: 'p',
    });
    expect(serializeDcep({ type: 'ack' })).toEqual(Buffer.from([2]));
  });

  it('never throws anything but SctpParseError and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const m = parseDcep(Buffer.from(bytes));
          expect(serializeDcep(m)).toEqual(Buffer.from(bytes));
        } catch (e) {
          expect(e).toBeInstanceOf(SctpParseError);
        }
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom(0, 0x80, 1, 0x81, 2, 0x82),
        fc.nat(0xffff),
        (label, protocol, channelType, priority) => {
          const m = {
            type: 'open' as const,
            channelType,
            priority,
            reliabilityParameter: 5,
            label,
            protocol,
          };
          expect(parseDcep(serializeDcep(m))).toEqual(m);
        },
      ),
    );
  });
});

describe('data channels over two associations', () => {
  it('opens channels from both ends with DCEP, even ids for the DTLS client and odd for the server', () => {
    const { a, b, ea, eb, pair } = channels();
    a.connect(0);
    const ca = a.createChannel({ label: 'chat ✓ 日本', protocol: 'proto', priority: 512 });
    const cb = b.createChannel({ label: 'from-b', ordered: false, maxRetransmits: 0 });
    pair.flush();
    pair.runUntil(
      () => ea.some((e) => e.type === 'channel-open') && eb.some((e) => e.type === 'channel-open'),
    );
    expect(ca.id % 2).toBe(0);
    expect(cb.id % 2).toBe(1);
    const openedAtB = eb.find((e) => e.type === 'channel-open');
    expect(openedAtB).toMatchObject({
      channel: { id: ca.id, label: 'chat ✓ 日本', protocol: 'proto', ordered: true, priority: 512 },
    });
    const openedAtA = ea.find((e) => e.type === 'channel-open');
    expect(openedAtA).toMatchObject({
      channel: { id: cb.id, label: 'from-b', ordered: false, maxRetransmits: 0 },
    });
    pair.runUntil(() => ea.some((e) => e.type === 'channel-ack'));
    expect(ea).toContainEqual({ type: 'channel-ack', id: ca.id });
  });

  it('carries strings, binary and empty messages with the right PPIDs', () => {
    const { a, b, eb, pair } = channels();
    a.connect(0);
    const ch = a.createChannel({ label: 'x' });
    for (const m of ['hello', '', Buffer.from([1, 2, 3]), new Uint8Array(0), 'ünï']) a.send(ch.id, m);
    pair.flush();
    pair.runUntil(() => eb.filter((e) => e.type === 'message').length === 5);
    const msgs = eb.filter((e) => e.type === 'message');
    expect(msgs.map((m) => (m.type === 'message' ? [m.data, m.binary] : null))).toEqual([
      ['hello', false],
      ['', false],
      [Buffer.from([1, 2, 3]), true],
      [Buffer.alloc(0), true],
      ['ünï', false],
    ]);
    expect(b.channel(ch.id)?.label).toBe('x');
  });

  it('pre-negotiated channels need no DCEP', () => {
    const { a, b, eb, pair } = channels();
    a.createChannel({ negotiated: true, id: 7, label: 'n' });
    b.createChannel({ negotiated: true, id: 7, label: 'n' });
    a.connect(0);
    a.send(7, 'pre');
    pair.flush();
    pair.runUntil(() => eb.some((e) => e.type === 'message'));
    expect(eb).toContainEqual({ type: 'message', id: 7, data: 'pre', binary: false });
    expect(eb.some((e) => e.type === 'channel-open')).toBe(false);
  });

  it('reports bufferedAmount and fires buffered-amount-low', () => {
    const { a, ea, pair } = channels();
    a.connect(0);
    pair.flush();
    pair.runUntil(() => ea.some((e) => e.type === 'connected'));
    const ch = a.createChannel({ label: 'big' });
    a.setBufferedAmountLowThreshold(ch.id, 1000);
    for (let i = 0; i < 10; i++) a.send(ch.id, Buffer.alloc(10_000));
    expect(a.bufferedAmount(ch.id)).toBeGreaterThanOrEqual(100_000);
    pair.flush();
    pair.runUntil(() => ea.some((e) => e.type === 'buffered-amount-low'));
    expect(ea).toContainEqual({ type: 'buffered-amount-low', id: ch.id });
    expect(a.bufferedAmount(ch.id)).toBeLessThanOrEqual(1000);
  });

  it('closes a channel by stream reset on both sides and reuses the id', () => {
    const { a, b, ea, eb, pair } = channels();
    a.connect(0);
    const ch = a.createChannel({ label: 'c' });
    a.send(ch.id, 'last words');
    pair.flush();
    pair.runUntil(() => eb.some((e) => e.type === 'channel-open'));
    a.close(ch.id);
    pair.flush();
    pair.runUntil(
      () => ea.some((e) => e.type === 'channel-closed') && eb.some((e) => e.type === 'channel-closed'),
    );
    expect(eb).toContainEqual({ type: 'message', id: ch.id, data: 'last words', binary: false });
    expect(eb).toContainEqual({ type: 'channel-closing', id: ch.id });
    expect(ea).toContainEqual({ type: 'channel-closed', id: ch.id });
    expect(eb).toContainEqual({ type: 'channel-closed', id: ch.id });
    // The id is free again, and the new channel's messages start at SSN 0 on both sides.
    const again = a.createChannel({ label: 'again' });
    expect(again.id).toBe(ch.id);
    a.send(again.id, 'second life');
    pair.flush();
    pair.runUntil(() => eb.some((e) => e.type === 'message' && e.data === 'second life'));
    expect(b.channel(again.id)?.label).toBe('again');
  });
});
