import { getCodecs } from '../../sdp/codecs.js';
import { directionReceives } from '../../sdp/direction.js';
import type { SdpMediaSection } from '../../sdp/model.js';
import { negotiateCodecs } from '../../sdp/negotiate.js';
import { getAttributes } from '../../sdp/query.js';
import { SUPPORTED_EXTENSION_URIS } from './default-codecs.js';
import {
  receivedRids,
  ridExtensionIds,
  type SimulcastDescription,
  simulcastAnswer,
  simulcastReceiveOffer,
} from './simulcast.js';
import type { RTCRtpTransceiver } from './transceiver.js';

/** The extensions of an offered section that our answer accepts, with the offerer's ids (RFC 8285 6). */
function acceptedExtensions(offer: SdpMediaSection): { id: number; uri: string }[] {
  return getAttributes(offer, 'extmap')
    .filter((e) => SUPPORTED_EXTENSION_URIS.includes(e.uri))
    .map((e) => ({ id: e.id, uri: e.uri }));
}

/**
 * The rid and simulcast attributes of our answer to an offered section (RFC 8853 5.3), the same
 * whether asked while building the answer or when the offer is set.
 */
export function answerSimulcastFor(
  t: RTCRtpTransceiver,
  offer: SdpMediaSection,
): SimulcastDescription | undefined {
  const codecs = negotiateCodecs(getCodecs(offer), t.localCodecs());
  return simulcastAnswer(
    offer,
    acceptedExtensions(offer).map((e) => e.uri),
    codecs,
  );
}

/** Our offer's rid/simulcast attributes for a transceiver that asked to receive simulcast. */
export function offerSimulcastFor(t: RTCRtpTransceiver): SimulcastDescription | undefined {
  const direction = t.direction === 'stopped' ? 'inactive' : t.direction;
  if (t.simulcastReceive.length === 0 || !directionReceives(direction)) return undefined;
  return simulcastReceiveOffer(t.simulcastReceive);
}

/**
 * A remote offer sends simulcast on this transceiver's section: its receiver gets one track per
 * layer we will accept before the `track` events fire (W3C 4.4.1.5 fires them from
 * setRemoteDescription, before our answer exists).
 */
export function prepareSimulcastReception(t: RTCRtpTransceiver, offer: SdpMediaSection): void {
  const answer = answerSimulcastFor(t, offer);
  const rids = answer ? answer.rids.map((r) => r.id) : [];
  t.receiver.setSimulcast(rids, ridExtensionIds(acceptedExtensions(offer)));
}

/** The answer is applied: the layers that flow toward us, from our answer or the remote's. */
export function applySimulcastReception(
  t: RTCRtpTransceiver,
  answer: SdpMediaSection,
  answerSide: 'local' | 'remote',
  extensions: readonly { id: number; uri: string }[],
): void {
  t.receiver.setSimulcast(receivedRids(answer, answerSide), ridExtensionIds(extensions));
}
