import type { SdpMediaSection } from './model.js';
import { getAttributes } from './query.js';
import { splitWords } from './tokens.js';

/** One media source of an m-section as a=ssrc and a=ssrc-group describe it. */
export interface SdpSourceInfo {
  ssrc: number;
  cname?: string;
  /** From `a=ssrc:<id> msid:<stream> <track>` (RFC 8830 legacy form). */
  streamId?: string;
  trackId?: string;
  /** RFC 4588 8.1: the second ssrc of `a=ssrc-group:FID`. */
  rtxSsrc?: number;
  /** RFC 5956 4.1: the second ssrc of `a=ssrc-group:FEC-FR`. */
  fecSsrc?: number;
}

/**
 * The primary sources of a section, in the order their a=ssrc lines first appear; repair
 * sources (the second member of FID or FEC-FR groups) are folded into their primary.
 */
export function getSources(media: SdpMediaSection): SdpSourceInfo[] {
  const repairOf = new Map<number, { primary: number; kind: 'rtx' | 'fec' }>();
  for (const group of getAttributes(media, 'ssrc-group')) {
    const [primary, repair] = group.ssrcs;
    if (primary === undefined || repair === undefined) continue;
    if (group.semantics === 'FID') repairOf.set(repair, { primary, kind: 'rtx' });
    else if (group.semantics === 'FEC-FR') repairOf.set(repair, { primary, kind: 'fec' });
  }
  const sources = new Map<number, SdpSourceInfo>();
  const sourceFor = (ssrc: number): SdpSourceInfo => {
    let info = sources.get(ssrc);
    if (info === undefined) {
      info = { ssrc };
      sources.set(ssrc, info);
    }
    return info;
  };
  for (const line of getAttributes(media, 'ssrc')) {
    const repair = repairOf.get(line.ssrc);
    if (repair !== undefined) {
      const primary = sourceFor(repair.primary);
      if (repair.kind === 'rtx') primary.rtxSsrc = line.ssrc;
      else primary.fecSsrc = line.ssrc;
      continue;
    }
    const info = sourceFor(line.ssrc);
    if (line.attribute === 'cname' && line.value !== undefined) info.cname = line.value;
    if (line.attribute === 'msid' && line.value !== undefined) {
      const [streamId, trackId] = splitWords(line.value);
      if (streamId !== undefined) info.streamId = streamId;
      if (trackId !== undefined) info.trackId = trackId;
    }
  }
  // Groups whose members have no a=ssrc lines still name a source.
  for (const [repair, { primary, kind }] of repairOf) {
    const info = sourceFor(primary);
    if (kind === 'rtx') info.rtxSsrc ??= repair;
    else info.fecSsrc ??= repair;
  }
  return [...sources.values()];
}

/**
 * The remote track's stream ids and track id (RFC 8830 2; W3C webrtc-pc 5.x "process remote
 * tracks"): every a=msid line names a stream, "-" meaning none; the legacy ssrc msid is the
 * fallback. Undefined when the section says nothing, so JSEP's default stream applies
 * (RFC 9429 5.8.2).
 */
export function getMediaStreamIds(
  media: SdpMediaSection,
): { streamIds: string[]; trackId?: string } | undefined {
  const lines = getAttributes(media, 'msid');
  if (lines.length > 0) {
    const result: { streamIds: string[]; trackId?: string } = {
      streamIds: lines.map((l) => l.streamId).filter((id) => id !== '-'),
    };
    const trackId = lines.find((l) => l.trackId !== undefined)?.trackId;
    if (trackId !== undefined) result.trackId = trackId;
    return result;
  }
  const legacy = getSources(media).find((s) => s.streamId !== undefined);
  if (legacy === undefined) return undefined;
  const result: { streamIds: string[]; trackId?: string } = {
    streamIds: legacy.streamId === '-' ? [] : [legacy.streamId!],
  };
  if (legacy.trackId !== undefined) result.trackId = legacy.trackId;
  return result;
}
