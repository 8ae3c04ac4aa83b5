import type { SessionDescription } from '../sdp/model.js';
import { safeDispatch } from './event-handlers.js';
import { RTCTrackEvent } from './events.js';
import type { MLine } from './jsep/m-line.js';
import { takeNewRemoteTracks } from './jsep/media-negotiation.js';

/** W3C 4.4.1.5 (process remote tracks): one track event per receiver track a description adds. */
export function fireNewTracks(
  target: EventTarget,
  remote: SessionDescription,
  lines: readonly MLine[],
): void {
  for (const { transceiver: t, streams } of takeNewRemoteTracks(remote, lines)) {
    // Node-only: a simulcast reception fires one event per layer track (`track.rid`).
    for (const track of t.receiver.tracks) {
      for (const stream of streams) stream.addTrack(track);
      safeDispatch(
        target,
        new RTCTrackEvent('track', { receiver: t.receiver, track, streams, transceiver: t }),
      );
    }
  }
}
