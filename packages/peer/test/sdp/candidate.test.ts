import { describe, expect, it } from 'vitest';
import { parseCandidate, SdpParseError, serializeCandidate } from '../../src/index.js';

describe('ICE candidate grammar (RFC 8839 5.1)', () => {
  it('reads the RFC 8839 server-reflexive example with raddr/rport', () => {
    const text = 'candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998';
    const c = parseCandidate(text);
    expect(c).toEqual({
      foundation: '2',
      component: 1,
      transport: 'UDP',
      priority: 1694498815,
      address: '192.0.2.3',
      port: 45664,
      type: 'srflx',
      relatedAddress: '10.0.1.1',
      relatedPort: 8998,
      extensions: [],
    });
    expect(serializeCandidate(c)).toBe(text);
  });

  it('reads RFC 6544 tcptype and Chrome extensions in the order Chrome writes', () => {
    const text =
      'candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-id 1 network-cost 10';
    const c = parseCandidate(text);
    expect(c.relatedAddress).toBe('0.0.0.0');
    expect(c.relatedPort).toBe(0);
    expect(c.generation).toBe(0);
    expect(c.ufrag).toBe('EsAw');
    expect(c.networkId).toBe(1);
    expect(c.networkCost).toBe(10);
    expect(serializeCandidate(c)).toBe(text);
    const tcp = parseCandidate('candidate:2 1 TCP 2105458943 192.0.2.2 9 typ host tcptype active');
    expect(tcp.tcpType).toBe('active');
    expect(tcp.port).toBe(9);
  });

  it('keeps unknown extension pairs in order and accepts an mDNS address', () => {
    const text =
      'candidate:1 1 udp 2122260223 4a1d2b3c-1111-2222-3333-444455556666.local 54321 typ host foo 1 bar baz';
    const c = parseCandidate(`a=${text}`);
    expect(c.address).toBe('4a1d2b3c-1111-2222-3333-444455556666.local');
    expect(c.extensions).toEqual([
      { name: 'foo', value: '1' },
      { name: 'bar', value: 'baz' },
    ]);
    expect(serializeCandidate(c)).toBe(text);
  });

  it('rejects malformed candidates with SdpParseError', () => {
    const bad = [
      '',
      'candidate:',
      '1 1 udp 1 1.2.3.4 1 typ host',
      'candidate:1 1 udp 1 1.2.3.4 1 type host',
      'candidate:1 0 udp 1 1.2.3.4 1 typ host',
      'candidate:1 257 udp 1 1.2.3.4 1 typ host',
      'candidate:1 1 udp 4294967296 1.2.3.4 1 typ host',
      'candidate:1 1 udp 1 1.2.3.4 65536 typ host',
      'candidate:1 1 udp 1 1.2.3.4 1 typ host generation',
      'candidate:1 1 udp 1 1.2.3.4 1 typ host rport x',
      'candidate:1 1 udp 1 1.2.3.4 1 typ host network-cost -1',
      `candidate:${'f'.repeat(33)} 1 udp 1 1.2.3.4 1 typ host`,
    ];
    for (const text of bad) {
      expect(() => parseCandidate(text), text).toThrow(SdpParseError);
    }
  });
});
