import type { SessionDescription } from '../../sdp/model.js';
import type { RTCRtpTransceiver } from '../media/transceiver.js';
import { type MLine, nextMid } from './m-line.js';

/**
 * RFC 9429 5.2.2: the sections of a new offer: the existing positions, then one per transceiver
 * without a section, then the data section if a channel wants one.
 */
export function linesForOffer(
  current: readonly MLine[],
  transceivers: readonly RTCRtpTransceiver[],
  dataWanted: boolean,
): MLine[] {
  const lines = current.map((l) => ({ ...l }));
  for (const t of transceivers) {
    if (t.stopped || lines.some((l) => l.transceiver === t)) continue;
    const mid = t.mid ?? nextMid(lines.map((l) => l.mid).concat(transceivers.map((x) => x.mid ?? '')));
    t.setMid(mid);
    lines.push({ mid, kind: t.kind, transceiver: t, rejected: false });
  }
  if (dataWanted && !lines.some((l) => l.data && !l.rejected)) {
    lines.push({ mid: nextMid(lines.map((l) => l.mid)), kind: 'application', data: true, rejected: false });
  }
  return lines;
}

/**
 * The applied local description decides which sections exist (an application may have removed
 * some) and which are rejected; a bundle-only section (RFC 9143 6) has port 0 but is live.
 */
export function markLocalRejections(lines: MLine[], applied: SessionDescription, offer: boolean): MLine[] {
  const out = offer ? lines.slice(0, applied.media.length) : lines;
  for (const [i, m] of applied.media.entries()) {
    const line = out[i];
    if (!line) continue;
    if (offer) {
      line.rejected =
        m.port === 0 && !m.attributes.some((a) => a.type === 'generic' && a.key === 'bundle-only');
    } else if (m.port === 0) line.rejected = true;
  }
  return out;
}

/**
 * RFC 9429 5.7 rollback: back to the lines of the last stable state; transceivers the rolled-back
 * remote offer created go away, others made for the offer lose their mid. Mutates `transceivers`.
 */
export function rollbackLines(
  rollingBack: 'local-offer' | 'remote-offer',
  lines: readonly MLine[],
  stable: readonly MLine[],
  transceivers: RTCRtpTransceiver[],
): MLine[] {
  for (const line of lines) {
    const t = line.transceiver;
    if (!t || stable.some((l) => l.transceiver === t)) continue;
    if (rollingBack === 'remote-offer' && t.createdByRemote) {
      const i = transceivers.indexOf(t);
      if (i >= 0) transceivers.splice(i, 1);
    } else t.setMid(null);
  }
  return stable.map((l) => ({ ...l }));
}
