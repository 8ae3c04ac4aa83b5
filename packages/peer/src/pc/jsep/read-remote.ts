import { invalidAccessError } from '../../errors.js';
import { formatCandidateValue } from '../../sdp/candidate.js';
import type { DtlsSetupRole, SessionDescription } from '../../sdp/model.js';
import {
  getAttribute,
  getAttributes,
  getFingerprints,
  getIceParameters,
  getMid,
  getSetupRole,
  isDataSection,
  isRejected,
} from '../../sdp/query.js';
import type { TransportGroup } from './transport-groups.js';

/** What a remote description says about the bundle transport. */
export interface RemoteTransportInfo {
  ufrag: string;
  pwd: string;
  iceLite: boolean;
  fingerprints: { algorithm: string; value: string }[];
  setup: DtlsSetupRole;
  /** `candidate:...` strings, as the ICE agent takes them. */
  candidates: string[];
  endOfCandidates: boolean;
  /** RFC 8841 5 / 6: present when there is a live data section. */
  sctp?: { port: number; maxMessageSize: number };
}

/**
 * Checks what JSEP needs from a remote description (RFC 9429 5.8, RFC 8839, RFC 8842) and reads
 * the transport of the first live section, the bundle's tagged one (RFC 9143). Throws
 * InvalidAccessError for SDP that parses but cannot be used.
 */
export function readRemoteTransport(
  desc: SessionDescription,
  type: 'offer' | 'answer' | 'pranswer',
): RemoteTransportInfo | undefined {
  if (desc.media.length === 0) throw invalidAccessError('the description has no m= sections');
  const live = desc.media.filter((m) => !isRejected(m));
  for (const m of live) {
    const ice = getIceParameters(m, desc);
    if (!ice.ufrag || !ice.pwd) throw invalidAccessError('an m= section lacks ice-ufrag or ice-pwd');
    if (getFingerprints(m, desc).length === 0) throw invalidAccessError('an m= section lacks a=fingerprint');
    const rtp = !isDataSection(m);
    // rtcpMuxPolicy "require" (W3C 4.2.5): a section without rtcp-mux cannot be used.
    if (rtp && m.protocol.toUpperCase().includes('RTP') && !getAttribute(m, 'rtcp-mux')) {
      throw invalidAccessError('rtcpMuxPolicy is require but an m= section lacks a=rtcp-mux');
    }
    const setup = getSetupRole(m, desc);
    if (type !== 'offer' && setup === 'actpass')
      throw invalidAccessError('an answer may not use a=setup:actpass');
  }
  // Everything as one transport: the first live section's parameters, every section's candidates.
  return readGroupTransport(
    desc,
    live.map((m) => getMid(m) ?? String(desc.media.indexOf(m))),
  );
}

/** What a remote description says about one transport group's transport (RFC 9143 7.2.1/7.3.1). */
export interface RemoteGroupTransport extends RemoteTransportInfo {
  readonly mids: TransportGroup;
}

/**
 * The transport of a group of sections: ICE and DTLS parameters of its tagged (first) section,
 * the candidates of all its sections, SCTP when it holds the data section. Undefined when none
 * of the mids names a live section. Call readRemoteTransport first: it validates.
 */
export function readGroupTransport(
  desc: SessionDescription,
  mids: TransportGroup,
): RemoteGroupTransport | undefined {
  const members = desc.media.filter(
    (m, index) => !isRejected(m) && mids.includes(getMid(m) ?? String(index)),
  );
  const tagged = members[0];
  if (!tagged) return undefined;
  const ice = getIceParameters(tagged, desc);
  const candidates: string[] = [];
  let endOfCandidates = false;
  for (const m of members) {
    for (const c of getAttributes(m, 'candidate'))
      candidates.push(`candidate:${formatCandidateValue(c.candidate)}`);
    if (getAttribute(m, 'end-of-candidates')) endOfCandidates = true;
  }
  const info: RemoteGroupTransport = {
    mids,
    ufrag: ice.ufrag!,
    pwd: ice.pwd!,
    iceLite: ice.lite,
    fingerprints: getFingerprints(tagged, desc),
    // RFC 4145 4: no a=setup means active.
    setup: getSetupRole(tagged, desc) ?? 'active',
    candidates,
    endOfCandidates,
  };
  const data = members.find(isDataSection);
  if (data) {
    const port = getAttribute(data, 'sctp-port')?.port ?? getAttribute(data, 'sctpmap')?.port ?? 5000;
    // RFC 8841 6.1: without the attribute the peer accepts 64 KiB; 0 means no limit.
    const size = getAttribute(data, 'max-message-size')?.size ?? 65536;
    info.sctp = { port, maxMessageSize: size === 0 ? 0x7fffffff : size };
  }
  return info;
}
