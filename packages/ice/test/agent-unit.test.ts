import { describe, expect, it } from 'vitest';
import {
  IceAgent,
  StunAttr,
  StunClass,
  StunIntegrityKey,
  StunMessage,
  StunMessageBuilder,
  StunMethod,
  type Transmit,
} from '../src/index.js';

const LOCAL = { ufrag: 'locl', pwd: 'local-password-0123456789' };
const REMOTE = { ufrag: 'remo', pwd: 'remote-password-012345678' };

function drain(agent: IceAgent): Transmit[] {
  const out: Transmit[] = [];
  for (let t = agent.pollTransmit(); t; t = agent.pollTransmit()) out.push(t);
  return out;
}

function controlledAgent(options: Partial<ConstructorParameters<typeof IceAgent>[0]> = {}): IceAgent {
  const agent = new IceAgent({
    controlling: false,
    localCredentials: LOCAL,
    remoteCredentials: REMOTE,
    ...options,
  });
  agent.addLocalCandidate({ socketId: 's0', type: 'host', address: '192.0.2.1', port: 5000 });
  return agent;
}

function check(
  opts: {
    useCandidate?: boolean;
    controlling?: bigint;
    controlled?: bigint;
    pwd?: string;
    extra?: number;
  } = {},
): Buffer {
  const b = new StunMessageBuilder(
    StunMethod.Binding,
    StunClass.Request,
    Buffer.alloc(12, Math.floor(Math.random() * 255)),
  )
    .add(StunAttr.Username, `${LOCAL.ufrag}:${REMOTE.ufrag}`)
    .addU32(StunAttr.Priority, 1853824767);
  if (opts.controlled !== undefined) b.addU64(StunAttr.IceControlled, opts.controlled);
  else b.addU64(StunAttr.IceControlling, opts.controlling ?? 1n);
  if (opts.useCandidate) b.addFlag(StunAttr.UseCandidate);
  if (opts.extra !== undefined) b.add(opts.extra, 'x');
  return b.finish({ integrity: StunIntegrityKey.shortTerm(opts.pwd ?? LOCAL.pwd), fingerprint: true });
}

describe('ICE agent: bad input is dropped and counted, never state-changing', () => {
  it('drops malformed STUN, bad fingerprint, wrong integrity, unknown transactions', () => {
    const agent = controlledAgent();
    const from = { address: '198.51.100.7', port: 6000 };
    agent.handleDatagram('s0', from, Buffer.from([0, 1, 0, 4, 0x21, 0x12, 0xa4, 0x42]), 0);
    expect(agent.stats.malformed).toBe(1);

    const good = check();
    const badFp = Buffer.from(good);
    badFp[badFp.length - 1]! ^= 1;
    agent.handleDatagram('s0', from, badFp, 0);
    expect(agent.stats.badFingerprint).toBe(1);

    agent.handleDatagram('s0', from, check({ pwd: 'not-the-password' }), 0);
    expect(agent.stats.unauthenticated).toBe(1);
    const replies = drain(agent);
    expect(replies).toHaveLength(1);
    expect(StunMessage.parse(replies[0]!.data).errorCode()?.code).toBe(401);

    const stray = new StunMessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, Buffer.alloc(12, 3))
      .addAddress(StunAttr.XorMappedAddress, from)
      .finish({ integrity: StunIntegrityKey.shortTerm(REMOTE.pwd), fingerprint: true });
    agent.handleDatagram('s0', from, stray, 0);
    expect(agent.stats.unknownTransaction).toBe(1);

    agent.handleDatagram('s0', from, Buffer.from([0x80, 0, 0, 0]), 0);
    expect(agent.stats.droppedData).toBe(1);
    expect(agent.remoteCandidateList).toHaveLength(0);
    expect(agent.state).toBe('new');
    expect(agent.pollEvent()?.type).toBe('local-candidate');
    expect(agent.pollEvent()).toBeUndefined();
  });

  it('answers unknown comprehension-required attributes with 420 and UNKNOWN-ATTRIBUTES', () => {
    const agent = controlledAgent();
    agent.handleDatagram('s0', { address: '198.51.100.7', port: 6000 }, check({ extra: 0x7abc }), 0);
    const [reply] = drain(agent);
    const msg = StunMessage.parse(reply!.data);
    expect(msg.errorCode()?.code).toBe(420);
    expect(msg.unknownAttributes()).toEqual([0x7abc]);
    expect(agent.remoteCandidateList).toHaveLength(0);
  });

  it('keeps memory bounded however many addresses send valid checks', () => {
    const agent = controlledAgent({ maxPeerReflexiveCandidates: 8, maxPairs: 20 });
    for (let i = 0; i < 500; i++) {
      agent.handleDatagram('s0', { address: `198.51.${i >> 8}.${i & 0xff}`, port: 7000 + i }, check(), i);
      drain(agent);
    }
    expect(agent.remoteCandidateList.length).toBeLessThanOrEqual(8);
    expect(agent.checkList.length).toBeLessThanOrEqual(20);
    expect(agent.stats.droppedPeerReflexive).toBeGreaterThan(400);
    expect(agent.stats.responsesSent).toBe(500);
  });
});

