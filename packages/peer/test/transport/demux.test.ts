import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyDatagram } from '../../src/index.js';

describe('RFC 7983 / RFC 9443 first-byte demultiplexing', () => {
  it('maps each range to its protocol', () => {
    const kind = (first: number, second = 0) => classifyDatagram(new Uint8Array([first, second, 0, 0]));
    for (let b = 0; b <= 3; b++) expect(kind(b)).toBe('stun');
    for (let b = 4; b <= 19; b++) expect(kind(b)).toBe('unknown'); // ZRTP 16-19, RFC 9443 reserved
    for (let b = 20; b <= 63; b++) expect(kind(b)).toBe('dtls');
    for (let b = 64; b <= 127; b++) expect(kind(b)).toBe('unknown'); // TURN channels, QUIC
    for (let b = 192; b <= 255; b++) expect(kind(b)).toBe('unknown');
    // RFC 5761 4: RTCP packet types 192-223 share the range with RTP.
    expect(kind(0x80, 96)).toBe('rtp');
    expect(kind(0x80, 96 | 0x80)).toBe('rtp'); // marker bit set, PT 96
    expect(kind(0x80, 200)).toBe('rtcp'); // SR
    expect(kind(0x81, 201)).toBe('rtcp'); // RR
    expect(kind(0x80, 206)).toBe('rtcp'); // PSFB
    expect(kind(0x80, 191)).toBe('rtp');
    expect(kind(0x80, 224)).toBe('rtp');
  });

  it('never throws and handles empty and one-byte input', () => {
    expect(classifyDatagram(new Uint8Array(0))).toBe('unknown');
    expect(classifyDatagram(new Uint8Array([0x80]))).toBe('unknown');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(['stun', 'dtls', 'rtp', 'rtcp', 'unknown']).toContain(classifyDatagram(bytes));
      }),
    );
  });
});
