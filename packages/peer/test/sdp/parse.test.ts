import { describe, expect, it } from 'vitest';
import { parseSdp, SdpParseError, serializeSdp } from '../../src/index.js';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

// RFC 8866 section 5 example session description.
const RFC8866_EXAMPLE = crlf([
  'v=0',
  'o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1',
  's=Call to John Smith',
  'i=SDP Offer #1',
  'u=http://www.jdoe.example.com/home.html',
  'e=Jane Doe <jane@jdoe.example.com>',
  'p=+1 617 555-6011',
  'c=IN IP4 198.51.100.1',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'm=audio 49180 RTP/AVP 0',
  'm=video 51372 RTP/AVP 99',
  'c=IN IP6 2001:db8::2',
  'a=rtpmap:99 h263-1998/90000',
]);

describe('parseSdp session and media fields (RFC 8866 5)', () => {
  it('reads the RFC 8866 example and writes it back byte for byte', () => {
    const sdp = parseSdp(RFC8866_EXAMPLE);
    expect(sdp.origin).toEqual({
      username: 'jdoe',
      sessionId: '3724394400',
      sessionVersion: '3724394405',
      netType: 'IN',
      addrType: 'IP4',
      address: '198.51.100.1',
    });
    expect(sdp.sessionName).toBe('Call to John Smith');
    expect(sdp.information).toBe('SDP Offer #1');
    expect(sdp.uri).toBe('http://www.jdoe.example.com/home.html');
    expect(sdp.emails).toEqual(['Jane Doe <jane@jdoe.example.com>']);
    expect(sdp.phones).toEqual(['+1 617 555-6011']);
    expect(sdp.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '198.51.100.1' });
    expect(sdp.media.map((m) => [m.kind, m.port, m.protocol, m.formats])).toEqual([
      ['audio', 49170, 'RTP/AVP', ['0']],
      ['audio', 49180, 'RTP/AVP', ['0']],
      ['video', 51372, 'RTP/AVP', ['99']],
    ]);
    expect(sdp.media[2]!.connections).toEqual([{ netType: 'IN', addrType: 'IP6', address: '2001:db8::2' }]);
    expect(serializeSdp(sdp)).toBe(RFC8866_EXAMPLE);
  });

  it('reads b=, r=, z=, k=, port counts and several c= in a section', () => {
    const text = crlf([
      'v=0',
      'o=- 1 1 IN IP4 0.0.0.0',
      's=-',
      'b=CT:1000',
      't=3034423619 3042462419',
      'r=604800 3600 0 90000',
      'z=2882844526 -1h 2898848070 0',
      'k=prompt',
      'm=video 49170/2 RTP/AVP 31',
      'i=second',
      'c=IN IP4 233.252.0.1/127',
      'c=IN IP4 233.252.0.2/127',
      'b=AS:30',
      'b=TIAS:64000',
      'k=clear:secret',
    ]);
    const sdp = parseSdp(text);
    expect(sdp.bandwidths).toEqual([{ type: 'CT', value: 1000 }]);
    expect(sdp.timing).toEqual([
      { start: '3034423619', stop: '3042462419', repeats: ['604800 3600 0 90000'] },
    ]);
    expect(sdp.timeZones).toBe('2882844526 -1h 2898848070 0');
    expect(sdp.encryptionKey).toBe('prompt');
    const m = sdp.media[0]!;
    expect(m.port).toBe(49170);
    expect(m.portCount).toBe(2);
    expect(m.information).toBe('second');
    expect(m.connections.map((c) => c.address)).toEqual(['233.252.0.1/127', '233.252.0.2/127']);
    expect(m.bandwidths).toEqual([
      { type: 'AS', value: 30 },
      { type: 'TIAS', value: 64000 },
    ]);
    expect(m.encryptionKey).toBe('clear:secret');
    expect(serializeSdp(sdp)).toBe(text);
  });

  it('keeps unknown attributes and unknown line types in order, session and media level', () => {
    const text = crlf([
      'v=0',
      'o=- 1 1 IN IP4 0.0.0.0',
      's=-',
      't=0 0',
      'a=x-first:1',
      'y=unknown session line',
      'a=x-second',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'a=mid:0',
      'x=media line',
      'a=x-third:a b c',
    ]);
    const sdp = parseSdp(text);
    expect(sdp.attributes).toEqual([
      { type: 'generic', key: 'x-first', value: '1' },
      { type: 'unknown-line', letter: 'y', value: 'unknown session line' },
      { type: 'generic', key: 'x-second' },
    ]);
    expect(sdp.media[0]!.attributes).toEqual([
      { type: 'mid', value: '0' },
      { type: 'unknown-line', letter: 'x', value: 'media line' },
      { type: 'generic', key: 'x-third', value: 'a b c' },
    ]);
    expect(serializeSdp(sdp)).toBe(text);
  });

  it('accepts LF endings, blank lines and a missing final newline', () => {
    const sdp = parseSdp('v=0\n\no=- 1 1 IN IP4 0.0.0.0\ns=-\r\nt=0 0');
    expect(sdp.sessionName).toBe('-');
    expect(sdp.timing).toHaveLength(1);
    expect(serializeSdp(sdp)).toBe('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n');
  });

  it('accepts a description without t= (some endpoints omit it) and writes none back', () => {
    const sdp = parseSdp('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n');
    expect(sdp.timing).toEqual([]);
    expect(serializeSdp(sdp)).toBe('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n');
  });
});

