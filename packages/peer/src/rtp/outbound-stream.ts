import type { RtcpReportBlock } from '@purertc/srtp';
import { compactNtp, ntpFromUnixMs, roundTripTimeMs } from './ntp.js';
import { buildRtxPacket, SendHistory } from './send-history.js';

/** What the remote said about one of our streams in its report blocks (webrtc-stats remote-inbound-rtp). */
export interface RemoteInboundState {
  packetsLost: number;
  fractionLost: number;
  /** Seconds. */
  jitter: number;
  /** Seconds, the latest measurement. */
  roundTripTime: number | undefined;
  totalRoundTripTime: number;
  roundTripTimeMeasurements: number;
  timestamp: number;
}

/**
 * Send-side state of one local SSRC: counters for SR and outbound-rtp, the retransmission history
 * and RTX sequence space, and the remote's view from its reports.
 */
export class OutboundStream {
  readonly ssrc: number;
  readonly rtxSsrc: number;
  readonly history: SendHistory;
  packetsSent = 0;
  bytesSent = 0;
  payloadBytesSent = 0;
  retransmittedPacketsSent = 0;
  retransmittedBytesSent = 0;
  nackCount = 0;
  pliCount = 0;
  firCount = 0;
  remote: RemoteInboundState | undefined;
  #rtxSeq: number;
  readonly #resentAt = new Map<number, number>();
  #last: { rtpTimestamp: number; at: number; clockRate: number } | undefined;

  constructor(ssrc: number, rtxSsrc: number, historySize = 512, rtxSeqStart = 0) {
    this.ssrc = ssrc;
    this.rtxSsrc = rtxSsrc;
    this.history = new SendHistory(historySize);
    this.#rtxSeq = rtxSeqStart & 0xffff;
  }

  /** A packet (unprotected RTP) of this SSRC left; `clockRate` is its payload type's. */
  onSent(packet: Uint8Array, now: number, clockRate: number): void {
    if (packet.length < 12) return;
    this.packetsSent++;
    this.bytesSent += packet.length;
    this.payloadBytesSent += Math.max(0, packet.length - 12);
    const ts = ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
    this.#last = { rtpTimestamp: ts, at: now, clockRate };
    this.history.store(packet);
  }

  /**
   * RFC 4585 6.2.1 / RFC 4588: the packets that answer a NACK for these sequence numbers, wrapped
   * in RTX when `rtxPayloadType` gives the RTX payload type for a packet's payload type. A
   * sequence number answered less than `minIntervalMs` ago is skipped.
   */
  retransmissions(
    sequences: readonly number[],
    rtxPayloadType: (pt: number) => number | undefined,
    now = 0,
    minIntervalMs = 0,
  ): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const seq of sequences) {
      const original = this.history.get(seq);
      if (!original) continue;
      // A NACK repeated before our last answer could have arrived is not answered again.
      const last = this.#resentAt.get(seq & 0xffff);
      if (last !== undefined && now - last < minIntervalMs) continue;
      this.#resentAt.delete(seq & 0xffff);
      this.#resentAt.set(seq & 0xffff, now);
      if (this.#resentAt.size > this.history.capacity) {
        const oldest = this.#resentAt.keys().next().value;
        if (oldest !== undefined) this.#resentAt.delete(oldest);
      }
      const rtxPt = rtxPayloadType(original[1]! & 0x7f);
      const packet =
        rtxPt === undefined
          ? original
          : buildRtxPacket(original, {
              ssrc: this.rtxSsrc,
              payloadType: rtxPt,
              sequenceNumber: this.#rtxSeq++,
            });
      if (!packet) continue;
      this.#rtxSeq &= 0xffff;
      this.retransmittedPacketsSent++;
      this.retransmittedBytesSent += packet.length;
      out.push(packet);
    }
    return out;
  }

  /**
   * RFC 3550 6.4.1 SR sender info: NTP from the wall clock, the RTP timestamp extrapolated from
   * the last packet by the codec clock, and the counts. Undefined before anything was sent.
   */
  senderInfo(
    now: number,
    wallClockMs: number,
  ):
    | {
        ntpSeconds: number;
        ntpFraction: number;
        rtpTimestamp: number;
        packetCount: number;
        octetCount: number;
      }
    | undefined {
    if (!this.#last) return undefined;
    const ntp = ntpFromUnixMs(wallClockMs);
    const elapsed = Math.max(0, now - this.#last.at);
    const rtpTimestamp =
      (this.#last.rtpTimestamp + Math.round((elapsed * this.#last.clockRate) / 1000)) >>> 0;
    return {
      ntpSeconds: ntp.seconds,
      ntpFraction: ntp.fraction,
      rtpTimestamp,
      packetCount: this.packetsSent >>> 0,
      octetCount: this.payloadBytesSent >>> 0,
    };
  }

  /** A report block about this SSRC arrived at wall time `wallClockMs` (RTT per RFC 3550 6.4.1). */
  onReportBlock(block: RtcpReportBlock, wallClockMs: number, clockRate: number, now: number): void {
    const rttMs = roundTripTimeMs(
      compactNtp(ntpFromUnixMs(wallClockMs)),
      block.lastSenderReport,
      block.delaySinceLastSenderReport,
    );
    const prev = this.remote;
    const rtt = rttMs === undefined ? undefined : rttMs / 1000;
    this.remote = {
      packetsLost: block.packetsLost,
      fractionLost: block.fractionLost / 256,
      jitter: block.jitter / (clockRate > 0 ? clockRate : 90000),
      roundTripTime: rtt ?? prev?.roundTripTime,
      totalRoundTripTime: (prev?.totalRoundTripTime ?? 0) + (rtt ?? 0),
      roundTripTimeMeasurements: (prev?.roundTripTimeMeasurements ?? 0) + (rtt === undefined ? 0 : 1),
      timestamp: now,
    };
  }
}
