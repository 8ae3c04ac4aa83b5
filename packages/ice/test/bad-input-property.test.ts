import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IceAgent,
  MdnsResolver,
  StunAttr,
  StunClass,
  StunIntegrityKey,
  StunMessageBuilder,
  StunMethod,
  stunRequestUfrag,
  TurnClient,
} from '../src/index.js';

const stunish = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  // A valid header with random attributes, so the parser gets past the framing checks.
  fc.tuple(fc.integer({ min: 0, max: 0x3fff }), fc.uint8Array({ maxLength: 120 })).map(([type, body]) => {
    const padded = Buffer.concat([Buffer.from(body), Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const header = Buffer.alloc(20);
    header.writeUInt16BE(type, 0);
    header.writeUInt16BE(padded.length, 2);
    header.writeUInt32BE(0x2112a442, 4);
    return Buffer.concat([header, padded]);
  }),
);

describe('bad input never throws and never changes state', () => {
  it('ICE agent: arbitrary datagrams are dropped and counted', () => {
    const agent = new IceAgent({
      controlling: true,
      localCredentials: { ufrag: 'aaaa', pwd: 'aaaaaaaaaaaaaaaaaaaaaaaa' },
      remoteCredentials: { ufrag: 'bbbb', pwd: 'bbbbbbbbbbbbbbbbbbbbbbbb' },
    });
    agent.addLocalCandidate({ socketId: 's0', type: 'host', address: '192.0.2.1', port: 5000 });
    while (agent.pollEvent()) {}
    fc.assert(
      fc.property(stunish, fc.nat({ max: 100_000 }), (bytes, now) => {
        // The first byte decides STUN vs application data (RFC 7983); keep it in STUN range.
        if (bytes.length > 0) bytes[0] = bytes[0]! & 0x03;
        agent.handleDatagram('s0', { address: '198.51.100.7', port: 6000 }, bytes, now);
        while (agent.pollTransmit()) {}
        expect(agent.pollEvent()).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
    expect(agent.state).toBe('new');
    expect(agent.remoteCandidateList).toHaveLength(0);
    expect(
      agent.stats.malformed + agent.stats.unauthenticated + agent.stats.unknownTransaction,
    ).toBeGreaterThan(0);
  });

  it('TURN client: arbitrary server messages are dropped and counted', () => {
    const client = new TurnClient({ username: 'u', password: 'p' });
    client.start(0);
    client.pollTransmit();
    fc.assert(
      fc.property(stunish, (bytes) => {
        client.handleIncoming(bytes, 1);
        expect(client.state).toBe('allocating');
      }),
      { numRuns: 2000 },
    );
    // A response to a transaction we never sent changes nothing either.
    const stray = new StunMessageBuilder(StunMethod.Allocate, StunClass.SuccessResponse, Buffer.alloc(12, 1))
      .addAddress(StunAttr.XorRelayedAddress, { address: '192.0.2.1', port: 1 })
      .finish({ integrity: StunIntegrityKey.shortTerm('p'), fingerprint: true });
    const before = client.stats.unknownTransaction;
    client.handleIncoming(stray, 2);
    expect(client.stats.unknownTransaction).toBe(before + 1);
    expect(client.state).toBe('allocating');
  });

  it('mDNS resolver and ufrag routing helper never throw', () => {
    const resolver = new MdnsResolver();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        resolver.handleMessage(bytes, 0);
        stunRequestUfrag(bytes);
      }),
      { numRuns: 2000 },
    );
    const check = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, Buffer.alloc(12, 2))
      .add(StunAttr.Username, 'local:remote')
      .finish({ fingerprint: true });
    expect(stunRequestUfrag(check)).toBe('local');
  });
});
