import { invalidAccessError } from '../errors.js';
import type { SdpAttributeType, SdpMediaSection, SessionDescription } from './model.js';
import {
  getAttribute,
  getAttributes,
  getBundleGroups,
  getFingerprints,
  getIceParameters,
  getMid,
  getSetupRole,
  isDataSection,
  isRejected,
} from './query.js';

export interface VerifyDescriptionOptions {
  type: 'offer' | 'pranswer' | 'answer';
  /** W3C RTCRtcpMuxPolicy; only "require" exists today and is the default. */
  rtcpMuxPolicy?: 'require' | 'negotiate';
  /** For an answer or pranswer: the offer it answers (RFC 9429 5.8.3 compares the two). */
  offer?: SessionDescription;
}

/** RFC 8839 5.4: ice-char = ALPHA / DIGIT / "+" / "/". */
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

/** Attributes RFC 9429 5.8.2 allows at most once per m= section ("if present, a single ..."). */
const SINGLE_PER_SECTION: SdpAttributeType[] = [
  'ice-ufrag',
  'ice-pwd',
  'ice-options',
  'end-of-candidates',
  'setup',
  'mid',
  'direction',
  'rtcp-mux',
  'rtcp-rsize',
  'rtcp',
  'simulcast',
  'sctp-port',
  'max-message-size',
];

/** RFC 9429 5.8.1: at most once at session level. */
const SINGLE_PER_SESSION: SdpAttributeType[] = ['ice-lite', 'ice-ufrag', 'ice-pwd', 'ice-options', 'setup'];

function isRtpSection(m: SdpMediaSection): boolean {
  return m.protocol.toUpperCase().includes('RTP/');
}

/** The section whose transport a bundled section uses: the first mid of its BUNDLE group (RFC 9143 7). */
function bundleTagged(sdp: SessionDescription, m: SdpMediaSection): SdpMediaSection | undefined {
  const mid = getMid(m);
  if (mid === undefined) return undefined;
  const group = getBundleGroups(sdp).find((mids) => mids.includes(mid));
  const tag = group?.[0];
  return tag === undefined ? undefined : sdp.media.find((s) => getMid(s) === tag);
}

/**
 * RFC 9429 5.8 checks on a parsed description, beyond syntax: what a WebRTC endpoint needs and
 * what it must refuse. Returns every problem found (empty when the description is acceptable).
 */