describe('parseSdp rejects malformed descriptions with SdpParseError', () => {
  const HEAD = ['v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0'];
  const cases: [string, string, number][] = [
    ['empty text', '', 0],
    ['only blank lines', '\r\n\r\n', 0],
    ['not starting with v=', 'o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n', 1],
    ['version other than 0', 'v=1\r\n', 1],
    ['missing o=', 'v=0\r\ns=-\r\n', 0],
    ['missing s=', 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n', 0],
    ['o= with five fields', 'v=0\r\no=- 1 IN IP4 0.0.0.0\r\n', 2],
    ['o= with a non-numeric id', 'v=0\r\no=- x 1 IN IP4 0.0.0.0\r\n', 2],
    ['duplicate o=', crlf([...HEAD, 'o=- 1 1 IN IP4 0.0.0.0']), 5],
    ['a second v=', crlf([...HEAD, 'v=0']), 5],
    ['t= inside a media section', crlf([...HEAD, 'm=audio 9 RTP/AVP 0', 't=0 0']), 6],
    ['r= without t=', 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nr=1 2 3\r\n', 4],
    ['m= without protocol', crlf([...HEAD, 'm=audio 9']), 5],
    ['m= with a bad port', crlf([...HEAD, 'm=audio 65536 RTP/AVP 0']), 5],
    ['c= with two fields', crlf([...HEAD, 'c=IN IP4']), 5],
    ['b= without a colon', crlf([...HEAD, 'b=AS']), 5],
    ['b= with a non-numeric value', crlf([...HEAD, 'b=AS:lots']), 5],
    ['an upper-case type letter', crlf([...HEAD, 'A=foo']), 5],
    ['a line without "="', crlf([...HEAD, 'hello']), 5],
    ['an empty attribute name', crlf([...HEAD, 'a=']), 5],
    ['an attribute name starting with a colon', crlf([...HEAD, 'a=:x']), 5],
    ['a NUL byte in a value', crlf([...HEAD, 'a=x-\0']), 5],
    ['a lone CR inside a line', crlf([...HEAD, 'a=x-\ry']), 5],
    ['a malformed typed attribute', crlf([...HEAD, 'm=audio 9 RTP/AVP 0', 'a=rtpmap:0 PCMU']), 6],
  ];
  for (const [name, text, line] of cases) {
    it(name, () => {
      let caught: unknown;
      try {
        parseSdp(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SdpParseError);
      expect((caught as SdpParseError).name).toBe('SyntaxError');
      expect((caught as SdpParseError).lineNumber).toBe(line);
    });
  }
});
