import { parseExtensionElements } from '@purertc/srtp';
import { tryParseRtp } from '../rtp/try-parse-rtp.js';
import { directionReceives } from '../sdp/direction.js';
import type { MLine } from './jsep/m-line.js';
import type { RTCRtpTransceiver } from './media/transceiver.js';

/** How received RTP finds its receiver: signalled SSRCs first, then the MID header extension. */
export interface MediaRouting {
  bySsrc: Map<number, RTCRtpTransceiver>;
  byMid: Map<string, RTCRtpTransceiver>;
}

/** An SSRC nobody signalled: the MID header extension (RFC 9143 15.2), else a unique payload type. */
export function routeUnknownSsrc(
  packet: Uint8Array,
  lines: readonly MLine[],
  routing: MediaRouting,
): RTCRtpTransceiver | undefined {
  const parsed = tryParseRtp(packet);
  if (!parsed) return undefined;
  const receiving = lines
    .map((l) => l.transceiver)
    .filter(
      (t): t is RTCRtpTransceiver =>
        t !== undefined &&
        !t.stopped &&
        t.currentDirection !== null &&
        directionReceives(t.currentDirection === 'stopped' ? 'inactive' : t.currentDirection),
    );
  if (parsed.extension) {
    const elements = parseExtensionElements(parsed.extension.profile, parsed.extension.data) ?? [];
    for (const t of receiving) {
      if (t.midExtensionId === undefined) continue;
      const el = elements.find((e) => e.id === t.midExtensionId);
      if (el) {
        const mid = Buffer.from(el.data).toString('utf8');
        const byMid = routing.byMid.get(mid);
        if (byMid) return byMid;
      }
    }
  }
  const byPt = receiving.filter((t) => t.negotiatedCodecs.some((c) => c.payloadType === parsed.payloadType));
  return byPt.length === 1 ? byPt[0] : undefined;
}

/** The receiver for a decrypted RTP packet; an SSRC seen once stays bound to its receiver. */
export function routeRtp(
  packet: Uint8Array,
  lines: readonly MLine[],
  routing: MediaRouting,
): RTCRtpTransceiver | undefined {
  if (packet.length < 12) return undefined;
  const ssrc = ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0;
  let t = routing.bySsrc.get(ssrc);
  if (!t) {
    t = routeUnknownSsrc(packet, lines, routing);
    if (t) routing.bySsrc.set(ssrc, t);
  }
  return t;
}
