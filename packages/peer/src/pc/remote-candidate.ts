import { operationError } from '../errors.js';
import { parseCandidate } from '../sdp/candidate.js';
import type { SdpCandidate, SessionDescription } from '../sdp/model.js';
import { SdpParseError } from '../sdp/parse-error.js';
import { getIceParameters, getMid } from '../sdp/query.js';
import type { RTCIceCandidate, RTCIceCandidateInit } from './ice-candidate.js';
import type { MLine } from './jsep/m-line.js';
import { appendCandidate, ufragOf } from './sdp-helpers.js';
import type { TransportWiring } from './transport-wiring.js';

/** A trickled remote candidate that passed the W3C addIceCandidate checks. */
export interface TrickledCandidate {
  /** `candidate:...` without an `a=` prefix, as the ICE agent takes it. */
  readonly value: string;
  /** The text as given, for the remote description's text. */
  readonly text: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly parsed: SdpCandidate;
}

/**
 * W3C webrtc-pc 4.4.1.6 addIceCandidate: an empty candidate is the end of candidates (RFC 8838
 * 13, returns 'end'); otherwise the section it names must exist, the text must parse and its
 * ufrag must be the current generation's, else TypeError / OperationError.
 */
export function checkTrickledCandidate(
  candidate: RTCIceCandidateInit | RTCIceCandidate | null | undefined,
  remote: { readonly sdp: string; readonly parsed: SessionDescription },
): TrickledCandidate | 'end' {
  const text = candidate?.candidate ?? '';
  if (text === '') return 'end';
  const sdpMid = candidate?.sdpMid ?? null;
  const sdpMLineIndex = candidate?.sdpMLineIndex ?? null;
  if (sdpMid === null && sdpMLineIndex === null)
    throw new TypeError('sdpMid and sdpMLineIndex are both null');
  if (
    sdpMid !== null &&
    !remote.parsed.media.some((m) => m.attributes.some((a) => a.type === 'mid' && a.value === sdpMid))
  ) {
    throw operationError(`no m= section with mid ${sdpMid}`);
  }
  if (sdpMid === null && sdpMLineIndex !== null && sdpMLineIndex >= remote.parsed.media.length) {
    throw operationError(`no m= section at index ${sdpMLineIndex}`);
  }
  let parsed: SdpCandidate;
  try {
    parsed = parseCandidate(text);
  } catch (e) {
    if (e instanceof SdpParseError) throw operationError(`the candidate cannot be parsed: ${e.reason}`);
    throw e;
  }
  const ufrag = candidate?.usernameFragment ?? parsed.ufrag;
  // Unbundled sections have credentials of their own: compare with the named section's.
  const media = remote.parsed.media;
  const section = sdpMid !== null ? media.find((m) => getMid(m) === sdpMid) : media[sdpMLineIndex ?? 0];
  const current =
    (section ? getIceParameters(section, remote.parsed).ufrag : undefined) ?? ufragOf(remote.sdp);
  if (ufrag && current && ufrag !== current)
    throw operationError('the candidate belongs to another ICE generation');
  return { value: text.startsWith('a=') ? text.slice(2) : text, text, sdpMid, sdpMLineIndex, parsed };
}

/**
 * W3C 4.4.1.6 addIceCandidate, once the candidate is checked: to the transport of the section it
 * names (an end of candidates without a section ends every transport's), and into the remote
 * description's text so remoteDescription shows it.
 */
export function applyTrickledCandidate(
  candidate: RTCIceCandidateInit | RTCIceCandidate | null | undefined,
  remote: { sdp: string; readonly parsed: SessionDescription },
  transports: TransportWiring,
  lines: readonly MLine[],
): void {
  const checked = checkTrickledCandidate(candidate, remote);
  if (checked === 'end') {
    const mid = candidate?.sdpMid ?? null;
    const slots = mid !== null ? [transports.slotFor(mid)] : transports.slots;
    for (const slot of slots) slot?.io.run(() => slot.transport.ice.endOfRemoteCandidates());
    return;
  }
  const mid = checked.sdpMid ?? lines[checked.sdpMLineIndex ?? -1]?.mid;
  const slot = transports.slotFor(mid);
  slot?.io.run(() => slot.transport.addRemoteCandidate(checked.value));
  remote.sdp = appendCandidate(remote.sdp, checked.text, checked.sdpMid);
}
