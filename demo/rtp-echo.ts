import type { RTCRtpTransceiver, RtpPacketEvent } from '@purertc/peer';
import { RtpTrack } from '@purertc/peer';

const NOT_MEDIA = /\/(rtx|red|ulpfec|flexfec-03)$/i;

/**
 * Sends every media packet the transceiver receives back out through its own sender (which puts
 * its own SSRC on it). Retransmissions and FEC stay behind: their payloads name the browser's
 * SSRCs. Returns how many packets went back.
 */
export function echoRtp(transceiver: RTCRtpTransceiver): { echoed: number } {
  const counter = { echoed: 0 };
  const out =
    transceiver.sender.track ?? new RtpTrack(transceiver.kind, { label: `echo ${transceiver.kind}` });
  if (!transceiver.sender.track) void transceiver.sender.replaceTrack(out);
  transceiver.direction = 'sendrecv';
  let skip: Set<number> | undefined;
  transceiver.receiver.track.addEventListener('rtp', (e) => {
    skip ??= new Set(
      transceiver.sender
        .getParameters()
        .codecs.filter((c) => NOT_MEDIA.test(c.mimeType))
        .map((c) => c.payloadType),
    );
    const { packet, data } = e as RtpPacketEvent;
    if (skip.has(packet.payloadType)) return;
    out.writeRtp(data);
    counter.echoed++;
  });
  return counter;
}
