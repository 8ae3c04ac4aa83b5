import type { IceCredentials } from '@purertc/ice';
import type { SessionDescription } from '../sdp/model.js';
import { getBundleGroups, getIceParameters, getMid } from '../sdp/query.js';
import type { RTCBundlePolicy } from './configuration.js';
import type { LocalTransportParameters, MLine } from './jsep/m-line.js';
import { readGroupTransport } from './jsep/read-remote.js';
import {
  describedTransportGroups,
  offerTransportGroups,
  type TransportGroup,
} from './jsep/transport-groups.js';
import type { TransportSlot, TransportWiring } from './transport-wiring.js';

/** What the last completed negotiation decided about transports. */
export interface NegotiatedTransports {
  readonly groups: readonly TransportGroup[];
  /** The answer had a BUNDLE group (RFC 9143): new sections join it. */
  readonly bundled: boolean;
}

/**
 * The transport groups of an offer we make: RFC 9429 5.2.1 (initial offer) by bundle policy;
 * RFC 9429 5.2.2 (subsequent offers) the negotiated groups, sections added since joining the
 * first group when BUNDLE was accepted (or policy max-bundle), else grouped by policy.
 */
export function offerGroups(
  policy: RTCBundlePolicy,
  lines: readonly MLine[],
  negotiated: NegotiatedTransports | undefined,
): TransportGroup[] {
  if (!negotiated) return offerTransportGroups(policy, lines);
  const live = lines.filter((l) => !l.rejected && !(l.transceiver?.stopped ?? false));
  const liveMids = live.map((l) => l.mid);
  const groups = negotiated.groups
    .map((g) => g.filter((mid) => liveMids.includes(mid)))
    .filter((g) => g.length > 0);
  const known = new Set(groups.flat());
  const added = live.filter((l) => !known.has(l.mid));
  if (added.length === 0) return groups;
  if ((negotiated.bundled || policy === 'max-bundle') && groups[0]) {
    return [[...groups[0], ...added.map((l) => l.mid)], ...groups.slice(1)];
  }
  return [...groups, ...offerTransportGroups(policy, added)];
}

/** The negotiated transports once `answer` (ours or the remote's) is applied. */
export function negotiatedTransports(answer: SessionDescription): NegotiatedTransports {
  return { groups: describedTransportGroups(answer), bundled: getBundleGroups(answer).length > 0 };
}

/** Each group's remote ICE parameters and candidates to the transport carrying it. */
export function applyRemoteTransports(
  transports: TransportWiring,
  remote: SessionDescription,
  groups: readonly TransportGroup[],
): void {
  for (const group of groups) {
    const info = readGroupTransport(remote, group);
    if (info) transports.applyRemote(info, group);
  }
}

/**
 * Both descriptions are known: on each transport, DTLS with our role from a=setup (RFC 8842 5.3:
 * we are active when we answered active, or the remote answered passive), SCTP where the data
 * section lives and was accepted.
 */
export function startSecureTransports(
  transports: TransportWiring,
  answer: SessionDescription,
  answerSide: 'local' | 'remote',
  remote: SessionDescription,
  lines: readonly MLine[],
): void {
  const dataLine = lines.find((l) => l.data);
  const dataIndex = dataLine ? lines.indexOf(dataLine) : -1;
  const dataAccepted = dataIndex >= 0 && (answer.media[dataIndex]?.port ?? 0) !== 0;
  for (const slot of transports.slots) {
    const info = readGroupTransport(remote, slot.mids);
    if (!info) continue;
    const ourSetup =
      answerSide === 'local'
        ? readGroupTransport(answer, slot.mids)?.setup
        : info.setup === 'active'
          ? 'passive'
          : 'active';
    const role = ourSetup === 'active' ? 'client' : 'server';
    const carriesData = dataLine !== undefined && slot.mids.includes(dataLine.mid);
    transports.startSecureTransport(slot, role, info, dataAccepted && carriesData);
  }
}

/** The ICE credentials our description carries in the tagged section of `slot`. */
export function appliedUfrag(description: SessionDescription, slot: TransportSlot): string | undefined {
  const tagged = description.media.find((m, i) => (getMid(m) ?? String(i)) === slot.mids[0]);
  return tagged ? getIceParameters(tagged, description).ufrag : undefined;
}

/** Our transport parameters section by section (RFC 9429 5.2.1: unique per transport). */
export function localParameters(
  transports: TransportWiring,
  fingerprints: { algorithm: string; value: string }[],
  credentialsFor: (slot: TransportSlot) => IceCredentials,
): (mid: string) => LocalTransportParameters {
  return (mid) => {
    const slot = transports.slotFor(mid)!;
    const creds = credentialsFor(slot);
    return { ufrag: creds.ufrag, pwd: creds.pwd, fingerprints };
  };
}
