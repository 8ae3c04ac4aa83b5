import { PacketParseError, parseRtp } from '@purertc/srtp';
import { RtpTrack } from './track.js';

/** W3C webrtc-pc 5.3 RTCRtpReceiver: its track fires `rtp` for every packet routed here. */
export class RTCRtpReceiver {
  readonly track: RtpTrack;
  packetsReceived = 0;
  bytesReceived = 0;
  /** SSRCs seen or signalled for this receiver. */
  readonly ssrcs = new Set<number>();

  constructor(kind: 'audio' | 'video') {
    this.track = new RtpTrack(kind, { label: `remote ${kind}` });
  }

  /** @internal A decrypted packet routed to this receiver; malformed ones are dropped. */
  receive(data: Uint8Array): boolean {
    try {
      const packet = parseRtp(data);
      this.packetsReceived++;
      this.bytesReceived += data.length;
      this.ssrcs.add(packet.ssrc);
      this.track.deliver(packet, data);
      return true;
    } catch (e) {
      if (e instanceof PacketParseError) return false;
      throw e;
    }
  }
}
