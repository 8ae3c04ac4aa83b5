import { randomBytes } from 'node:crypto';
import type { LocalCandidate } from '@purertc/ice';
import type { SdpCandidate, SessionDescription } from '../sdp/model.js';
import { getMid } from '../sdp/query.js';

/** The first a=ice-ufrag of a description's text. */
export function ufragOf(sdp: string): string | undefined {
  return /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];
}

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** RFC 8839 5.4: ice-char strings; 24 bits of randomness for the ufrag, 128 for the password. */
export function randomIce(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ICE_CHARS[b & 63];
  return out;
}

/** Keeps remoteDescription's text in step with trickled candidates (W3C 4.4.1.? addIceCandidate). */
export function appendCandidate(sdp: string, candidate: string, mid: string | null): string {
  const line = `a=${candidate.startsWith('a=') ? candidate.slice(2) : candidate}\r\n`;
  const sections = sdp.split(/(?=^m=)/m);
  const index = mid === null ? 1 : sections.findIndex((s) => s.includes(`a=mid:${mid}\r\n`));
  if (index < 1 || index >= sections.length) return sdp;
  sections[index] = sections[index]! + line;
  return sections.join('');
}

/** A gathered candidate in the SDP model (RFC 8839 5.1). */
export function sdpCandidateOf(c: LocalCandidate): SdpCandidate {
  return {
    foundation: c.foundation,
    component: c.component,
    transport: c.transport,
    priority: c.priority,
    address: c.address,
    port: c.port,
    type: c.type,
    ...(c.relatedAddress !== undefined ? { relatedAddress: c.relatedAddress } : {}),
    ...(c.relatedPort !== undefined ? { relatedPort: c.relatedPort } : {}),
    generation: c.generation ?? 0,
    ...(c.ufrag !== undefined ? { ufrag: c.ufrag } : {}),
    ...(c.networkId !== undefined ? { networkId: c.networkId } : {}),
    ...(c.networkCost !== undefined ? { networkCost: c.networkCost } : {}),
    extensions: [],
  };
}

/**
 * W3C webrtc-pc 4.4.1.? localDescription: the applied description plus the candidates gathered
 * since (in the first live section, as Chrome writes them), end-of-candidates once gathering is
 * complete, and the default candidate's address in m=/c= (RFC 9429 5.2.1).
 */
export function withGatheredCandidates(
  description: SessionDescription,
  candidates: readonly SdpCandidate[],
  complete: boolean,
  /** Unbundled: the transport's tagged section and every section it carries. */
  target?: { readonly mid: string; readonly mids: readonly string[] },
): SessionDescription {
  const parsed = structuredClone(description);
  const midOf = getMid;
  const firstLive = target
    ? parsed.media.find((m) => m.port !== 0 && midOf(m) === target.mid)
    : parsed.media.find((m) => m.port !== 0);
  if (firstLive) {
    const existing = new Set(
      firstLive.attributes
        .filter((a) => a.type === 'candidate')
        .map((a) => (a.type === 'candidate' ? `${a.candidate.address}:${a.candidate.port}` : '')),
    );
    const ufrag = firstLive.attributes.find((a) => a.type === 'ice-ufrag');
    const insertAt = firstLive.attributes.findIndex((a) => a.type === 'ice-ufrag');
    const fresh = candidates.filter(
      (c) =>
        !existing.has(`${c.address}:${c.port}`) &&
        (ufrag?.type !== 'ice-ufrag' || c.ufrag === undefined || c.ufrag === ufrag.value),
    );
    const extra: SessionDescription['attributes'] = fresh.map((candidate) => ({
      type: 'candidate',
      candidate,
    }));
    if (complete && !firstLive.attributes.some((a) => a.type === 'end-of-candidates')) {
      extra.push({ type: 'end-of-candidates' });
    }
    firstLive.attributes.splice(insertAt < 0 ? firstLive.attributes.length : insertAt, 0, ...extra);
    // A `.local` name (mDNS) is no connection address (RFC 8866 5.7 wants an IP here).
    const first = candidates.find((c) => /^[\d.]+$|:/.test(c.address));
    if (first && firstLive.port === 9) {
      for (const m of parsed.media) {
        if (m.port === 0) continue;
        if (target && !target.mids.includes(midOf(m) ?? '')) continue;
        m.port = first.port;
        m.connections = [
          { netType: 'IN', addrType: first.address.includes(':') ? 'IP6' : 'IP4', address: first.address },
        ];
      }
    }
  }
  return parsed;
}
