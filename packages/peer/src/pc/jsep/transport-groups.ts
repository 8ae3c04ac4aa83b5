import type { SessionDescription } from '../../sdp/model.js';
import { getBundleGroups, getMid, isRejected } from '../../sdp/query.js';
import type { RTCBundlePolicy } from '../configuration.js';
import type { MLine } from './m-line.js';

/**
 * A set of m-sections sharing one ICE + DTLS transport, in description order. The first mid is
 * the section whose transport parameters the group uses (RFC 9143 7.2.1 offerer-tagged, 7.3.1
 * answerer-tagged).
 */
export type TransportGroup = readonly string[];

/**
 * RFC 9429 4.1.1 / 5.2.1, the transports of our offer while BUNDLE is not negotiated yet:
 * max-bundle one for everything; balanced one per media type (audio, video, application), the
 * first section of each type carrying it; max-compat one per section.
 */
export function offerTransportGroups(policy: RTCBundlePolicy, lines: readonly MLine[]): TransportGroup[] {
  const live = lines.filter((l) => !l.rejected && !(l.transceiver?.stopped ?? false));
  if (live.length === 0) return [];
  if (policy === 'max-bundle') return [live.map((l) => l.mid)];
  if (policy === 'max-compat') return live.map((l) => [l.mid]);
  const byKind = new Map<string, string[]>();
  for (const l of live) {
    const kind = l.data ? 'application' : l.kind;
    const group = byKind.get(kind) ?? [];
    group.push(l.mid);
    byKind.set(kind, group);
  }
  return [...byKind.values()];
}

/**
 * The groups a description negotiates: each BUNDLE group (RFC 9143) restricted to its live
 * sections, then every live section outside a group on a transport of its own. Used for a remote
 * offer we answer (its groups are what we may accept) and for the answer that ends negotiation.
 */
export function describedTransportGroups(description: SessionDescription): TransportGroup[] {
  const live: string[] = [];
  description.media.forEach((m, index) => {
    if (!isRejected(m)) live.push(getMid(m) ?? String(index));
  });
  const groups: string[][] = [];
  const grouped = new Set<string>();
  for (const bundle of getBundleGroups(description)) {
    const members = bundle.filter((mid) => live.includes(mid) && !grouped.has(mid));
    if (members.length === 0) continue;
    for (const mid of members) grouped.add(mid);
    groups.push(members);
  }
  for (const mid of live) if (!grouped.has(mid)) groups.push([mid]);
  const position = (g: TransportGroup) => Math.min(...g.map((mid) => live.indexOf(mid)));
  return groups.sort((a, b) => position(a) - position(b));
}
