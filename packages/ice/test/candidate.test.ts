import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CandidateParseError,
  candidatePriority,
  type IceCandidate,
  pairPriority,
  parseCandidate,
  serializeCandidate,
} from '../src/index.js';

const FIXTURES = new URL('../../../../shared/fixtures/chrome-156/', import.meta.url);

function chromeCandidateLines(): string[] {
  const out: string[] = [];
  for (const name of ['chrome-offer-data.sdp', 'chrome-answer-data.sdp', 'chrome-offer-av.sdp']) {
    let text: string;
    try {
      text = readFileSync(new URL(name, FIXTURES), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split(/\r?\n/)) if (line.startsWith('a=candidate:')) out.push(line.slice(2));
  }
  return out;
}

describe('candidate attribute (RFC 8839 section 5.1)', () => {
  it('parses and re-serialises Chrome 156 candidates byte for byte', () => {
    const lines = chromeCandidateLines();
    // Also the lines we know appear in those captures, in case the fixture folder is absent.
    lines.push(
      'candidate:1801666124 1 udp 2122260223 127.0.0.1 44151 typ host generation 0 network-id 1 network-cost 50',
      'candidate:2842472096 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1 network-cost 50',
    );
    for (const line of lines) {
      const c = parseCandidate(line);
      expect(serializeCandidate(c)).toBe(line);
    }
    const tcp = parseCandidate(lines.at(-1)!);
    expect(tcp).toMatchObject({
      transport: 'tcp',
      tcpType: 'active',
      port: 9,
      networkId: 1,
      networkCost: 50,
    });
  });

  it('parses srflx/relay with raddr/rport, ufrag and unknown extensions', () => {
    const line =
      'a=candidate:842163049 1 udp 1677729535 203.0.113.5 61000 typ srflx raddr 10.0.0.2 rport 50000 generation 1 ufrag Ab12 network-cost 10 foo bar';
    const c = parseCandidate(line);
    expect(c).toMatchObject({
      foundation: '842163049',
      component: 1,
      priority: 1677729535,
      address: '203.0.113.5',
      port: 61000,
      type: 'srflx',
      relatedAddress: '10.0.0.2',
      relatedPort: 50000,
      generation: 1,
      ufrag: 'Ab12',
      networkCost: 10,
      extensions: [['foo', 'bar']],
    });
    expect(serializeCandidate(c)).toBe(line.slice(2));
  });

  it('normalises IPv6 addresses and keeps mDNS names', () => {
    expect(parseCandidate('candidate:1 1 UDP 1 2001:DB8:0:0::1 9 typ host').address).toBe('2001:db8::1');
    expect(
      parseCandidate('candidate:1 1 udp 1 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 9 typ host').address,
    ).toBe('1f4712db-ea17-4bcf-a596-105139dfd8bf.local');
  });

  it('rejects malformed lines with CandidateParseError', () => {
    for (const bad of [
      'foo',
      'candidate:1 1 udp 1 1.2.3.4 9 typ',
      'candidate:1 1 sctp 1 1.2.3.4 9 typ host',
      'candidate:1 1 udp 1 1.2.3.4 70000 typ host',
      'candidate:1 1 udp 1 1.2.3.4 9 typ weird',
      'candidate:1 1 udp 1 1.2.3.4 9 typ host generation',
      'candidate:1 1 udp 1 1.2.3.4 9 typ host tcptype sideways',
    ]) {
      expect(() => parseCandidate(bad)).toThrow(CandidateParseError);
    }
  });

  it('never throws anything but CandidateParseError, and round-trips what it accepts', () => {
    const token = fc.stringMatching(/^[a-z0-9.:-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc
            .array(
              fc.oneof(token, fc.constantFrom('typ', 'host', 'udp', 'raddr', 'rport', 'generation', '1')),
              {
                maxLength: 14,
              },
            )
            .map((parts) => `candidate:${parts.join(' ')}`),
        ),
        (line) => {
          let c: IceCandidate;
          try {
            c = parseCandidate(line);
          } catch (err) {
            expect(err).toBeInstanceOf(CandidateParseError);
            return;
          }
          expect(parseCandidate(serializeCandidate(c))).toEqual(c);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('computes RFC 8445 priorities', () => {
    // RFC 8445 section 5.1.2.1 with type preference 126, local preference 65535, component 1.
    expect(candidatePriority('host', 65535, 1)).toBe(2130706431);
    expect(candidatePriority('relay', 0, 1)).toBe(255);
    // Section 6.1.2.3: 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0).
    expect(pairPriority(10, 20)).toBe((1n << 32n) * 10n + 40n);
    expect(pairPriority(20, 10)).toBe((1n << 32n) * 10n + 41n);
  });
});
