import { invalidAccessError } from '../errors.js';
import type { SessionDescription } from '../sdp/model.js';
import type { RTCSdpType } from '../sdp/signaling-state.js';
import { verifyDescription } from '../sdp/validate.js';
import type { RTCBundlePolicy } from './configuration.js';
import { describedTransportGroups } from './jsep/transport-groups.js';

/**
 * The content checks setRemoteDescription runs before anything changes (W3C 4.4.1.5: syntax,
 * then signaling state, then content): RFC 9429 5.8 rules (InvalidAccessError), an answer
 * against the offer it answers.
 */
export function checkRemoteContent(
  parsed: SessionDescription,
  type: Exclude<RTCSdpType, 'rollback'>,
  pendingLocalOffer: SessionDescription | undefined,
  bundlePolicy: RTCBundlePolicy,
): void {
  verifyDescription(parsed, {
    type,
    ...(type !== 'offer' && pendingLocalOffer ? { offer: pendingLocalOffer } : {}),
  });
  // W3C 4.2.5 max-bundle negotiates one transport only; like Chrome, a description that
  // cannot be bundled is refused before anything changes.
  if (bundlePolicy === 'max-bundle' && describedTransportGroups(parsed).length > 1) {
    throw invalidAccessError('max-bundle is configured but the description does not bundle its sections');
  }
}