describe('ICE agent: checks answered directly', () => {
  it('answers a check with XOR-MAPPED-ADDRESS signed with the local password, learns a prflx', () => {
    const agent = controlledAgent();
    const from = { address: '198.51.100.7', port: 6000 };
    const request = check();
    agent.handleDatagram('s0', from, request, 0);
    const out = drain(agent);
    const response = StunMessage.parse(out[0]!.data);
    expect(out[0]!.destination).toEqual(from);
    expect(response.messageClass).toBe(StunClass.SuccessResponse);
    expect(response.transactionId.equals(StunMessage.parse(request).transactionId)).toBe(true);
    expect(response.xorMappedAddress()).toEqual(from);
    expect(response.verifyIntegrity(StunIntegrityKey.shortTerm(LOCAL.pwd))).toBe(true);
    expect(response.hasValidFingerprint()).toBe(true);
    expect(agent.remoteCandidateList[0]).toMatchObject({ type: 'prflx', priority: 1853824767 });
    // A triggered check goes back on the same pair at once.
    agent.handleTimeout(0);
    const [triggered] = drain(agent);
    const t = StunMessage.parse(triggered!.data);
    expect(t.messageClass).toBe(StunClass.Request);
    expect(t.username()).toBe(`${REMOTE.ufrag}:${LOCAL.ufrag}`);
    expect(t.iceControlled()).toBeDefined();
    expect(t.verifyIntegrity(StunIntegrityKey.shortTerm(REMOTE.pwd))).toBe(true);
  });

  it('a controlling agent answers a controlling peer with a larger tie-breaker by 487', () => {
    const agent = new IceAgent({
      controlling: true,
      localCredentials: LOCAL,
      remoteCredentials: REMOTE,
      random: () => new Uint8Array(12).fill(0xff),
    });
    agent.addLocalCandidate({ socketId: 's0', type: 'host', address: '192.0.2.1', port: 5000 });
    agent.handleDatagram('s0', { address: '198.51.100.7', port: 6000 }, check({ controlling: 5n }), 0);
    const [reply] = drain(agent);
    expect(StunMessage.parse(reply!.data).errorCode()?.code).toBe(487);
    expect(agent.controlling).toBe(true);
    // With a smaller tie-breaker of ours, we switch to controlled and answer.
    const humble = new IceAgent({
      controlling: true,
      localCredentials: LOCAL,
      remoteCredentials: REMOTE,
      random: () => new Uint8Array(12).fill(0),
    });
    humble.addLocalCandidate({ socketId: 's0', type: 'host', address: '192.0.2.1', port: 5000 });
    humble.handleDatagram('s0', { address: '198.51.100.7', port: 6000 }, check({ controlling: 5n }), 0);
    expect(humble.controlling).toBe(false);
    expect(StunMessage.parse(drain(humble)[0]!.data).messageClass).toBe(StunClass.SuccessResponse);
  });

  it('a lite agent selects the pair the full peer nominates and never sends checks', () => {
    const agent = controlledAgent({ lite: true });
    const from = { address: '198.51.100.7', port: 6000 };
    agent.handleDatagram('s0', from, check({ useCandidate: true }), 0);
    expect(drain(agent)).toHaveLength(1);
    expect(agent.selectedPair?.remote.address).toBe('198.51.100.7');
    agent.handleTimeout(100);
    expect(drain(agent)).toHaveLength(0);
    expect(agent.state === 'connected' || agent.state === 'completed').toBe(true);
    expect(agent.send(Buffer.from([0x80]))).toBe(true);
    expect(drain(agent)[0]!.destination).toEqual(from);
  });

  it('fails when every pair failed and the peer signalled end-of-candidates', () => {
    const agent = new IceAgent({
      controlling: true,
      localCredentials: LOCAL,
      remoteCredentials: REMOTE,
      maxCheckTransmissions: 2,
    });
    agent.addLocalCandidate({ socketId: 's0', type: 'host', address: '192.0.2.1', port: 5000 });
    agent.addRemoteCandidate('candidate:1 1 udp 2130706431 198.51.100.9 7000 typ host');
    let now = 0;
    for (let i = 0; i < 100 && agent.state !== 'failed'; i++) {
      agent.handleTimeout(now);
      drain(agent);
      now = agent.nextDeadline() ?? now + 1000;
      if (i === 50) agent.endOfRemoteCandidates();
    }
    expect(agent.checkList.every((p) => p.state === 'failed')).toBe(true);
    expect(agent.state).toBe('failed');
  });
});

