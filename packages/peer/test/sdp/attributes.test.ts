import { describe, expect, it } from 'vitest';
import {
  bytesToFingerprint,
  fingerprintToBytes,
  formatAttribute,
  parseAttribute,
  type SdpAttribute,
  SdpParseError,
} from '../../src/index.js';

/** Parses `a=` text, checks the typed value and that it formats back to the same text. */
function roundTrip(text: string, expected: SdpAttribute): void {
  const parsed = parseAttribute(text);
  expect(parsed).toEqual(expected);
  expect(formatAttribute(parsed)).toBe(text);
}

function rejects(text: string): void {
  expect(() => parseAttribute(text)).toThrow(SdpParseError);
}

describe('session-level attributes', () => {
  it('group:BUNDLE (RFC 9143 7.1)', () => {
    roundTrip('group:BUNDLE foo bar', { type: 'group', semantics: 'BUNDLE', mids: ['foo', 'bar'] });
    roundTrip('group:BUNDLE', { type: 'group', semantics: 'BUNDLE', mids: [] });
    rejects('group:');
  });

  it('msid-semantic keeps the space Chrome writes after the colon', () => {
    roundTrip('msid-semantic: WMS a b', { type: 'msid-semantic', semantics: 'WMS', ids: ['a', 'b'] });
    expect(parseAttribute('msid-semantic:WMS')).toEqual({ type: 'msid-semantic', semantics: 'WMS', ids: [] });
    rejects('msid-semantic: ');
  });

  it('flags become typed only without a value', () => {
    for (const flag of [
      'extmap-allow-mixed',
      'ice-lite',
      'end-of-candidates',
      'rtcp-mux',
      'rtcp-rsize',
    ] as const) {
      roundTrip(flag, { type: flag });
    }
    roundTrip('rtcp-mux:x', { type: 'generic', key: 'rtcp-mux', value: 'x' });
  });
});

describe('ICE attributes (RFC 8839 5)', () => {
  it('ice-ufrag, ice-pwd, ice-options', () => {
    roundTrip('ice-ufrag:8hhY', { type: 'ice-ufrag', value: '8hhY' });
    roundTrip('ice-pwd:asd88fgpdd777uzjYhagZg', { type: 'ice-pwd', value: 'asd88fgpdd777uzjYhagZg' });
    roundTrip('ice-options:trickle ice2', { type: 'ice-options', options: ['trickle', 'ice2'] });
    rejects('ice-ufrag:');
    rejects('ice-ufrag:a b');
    rejects('ice-options:');
  });

  it('candidate', () => {
    roundTrip('candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host', {
      type: 'candidate',
      candidate: {
        foundation: '1',
        component: 1,
        transport: 'UDP',
        priority: 2130706431,
        address: '10.0.1.1',
        port: 8998,
        type: 'host',
        extensions: [],
      },
    });
    rejects('candidate:1 1 UDP 2130706431 10.0.1.1 8998 host');
  });
});

describe('DTLS attributes', () => {
  it('fingerprint (RFC 8122 5 example)', () => {
    const value = '4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB';
    roundTrip(`fingerprint:SHA-1 ${value}`, { type: 'fingerprint', algorithm: 'SHA-1', value });
    const bytes = fingerprintToBytes(value);
    expect(bytes.toString('hex')).toBe('4aadb9b13f82183b540212df3e5d496b19e57cab');
    expect(bytesToFingerprint(bytes)).toBe(value);
    expect(fingerprintToBytes('0a:bc')).toEqual(Buffer.from([0x0a, 0xbc]));
    rejects('fingerprint:sha-256');
    rejects('fingerprint:sha-256 4A:A');
    rejects('fingerprint:sha-256 4A:ZZ');
    rejects('fingerprint:sha-256 4AAD');
    expect(() => fingerprintToBytes('nothex')).toThrow(SdpParseError);
  });

  it('setup (RFC 4145 4)', () => {
    for (const role of ['actpass', 'active', 'passive', 'holdconn'] as const) {
      roundTrip(`setup:${role}`, { type: 'setup', role });
    }
    rejects('setup:both');
    rejects('setup:');
  });
});