export function findDescriptionProblems(
  sdp: SessionDescription,
  options: VerifyDescriptionOptions,
): string[] {
  const problems: string[] = [];
  for (const type of SINGLE_PER_SESSION) {
    if (getAttributes(sdp, type).length > 1) problems.push(`session has more than one a=${type}`);
  }
  const mids = new Set<string>();
  sdp.media.forEach((m, index) => {
    const where = `m-section ${index}`;
    for (const type of SINGLE_PER_SECTION) {
      if (getAttributes(m, type).length > 1) problems.push(`${where} has more than one a=${type}`);
    }
    const mid = getMid(m);
    if (mid !== undefined) {
      // RFC 5888 4: identification-tags are unique within a session.
      if (mids.has(mid)) problems.push(`${where} repeats mid ${mid}`);
      mids.add(mid);
    }
    if (isRejected(m)) return;
    // RFC 9429 5.8.3: transport values may come from the media level, the session level, or
    // (RFC 9143 7) the BUNDLE-tagged section.
    const tagged = bundleTagged(sdp, m);
    const ice = getIceParameters(m, sdp);
    const taggedIce = tagged === undefined ? undefined : getIceParameters(tagged, sdp);
    const ufrag = ice.ufrag ?? taggedIce?.ufrag;
    const pwd = ice.pwd ?? taggedIce?.pwd;
    // RFC 8839 5.4: ufrag 4-256 and password 22-256 ice-chars.
    if (ufrag === undefined) problems.push(`${where} has no a=ice-ufrag`);
    else if (ufrag.length < 4 || ufrag.length > 256 || !ICE_CHARS.test(ufrag)) {
      problems.push(`${where} has an invalid ice-ufrag`);
    }
    if (pwd === undefined) problems.push(`${where} has no a=ice-pwd`);
    else if (pwd.length < 22 || pwd.length > 256 || !ICE_CHARS.test(pwd)) {
      problems.push(`${where} has an invalid ice-pwd`);
    }
    const fingerprints = getFingerprints(m, sdp);
    if (fingerprints.length === 0 && (tagged === undefined || getFingerprints(tagged, sdp).length === 0)) {
      problems.push(`${where} has no a=fingerprint`);
    }
    const setup = getSetupRole(m, sdp) ?? (tagged && getSetupRole(tagged, sdp));
    // RFC 8842 5.3: an answerer picks a role; actpass is for offers only.
    if (options.type !== 'offer' && setup === 'actpass')
      problems.push(`${where} answers with a=setup:actpass`);
    if (isRtpSection(m)) {
      // RFC 9429 5.8.2: an RTP section's formats are payload types (RFC 3550 5.1: 0-127).
      for (const format of m.formats) {
        if (!/^[0-9]{1,3}$/.test(format) || Number(format) > 127) {
          problems.push(`${where} lists ${format}, which is not an RTP payload type`);
        }
      }
      const muxed = getAttribute(m, 'rtcp-mux') !== undefined;
      if ((options.rtcpMuxPolicy ?? 'require') === 'require' && !muxed) {
        problems.push(`${where} lacks a=rtcp-mux, which rtcpMuxPolicy "require" needs`);
      }
      // RFC 8858 4: rtcp-mux-only comes with rtcp-mux.
      if (!muxed && m.attributes.some((a) => a.type === 'generic' && a.key === 'rtcp-mux-only')) {
        problems.push(`${where} has a=rtcp-mux-only without a=rtcp-mux`);
      }
      // RFC 9429 5.8.3 / RFC 8853 5.1: every rid in a=simulcast has an a=rid line.
      const simulcast = getAttribute(m, 'simulcast');
      if (simulcast !== undefined) {
        const rids = new Set(getAttributes(m, 'rid').map((r) => r.id));
        for (const alt of [...(simulcast.send ?? []), ...(simulcast.recv ?? [])].flat()) {
          if (!rids.has(alt.rid)) problems.push(`${where} a=simulcast names rid ${alt.rid} with no a=rid`);
        }
      }
    } else if (isDataSection(m)) {
      // RFC 9429 5.8.2: a=sctp-port must be present (legacy a=sctpmap carries the port instead).
      if (getAttribute(m, 'sctp-port') === undefined && getAttribute(m, 'sctpmap') === undefined) {
        problems.push(`${where} has no a=sctp-port`);
      }
    }
  });
  // RFC 9143 7.1 (via RFC 5888 5): a group names only mids that exist.
  for (const group of getAttributes(sdp, 'group')) {
    for (const mid of group.mids) {
      if (!mids.has(mid)) problems.push(`a=group:${group.semantics} names unknown mid ${mid}`);
    }
  }
  // RFC 9143 6: a section is in at most one BUNDLE group (and named once in it).
  const bundled = new Set<string>();
  for (const group of getBundleGroups(sdp)) {
    for (const mid of group) {
      if (bundled.has(mid)) problems.push(`mid ${mid} is in more than one BUNDLE group or named twice`);
      bundled.add(mid);
    }
  }
  if (options.type !== 'offer' && options.offer !== undefined) {
    const offered = options.offer.media;
    // RFC 3264 6 / RFC 9429 5.8.3: one answer section per offered section, same media and proto.
    if (offered.length !== sdp.media.length) {
      problems.push(`answer has ${sdp.media.length} m-sections, the offer ${offered.length}`);
    } else {
      sdp.media.forEach((m, index) => {
        const o = offered[index]!;
        if (m.kind !== o.kind || m.protocol !== o.protocol) {
          problems.push(`m-section ${index} is ${m.kind} ${m.protocol}, the offer's ${o.kind} ${o.protocol}`);
        }
      });
    }
  }
  return problems;
}

/**
 * Throws an InvalidAccessError naming the first problem, which is what W3C webrtc-pc 4.4.1.5 asks
 * for content that parses but is invalid.
 */
export function verifyDescription(sdp: SessionDescription, options: VerifyDescriptionOptions): void {
  const problems = findDescriptionProblems(sdp, options);
  if (problems.length > 0) throw invalidAccessError(`Invalid session description: ${problems.join('; ')}`);
}
