import { readSsrc } from '../../rtp/rtcp-section.js';
import type { RtcpSection, RtcpSession } from '../../rtp/rtcp-session.js';
import { rtxApt } from '../../sdp/codecs.js';
import { EXT_TRANSPORT_CC } from './default-codecs.js';
import type { RTCRtpTransceiver } from './transceiver.js';

/** The clocks RTCP needs: monotonic ms for timers, Unix ms for NTP timestamps. */
export interface RtcpClock {
  now(): number;
  wallClock(): number;
}

function isRtx(section: RtcpSection, packet: Uint8Array): boolean {
  const pt = packet[1]! & 0x7f;
  return section.codecs.some((c) => c.payloadType === pt && rtxApt(c) !== undefined);
}

/**
 * The RTCP view of one transceiver, and the hooks from its sender and receiver into the RTCP
 * session: keyframe requests (per simulcast layer), REMB limits, BYE when the sender stops
 * (RFC 3550 6.6), mute on a received BYE, transport-cc feedback when its extension was
 * negotiated. `drain` sends what RTCP queued; `transportOf` names the transport carrying the
 * section now (unbundled sections keep transport-wide sequence spaces of their own).
 */
export function bindTransceiverRtcp(
  t: RTCRtpTransceiver,
  rtcp: RtcpSession,
  clock: RtcpClock,
  drain: () => void,
  transportOf: () => unknown = () => undefined,
): RtcpSection {
  const section: RtcpSection = {
    kind: t.kind,
    get codecs() {
      return t.negotiatedCodecs;
    },
    ssrc: t.sender.ssrc,
    rtxSsrc: t.sender.rtxSsrc,
    get transportCcExtensionId() {
      return t.sender.extensionId(EXT_TRANSPORT_CC);
    },
    get transportKey() {
      return transportOf();
    },
    onKeyFrameRequest: (method) => t.sender.keyFrameRequested(method),
    onRemoteBye: (ssrc) => t.receiver.remoteBye(ssrc),
  };
  t.receiver.keyFrameRequester = (ssrc) => {
    const ok = rtcp.requestKeyFrame(section, ssrc);
    drain();
    return ok;
  };
  t.receiver.rembRequester = (bitsPerSecond) => {
    const ok = rtcp.setRembLimit(section, bitsPerSecond);
    drain();
    return ok;
  };
  t.sender.onStreamEnd = () => {
    rtcp.bye(clock.now(), clock.wallClock(), [t.sender.ssrc]);
    drain();
  };
  return section;
}

/**
 * A decrypted packet routed to `t`: the simulcast layer map learns its SSRC (an RTX SSRC named by
 * repaired-rid is tied to its layer's media SSRC, RFC 8852 3.2), RTCP accounts for it and unwraps
 * RTX, and the receiver delivers it to the right track.
 */
export function receiveRoutedRtp(
  t: RTCRtpTransceiver,
  section: RtcpSection,
  rtcp: RtcpSession,
  packet: Uint8Array,
  now: number,
): void {
  const rtxOf = t.receiver.learn(packet);
  if (rtxOf !== undefined) rtcp.setRtxPair(readSsrc(packet), rtxOf);
  else if (t.receiver.simulcast && isRtx(section, packet) && !rtcp.hasRtxPair(readSsrc(packet))) {
    // RFC 8852 3.2: with several layers only repaired-rid says which one an RTX stream repairs;
    // guessing (the section's latest SSRC) would splice one layer's packets into another.
    rtcp.onTransportPacket(packet, section, now);
    return;
  }
  const media = rtcp.onRtpReceived(packet, section, now);
  if (media) t.receiver.receive(media);
}