describe('media attributes', () => {
  it('mid and direction', () => {
    roundTrip('mid:audio', { type: 'mid', value: 'audio' });
    for (const d of ['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const) {
      roundTrip(d, { type: 'direction', direction: d });
    }
  });

  it('rtcp (RFC 3605 2.1 example)', () => {
    roundTrip('rtcp:53020 IN IP4 126.16.64.4', {
      type: 'rtcp',
      port: 53020,
      netType: 'IN',
      addrType: 'IP4',
      address: '126.16.64.4',
    });
    roundTrip('rtcp:53020', { type: 'rtcp', port: 53020 });
    rejects('rtcp:53020 IN IP4');
    rejects('rtcp:70000');
  });

  it('rtpmap (RFC 8866 6.6)', () => {
    roundTrip('rtpmap:99 h263-1998/90000', {
      type: 'rtpmap',
      payloadType: 99,
      encodingName: 'h263-1998',
      clockRate: 90000,
    });
    roundTrip('rtpmap:111 opus/48000/2', {
      type: 'rtpmap',
      payloadType: 111,
      encodingName: 'opus',
      clockRate: 48000,
      channels: 2,
    });
    rejects('rtpmap:128 opus/48000');
    rejects('rtpmap:96 opus');
    rejects('rtpmap:96 opus/x');
    rejects('rtpmap:96 opus/48000/2/1');
    rejects('rtpmap:96');
  });

  it('fmtp keeps the codec-specific text; a non-RTP format stays generic', () => {
    roundTrip('fmtp:111 minptime=10;useinbandfec=1', {
      type: 'fmtp',
      payloadType: 111,
      parameters: 'minptime=10;useinbandfec=1',
    });
    roundTrip('fmtp:63 111/111', { type: 'fmtp', payloadType: 63, parameters: '111/111' });
    roundTrip('fmtp:webrtc-datachannel max-message-size=100000', {
      type: 'generic',
      key: 'fmtp',
      value: 'webrtc-datachannel max-message-size=100000',
    });
    rejects('fmtp:200 x=1');
  });

  it('rtcp-fb (RFC 4585 4.2, RFC 5104 7.1)', () => {
    roundTrip('rtcp-fb:98 nack rpsi', {
      type: 'rtcp-fb',
      payloadType: 98,
      feedbackType: 'nack',
      parameter: 'rpsi',
    });
    roundTrip('rtcp-fb:* nack', { type: 'rtcp-fb', payloadType: '*', feedbackType: 'nack' });
    roundTrip('rtcp-fb:98 ccm tmmbr smaxpr=120', {
      type: 'rtcp-fb',
      payloadType: 98,
      feedbackType: 'ccm',
      parameter: 'tmmbr smaxpr=120',
    });
    rejects('rtcp-fb:98');
    rejects('rtcp-fb:x nack');
  });

  it('extmap with direction and attributes (RFC 8285 7 examples)', () => {
    roundTrip('extmap:1 http://example.com/082005/ext.htm#ttime', {
      type: 'extmap',
      id: 1,
      uri: 'http://example.com/082005/ext.htm#ttime',
    });
    roundTrip('extmap:2/sendrecv http://example.com/082005/ext.htm#xmeta short', {
      type: 'extmap',
      id: 2,
      direction: 'sendrecv',
      uri: 'http://example.com/082005/ext.htm#xmeta',
      attributes: 'short',
    });
    rejects('extmap:0 urn:x');
    rejects('extmap:256 urn:x');
    rejects('extmap:1/both urn:x');
    rejects('extmap:1');
  });

  it('msid (RFC 8830 2)', () => {
    roundTrip('msid:stream track', { type: 'msid', streamId: 'stream', trackId: 'track' });
    roundTrip('msid:-', { type: 'msid', streamId: '-' });
    rejects('msid:a b c');
  });

  it('ssrc and ssrc-group (RFC 5576 4)', () => {
    roundTrip('ssrc:314159 cname:user@example.com', {
      type: 'ssrc',
      ssrc: 314159,
      attribute: 'cname',
      value: 'user@example.com',
    });
    roundTrip('ssrc:4294967295 msid:a b', {
      type: 'ssrc',
      ssrc: 4294967295,
      attribute: 'msid',
      value: 'a b',
    });
    roundTrip('ssrc:1 foo', { type: 'ssrc', ssrc: 1, attribute: 'foo' });
    roundTrip('ssrc-group:FID 1 2', { type: 'ssrc-group', semantics: 'FID', ssrcs: [1, 2] });
    roundTrip('ssrc-group:SIM 1 2 3', { type: 'ssrc-group', semantics: 'SIM', ssrcs: [1, 2, 3] });
    rejects('ssrc:4294967296 cname:x');
    rejects('ssrc:1');
    rejects('ssrc-group:FID');
    rejects('ssrc-group:FID x');
  });

  it('rid with payload types and restrictions (RFC 8851 10)', () => {
    roundTrip('rid:1 send pt=97;max-width=1280;max-height=720', {
      type: 'rid',
      id: '1',
      direction: 'send',
      payloadTypes: [97],
      params: [
        { name: 'max-width', value: '1280' },
        { name: 'max-height', value: '720' },
      ],
    });
    roundTrip('rid:hi recv pt=96,98', {
      type: 'rid',
      id: 'hi',
      direction: 'recv',
      payloadTypes: [96, 98],
      params: [],
    });
    roundTrip('rid:f send', { type: 'rid', id: 'f', direction: 'send', params: [] });
    roundTrip('rid:q send max-fps=15;depend=f', {
      type: 'rid',
      id: 'q',
      direction: 'send',
      params: [
        { name: 'max-fps', value: '15' },
        { name: 'depend', value: 'f' },
      ],
    });
    rejects('rid:f both');
    rejects('rid:f send max-fps=15;pt=96');
    rejects('rid:f send pt=');
    rejects('rid:f send pt=x');
    rejects('rid:a.b send');
    rejects('rid:f send a;;b');
  });

  it('simulcast with alternatives and paused streams (RFC 8853 5.1)', () => {
    roundTrip('simulcast:send 1;2,3 recv 4', {
      type: 'simulcast',
      send: [
        [{ rid: '1', paused: false }],
        [
          { rid: '2', paused: false },
          { rid: '3', paused: false },
        ],
      ],
      recv: [[{ rid: '4', paused: false }]],
    });
    roundTrip('simulcast:recv f;~h;q', {
      type: 'simulcast',
      recv: [[{ rid: 'f', paused: false }], [{ rid: 'h', paused: true }], [{ rid: 'q', paused: false }]],
    });
    // Written send-first, equal model either way.
    expect(formatAttribute(parseAttribute('simulcast:recv 4 send 1'))).toBe('simulcast:send 1 recv 4');
    rejects('simulcast:send');
    rejects('simulcast:send 1 send 2');
    rejects('simulcast:both 1');
    rejects('simulcast:send 1;;2');
  });

  it('sctp-port, max-message-size (RFC 8841) and legacy sctpmap', () => {
    roundTrip('sctp-port:5000', { type: 'sctp-port', port: 5000 });
    roundTrip('max-message-size:262144', { type: 'max-message-size', size: 262144 });
    roundTrip('max-message-size:0', { type: 'max-message-size', size: 0 });
    roundTrip('sctpmap:5000 webrtc-datachannel 1024', {
      type: 'sctpmap',
      port: 5000,
      protocol: 'webrtc-datachannel',
      streams: 1024,
    });
    roundTrip('sctpmap:5000 webrtc-datachannel', {
      type: 'sctpmap',
      port: 5000,
      protocol: 'webrtc-datachannel',
    });
    rejects('sctp-port:65536');
    rejects('sctp-port:-1');
    rejects('max-message-size:big');
  });

  it('anything else stays generic, with or without a value', () => {
    roundTrip('rtcp-xr:rcvr-rtt=all', { type: 'generic', key: 'rtcp-xr', value: 'rcvr-rtt=all' });
    roundTrip('bundle-only', { type: 'generic', key: 'bundle-only' });
    roundTrip('x-empty:', { type: 'generic', key: 'x-empty', value: '' });
  });
});

describe('SdpParseError', () => {
  it('is a DOMException named SyntaxError carrying the reason', () => {
    try {
      parseAttribute('setup:sideways');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SdpParseError);
      expect(error).toBeInstanceOf(DOMException);
      expect(error).toBeInstanceOf(Error);
      const e = error as SdpParseError;
      expect(e.name).toBe('SyntaxError');
      expect(e.code).toBe(DOMException.SYNTAX_ERR);
      expect(e.reason).toContain('sideways');
    }
  });
});
