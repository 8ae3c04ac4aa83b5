import type { CandidatePairInfo, CandidateType, LocalCandidate } from '@purertc/ice';
import { describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { SCTP_SAME_HOST_MAX_PACKET, sctpMaxPacketSize } from '../../src/transport/sctp-path-mtu.js';

function candidate(type: CandidateType, address: string): LocalCandidate {
  return {
    foundation: '1',
    component: 1,
    transport: 'udp',
    priority: 1,
    address,
    port: 5000,
    type,
    socketId: 's',
  };
}

function pair(local: LocalCandidate, remoteType: CandidateType, remoteAddress: string): CandidatePairInfo {
  return {
    local,
    remote: candidate(remoteType, remoteAddress),
    state: 'succeeded',
    nominated: true,
    priority: 1n,
    stats: {} as CandidatePairInfo['stats'],
  };
}

const lan = candidate('host', '192.168.1.5');
const locals = [lan, candidate('host', 'fd00::5'), candidate('srflx', '203.0.113.9')];

describe('MAX_PLPMTU for the selected pair (RFC 8899 5.3.1)', () => {
  it('a pair within this host may grow to what libwebrtc reads (2048-byte datagrams)', () => {
    expect(
      sctpMaxPacketSize(pair(candidate('host', '127.0.0.1'), 'host', '127.0.0.1'), locals, undefined),
    ).toBe(2008);
    expect(sctpMaxPacketSize(pair(candidate('host', '::1'), 'host', '::1'), locals, undefined)).toBe(2008);
    expect(sctpMaxPacketSize(pair(lan, 'prflx', '::ffff:127.0.0.2'), locals, undefined)).toBe(2008);
    // The peer's address is one of ours: the kernel keeps the traffic on loopback.
    expect(sctpMaxPacketSize(pair(lan, 'host', '192.168.1.5'), locals, undefined)).toBe(2008);
    expect(sctpMaxPacketSize(pair(lan, 'host', 'fd00::5'), locals, undefined)).toBe(2008);
    // 2008 + 37 bytes of DTLS GCM record overhead fits 2048.
    expect(SCTP_SAME_HOST_MAX_PACKET + 13 + 8 + 16).toBeLessThanOrEqual(2048);
  });

  it('a pair that leaves the host stays at 1200 unless the application raises the cap', () => {
    expect(sctpMaxPacketSize(pair(lan, 'host', '192.168.1.6'), locals, undefined)).toBe(1200);
    // An srflx address of ours is not an interface address: the path goes through a NAT.
    expect(sctpMaxPacketSize(pair(lan, 'srflx', '203.0.113.9'), locals, undefined)).toBe(1200);
    expect(sctpMaxPacketSize(pair(lan, 'host', '192.168.1.6'), locals, 8000)).toBe(8000);
  });

  it('through a TURN relay it is never treated as local, even with a relay on this host', () => {
    expect(
      sctpMaxPacketSize(pair(candidate('relay', '127.0.0.1'), 'host', '127.0.0.1'), locals, undefined),
    ).toBe(1200);
    expect(sctpMaxPacketSize(pair(lan, 'relay', '192.168.1.5'), locals, undefined)).toBe(1200);
  });

  it('the cap replaces the same-host default both ways and never exceeds one DTLS record', () => {
    expect(sctpMaxPacketSize(pair(candidate('host', '127.0.0.1'), 'host', '127.0.0.1'), locals, 16_000)).toBe(
      16_000,
    );
    expect(sctpMaxPacketSize(pair(candidate('host', '127.0.0.1'), 'host', '127.0.0.1'), locals, 1200)).toBe(
      1200,
    );
    expect(sctpMaxPacketSize(pair(lan, 'host', '10.0.0.1'), locals, 65_000)).toBe(16_384);
  });
});

describe('the sctpMaxPacketSize setting (Node only)', () => {
  it('takes an integer from 576 to 16384 and shows in getConfiguration(); anything else is a TypeError', () => {
    for (const bad of [575, 16_385, 1200.5, Number.NaN]) {
      expect(() => new RTCPeerConnection({ sctpMaxPacketSize: bad })).toThrow(TypeError);
    }
    const pc = new RTCPeerConnection({ sctpMaxPacketSize: 9000 });
    try {
      expect(pc.getConfiguration().sctpMaxPacketSize).toBe(9000);
    } finally {
      pc.close();
    }
  });
});
