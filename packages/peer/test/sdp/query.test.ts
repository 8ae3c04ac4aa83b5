import { describe, expect, it } from 'vitest';
import {
  getBundleGroups,
  getDirection,
  getFingerprints,
  getGenericAttribute,
  getIceParameters,
  getMid,
  getSetupRole,
  isDataSection,
  isRejected,
  parseSdp,
} from '../../src/index.js';

const SDP = parseSdp(
  [
    'v=0',
    'o=- 1 1 IN IP4 0.0.0.0',
    's=-',
    't=0 0',
    'a=group:BUNDLE a b',
    'a=group:LS a b',
    'a=ice-lite',
    'a=ice-ufrag:sessU',
    'a=ice-pwd:sessionpasswordsessionpw',
    'a=fingerprint:sha-256 AA:BB',
    'a=setup:passive',
    'a=recvonly',
    'm=audio 9 UDP/TLS/RTP/SAVPF 0',
    'a=mid:a',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:b',
    'a=ice-ufrag:medU',
    'a=ice-pwd:mediapasswordmediapasswo',
    'a=ice-options:trickle',
    'a=fingerprint:sha-1 01:02',
    'a=fingerprint:sha-256 03:04',
    'a=setup:active',
    'a=inactive',
    'm=application 0 UDP/DTLS/SCTP webrtc-datachannel',
    'a=mid:c',
    'a=bundle-only',
    'm=audio 0 UDP/TLS/RTP/SAVPF 0',
    '',
  ].join('\r\n'),
);
const [a, b, c, d] = SDP.media as [
  (typeof SDP.media)[0],
  (typeof SDP.media)[0],
  (typeof SDP.media)[0],
  (typeof SDP.media)[0],
];

describe('SDP queries with session-level fallbacks', () => {
  it('reads mids and BUNDLE groups (RFC 9143 7.1)', () => {
    expect(SDP.media.map(getMid)).toEqual(['a', 'b', 'c', undefined]);
    expect(getBundleGroups(SDP)).toEqual([['a', 'b']]);
  });

  it('takes ICE credentials from the media level first (RFC 8839 5.4)', () => {
    expect(getIceParameters(a, SDP)).toEqual({
      ufrag: 'sessU',
      pwd: 'sessionpasswordsessionpw',
      options: [],
      lite: true,
    });
    expect(getIceParameters(b, SDP)).toEqual({
      ufrag: 'medU',
      pwd: 'mediapasswordmediapasswo',
      options: ['trickle'],
      lite: true,
    });
    expect(getIceParameters(b).lite).toBe(false);
  });

  it('takes fingerprints and setup from the media level first (RFC 8122 5)', () => {
    expect(getFingerprints(a, SDP)).toEqual([{ algorithm: 'sha-256', value: 'AA:BB' }]);
    expect(getFingerprints(b, SDP)).toEqual([
      { algorithm: 'sha-1', value: '01:02' },
      { algorithm: 'sha-256', value: '03:04' },
    ]);
    expect(getSetupRole(a, SDP)).toBe('passive');
    expect(getSetupRole(b, SDP)).toBe('active');
    expect(getSetupRole(a)).toBeUndefined();
  });

  it('defaults direction to the session level, then sendrecv (RFC 3264 5.1)', () => {
    expect(getDirection(a, SDP)).toBe('recvonly');
    expect(getDirection(b, SDP)).toBe('inactive');
    expect(getDirection(a)).toBe('sendrecv');
  });

  it('tells rejected from bundle-only sections (RFC 9143 6)', () => {
    expect(getGenericAttribute(c, 'bundle-only')).toEqual({ type: 'generic', key: 'bundle-only' });
    expect(SDP.media.map(isRejected)).toEqual([false, false, false, true]);
    expect(SDP.media.map(isDataSection)).toEqual([false, false, true, false]);
    expect(d.port).toBe(0);
  });
});
