import { PacketParseError, parseRtp } from '@purertc/srtp';
import { ReceptionStats } from './reception-stats.js';
import { RtpTrack } from './track.js';

/** W3C webrtc-pc 5.3 RTCRtpReceiver: its track fires `rtp` for every packet routed here. */
export class RTCRtpReceiver {
  readonly track: RtpTrack;
  packetsReceived = 0;
  bytesReceived = 0;
  /** SSRCs seen or signalled for this receiver. */
  readonly ssrcs = new Set<number>();
  /** @internal RFC 3550 A.3 counters per SSRC, for inbound-rtp stats. */
  readonly reception = new Map<number, ReceptionStats>();

  /** @internal Set by the connection once RTCP can carry the request. */
  keyFrameRequester: (() => boolean) | undefined;

  /**
   * Node-only: asks the remote sender for a keyframe, by PLI when `nack pli` was negotiated, else
   * FIR for `ccm fir`. False when neither was negotiated or nothing was received yet.
   */
  requestKeyFrame(): boolean {
    return this.keyFrameRequester?.() ?? false;
  }

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
      let reception = this.reception.get(packet.ssrc);
      if (!reception) {
        reception = new ReceptionStats();
        this.reception.set(packet.ssrc, reception);
      }
      reception.record(packet.sequenceNumber);
      this.track.deliver(packet, data);
      return true;
    } catch (e) {
      if (e instanceof PacketParseError) return false;
      throw e;
    }
  }
}
