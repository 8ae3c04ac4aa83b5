import { getCodecs } from '../../sdp/codecs.js';
import { directionReceives, directionSends, reverseDirection } from '../../sdp/direction.js';
import type { SessionDescription } from '../../sdp/model.js';
import { getAttributes, getDirection, getMid, isDataSection, isRejected } from '../../sdp/query.js';
import { EXT_MID } from '../media/default-codecs.js';
import { applySimulcastReception, prepareSimulcastReception } from '../media/simulcast-reception.js';
import { MediaStream } from '../media/track.js';
import type { RTCRtpTransceiver } from '../media/transceiver.js';
import type { MediaRouting } from '../rtp-routing.js';
import type { MLine } from './m-line.js';

/**
 * RFC 9429 5.10 / W3C 4.4.1.5 (process remote tracks): binds each section of a remote offer to a
 * transceiver: the one with that mid, else an unassociated one of the same kind (made by
 * addTrack), else a new recvonly one. Returns the m-lines aligned with the offer.
 */
export function bindRemoteOffer(
  offer: SessionDescription,
  current: readonly MLine[],
  transceivers: readonly RTCRtpTransceiver[],
  create: (kind: 'audio' | 'video') => RTCRtpTransceiver,
): MLine[] {
  const lines: MLine[] = [];
  offer.media.forEach((section, index) => {
    const mid = getMid(section) ?? String(index);
    const rejected = isRejected(section);
    const existing = current[index];
    if (existing && existing.mid === mid) {
      const line = { ...existing, rejected: rejected || existing.rejected };
      if (rejected && line.transceiver && !line.transceiver.stopped) line.transceiver.markStopped();
      if (!line.rejected && line.transceiver) prepareSimulcastReception(line.transceiver, section);
      lines.push(line);
      return;
    }
    if (isDataSection(section)) {
      lines.push({ mid, kind: 'application', data: true, rejected });
      return;
    }
    if ((section.kind !== 'audio' && section.kind !== 'video') || rejected) {
      lines.push({ mid, kind: section.kind, rejected: true });
      return;
    }
    const kind = section.kind;
    let t = transceivers.find((x) => x.mid === mid && !x.stopped);
    t ??= transceivers.find(
      (x) =>
        x.kind === kind &&
        !x.stopped &&
        x.mid === null &&
        x.sender.track !== null &&
        !lines.some((l) => l.transceiver === x) &&
        !current.some((l) => l.transceiver === x),
    );
    t ??= create(kind);
    t.setMid(mid);
    prepareSimulcastReception(t, section);
    lines.push({ mid, kind, transceiver: t, rejected: false });
  });
  return lines;
}

/**
 * The answer is applied (on either side): negotiated codecs and extensions, current directions
 * (W3C 4.4.1.5: the answerer's direction, reversed when the answer is the remote one), where
 * senders send, and the SSRC/MID routing of what the remote sends.
 */
export function applyNegotiatedMedia(
  answer: SessionDescription,
  answerSide: 'local' | 'remote',
  lines: readonly MLine[],
  routing: MediaRouting,
  output: (packet: Uint8Array) => boolean,
  remote: SessionDescription | undefined,
): void {
  lines.forEach((line, index) => {
    const t = line.transceiver;
    const section = answer.media[index];
    if (!t || !section) return;
    if (isRejected(section)) {
      // W3C 4.4.1.5: a rejected section stops its transceiver for good.
      line.rejected = true;
      t.markStopped();
      return;
    }
    const answered = getDirection(section, answer);
    const current = answerSide === 'local' ? answered : reverseDirection(answered);
    t.setCurrentDirection(current);
    t.negotiatedDirection = t.direction;
    const codecs = getCodecs(section);
    const extensions = getAttributes(section, 'extmap').map((e) => ({ id: e.id, uri: e.uri }));
    t.negotiatedCodecs = codecs;
    t.midExtensionId = extensions.find((e) => e.uri === EXT_MID)?.id;
    t.sender.setNegotiated(codecs, extensions, line.mid);
    applySimulcastReception(t, section, answerSide, extensions);
    t.sender.setOutput(directionSends(current) ? output : undefined);
    routing.byMid.set(line.mid, t);
    const remoteSection = remote?.media[index];
    if (remoteSection && directionReceives(current)) {
      for (const s of getAttributes(remoteSection, 'ssrc')) routing.bySsrc.set(s.ssrc, t);
    }
  });
}

/**
 * W3C 4.4.1.5 (process remote tracks): the transceivers whose remote side starts sending with
 * this description, each once, with the streams its msid names (RFC 8830).
 */
export function takeNewRemoteTracks(
  remote: SessionDescription,
  lines: readonly MLine[],
): { transceiver: RTCRtpTransceiver; streams: MediaStream[] }[] {
  const out: { transceiver: RTCRtpTransceiver; streams: MediaStream[] }[] = [];
  for (const [i, m] of remote.media.entries()) {
    const t = lines[i]?.transceiver;
    if (!t || m.port === 0) continue;
    const remoteSends = directionSends(getDirection(m, remote));
    if (remoteSends && !t.trackFired) {
      t.trackFired = true;
      const msid = getAttributes(m, 'msid')[0];
      const streams = msid && msid.streamId !== '-' ? [new MediaStream(msid.streamId)] : [];
      for (const s of streams) s.addTrack(t.receiver.track);
      out.push({ transceiver: t, streams });
    } else if (!remoteSends) {
      t.trackFired = false;
      t.receiver.remoteStoppedSending();
    }
  }
  return out;
}