describe('ICE agent: nomination from the peer', () => {
  it('accepts aggressive nomination and moves to a higher-priority nominated pair', () => {
    const agent = controlledAgent();
    // Two remote candidates, both nominated by the (aggressive) peer; the higher priority one wins.
    agent.addRemoteCandidate('candidate:1 1 udp 100 198.51.100.7 6000 typ host');
    agent.addRemoteCandidate('candidate:2 1 udp 2130706431 198.51.100.8 6000 typ host');
    const respondTo = (t: Transmit) => {
      const req = StunMessage.parse(t.data);
      const res = new StunMessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, req.transactionId)
        .addAddress(StunAttr.XorMappedAddress, { address: '192.0.2.1', port: 5000 })
        .finish({ integrity: StunIntegrityKey.shortTerm(REMOTE.pwd), fingerprint: true });
      agent.handleDatagram('s0', t.destination, res, 1);
    };
    // The second check arrives a Ta (50 ms) later: triggered checks are paced too (RFC 8445 14.2).
    for (const [address, now] of [
      ['198.51.100.7', 0],
      ['198.51.100.8', 60],
    ] as const) {
      agent.handleDatagram('s0', { address, port: 6000 }, check({ useCandidate: true }), now);
      drain(agent);
      agent.handleTimeout(now);
      for (const t of drain(agent)) if (t.destination.address === address) respondTo(t);
    }
    expect(agent.selectedPair?.remote.address).toBe('198.51.100.8');
    const selections = [];
    for (let e = agent.pollEvent(); e; e = agent.pollEvent())
      if (e.type === 'selected-pair') selections.push(e.pair.remote.address);
    expect(selections).toEqual(['198.51.100.7', '198.51.100.8']);
  });
});

describe('ICE-TCP pairing (RFC 6544 section 6.2)', () => {
  it('pairs active with passive only; simultaneous-open candidates are not paired with ours', () => {
    const agent = new IceAgent({ controlling: true, localCredentials: LOCAL, remoteCredentials: REMOTE });
    agent.addLocalCandidate({
      socketId: 'ta',
      type: 'host',
      address: '192.0.2.1',
      port: 9,
      transport: 'tcp',
      tcpType: 'active',
    });
    agent.addLocalCandidate({
      socketId: 'tp',
      type: 'host',
      address: '192.0.2.1',
      port: 4443,
      transport: 'tcp',
      tcpType: 'passive',
    });
    expect(agent.addRemoteCandidate('candidate:1 1 tcp 1518280447 192.0.2.9 5000 typ host tcptype so')).toBe(
      true,
    );
    expect(agent.addRemoteCandidate('candidate:2 1 tcp 1518280446 192.0.2.9 9 typ host tcptype active')).toBe(
      true,
    );
    // A signalled active remote is reached only by its own connection to our passive socket.
    expect(agent.checkList).toEqual([]);
    expect(
      agent.addRemoteCandidate('candidate:3 1 tcp 1518280445 192.0.2.9 4444 typ host tcptype passive'),
    ).toBe(true);
    expect(agent.checkList.map((p) => [p.local.socketId, p.remote.port])).toEqual([['ta', 4444]]);
  });
});

describe('ICE agent: local candidates learned from responses (RFC 8445 section 7.2.5.3)', () => {
  it('makes the mapped address the pair local candidate, and a late srflx at that address replaces it', () => {
    const agent = new IceAgent({ controlling: true, localCredentials: LOCAL, remoteCredentials: REMOTE });
    agent.addLocalCandidate({ socketId: 's0', type: 'host', address: '10.0.0.2', port: 5000 });
    agent.addRemoteCandidate('candidate:1 1 udp 2130706431 198.51.100.7 6000 typ host');
    agent.handleTimeout(0);
    const [sent] = drain(agent);
    const request = StunMessage.parse(sent!.data);
    const mapped = { address: '203.0.113.1', port: 40000 };
    const response = new StunMessageBuilder(
      StunMethod.Binding,
      StunClass.SuccessResponse,
      request.transactionId,
    )
      .addAddress(StunAttr.XorMappedAddress, mapped)
      .finish({ integrity: StunIntegrityKey.shortTerm(REMOTE.pwd), fingerprint: true });
    agent.handleDatagram('s0', { address: '198.51.100.7', port: 6000 }, response, 20);
    const pair = agent.checkList[0]!;
    expect(pair.state).toBe('succeeded');
    expect([pair.local.type, pair.local.address, pair.local.port, pair.local.socketId]).toEqual([
      'prflx',
      '203.0.113.1',
      40000,
      's0',
    ]);
    expect(pair.local.relatedAddress).toBe('10.0.0.2');
    while (agent.pollEvent());
    const srflx = agent.addLocalCandidate({
      socketId: 's0',
      type: 'srflx',
      ...mapped,
      relatedAddress: '10.0.0.2',
      relatedPort: 5000,
    });
    expect(srflx.type).toBe('srflx');
    expect(agent.pollEvent()).toEqual({ type: 'local-candidate', candidate: srflx });
    expect(agent.checkList[0]!.local).toBe(srflx);
    expect(agent.localCandidateList.map((c) => c.type)).toEqual(['host', 'srflx']);
  });
});
