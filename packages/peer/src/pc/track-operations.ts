import { invalidAccessError } from '../errors.js';
import { RID_ID } from '../sdp/attributes/rid.js';
import type { RTCRtpSender } from './media/sender.js';
import type { MediaStream, RtpTrack } from './media/track.js';
import type { RTCRtpTransceiver, RTCRtpTransceiverDirection } from './media/transceiver.js';

export interface RTCRtpTransceiverInit {
  direction?: RTCRtpTransceiverDirection;
  streams?: MediaStream[];
  /** Node-only: ask the remote to send simulcast, one layer per RID (see `setSimulcastReceive`). */
  simulcastReceive?: string[];
}

/** What a new transceiver is made of. */
export interface TransceiverRequest {
  kind: 'audio' | 'video';
  direction: RTCRtpTransceiverDirection;
  track: RtpTrack | null;
  streamIds: string[];
  simulcastReceive?: readonly string[];
}

export type CreateTransceiver = (request: TransceiverRequest) => RTCRtpTransceiver;

/** W3C webrtc-pc 5.1 addTransceiver: argument checks (TypeError). */
export function transceiverRequest(
  trackOrKind: RtpTrack | 'audio' | 'video',
  init: RTCRtpTransceiverInit,
): TransceiverRequest {
  const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
  if (kind !== 'audio' && kind !== 'video') throw new TypeError(`invalid kind ${String(kind)}`);
  const direction = init.direction ?? 'sendrecv';
  if (direction === 'stopped') throw new TypeError('a new transceiver cannot be stopped');
  const track = typeof trackOrKind === 'string' ? null : trackOrKind;
  const request: TransceiverRequest = {
    kind,
    direction,
    track,
    streamIds: (init.streams ?? []).map((s) => s.id),
  };
  if (init.simulcastReceive !== undefined) {
    // Checked before the transceiver exists, so a bad rid adds nothing (RFC 8851 10).
    const rids = init.simulcastReceive;
    if (
      !Array.isArray(rids) ||
      rids.some((r, i) => typeof r !== 'string' || !RID_ID.test(r) || rids.indexOf(r) !== i)
    ) {
      throw new TypeError('simulcastReceive must list distinct valid rids');
    }
    request.simulcastReceive = [...rids];
  }
  return request;
}

/** W3C webrtc-pc 5.1 addTrack: reuse a transceiver whose sender never sent, else create one. */
export function addTrackTo(
  transceivers: readonly RTCRtpTransceiver[],
  track: RtpTrack,
  streams: MediaStream[],
  create: CreateTransceiver,
): RTCRtpSender {
  if (transceivers.some((t) => t.sender.track === track))
    throw invalidAccessError('the track is already added');
  const reusable = transceivers.find(
    (t) => !t.stopped && t.kind === track.kind && t.sender.track === null && !t.usedToSend,
  );
  if (reusable) {
    void reusable.sender.replaceTrack(track);
    reusable.sender.setStreams(...streams);
    if (reusable.direction === 'recvonly') reusable.direction = 'sendrecv';
    else if (reusable.direction === 'inactive') reusable.direction = 'sendonly';
    return reusable.sender;
  }
  return create({ kind: track.kind, direction: 'sendrecv', track, streamIds: streams.map((s) => s.id) })
    .sender;
}

/** W3C webrtc-pc 5.1 removeTrack; false when nothing changed. */
export function removeTrackFrom(transceivers: readonly RTCRtpTransceiver[], sender: RTCRtpSender): boolean {
  const t = transceivers.find((x) => x.sender === sender);
  if (!t) throw invalidAccessError('the sender does not belong to this connection');
  if (t.stopped || sender.track === null) return false;
  void sender.replaceTrack(null);
  if (t.direction === 'sendrecv') t.direction = 'recvonly';
  else if (t.direction === 'sendonly') t.direction = 'inactive';
  return true;
}
