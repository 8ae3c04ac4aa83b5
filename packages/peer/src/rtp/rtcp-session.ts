import { randomBytes } from 'node:crypto';
import { debuglog } from 'node:util';
import {
  PacketParseError,
  parseRtcp,
  type RtcpPacket,
  type RtcpReportBlock,
  type RtcpXrBlock,
  serializeRtcp,
} from '@purertc/srtp';
import { rtxApt } from '../sdp/codecs.js';
import { readTransportSequence } from './find-extension.js';
import { NackGenerator, nackItemsFromSequences, sequencesFromNackItems } from './nack.js';
import { compactNtp, ntpToUnixMs } from './ntp.js';
import { OutboundStream } from './outbound-stream.js';
import { ReceiveStatistics } from './receive-statistics.js';
import { ReceiverRttExchange } from './receiver-rtt.js';
import { RembLimits } from './remb-limits.js';
import { reportCompound } from './report-compound.js';
import {
  cnameSdes,
  hasFeedback,
  type InboundStream,
  type RtcpOutput,
  type RtcpSection,
  readSsrc,
} from './rtcp-section.js';
import { unwrapRtxPacket } from './send-history.js';
import { TransportCcReceivers } from './transport-cc-receivers.js';

export type { InboundStream, RtcpOutput, RtcpSection } from './rtcp-section.js';

const log = debuglog('purertc:peer');

/**
 * Report intervals as Chrome's RTCP sender uses them (video 1 s, audio 5 s). RFC 3550 6.2's
 * 5 s minimum is relaxed by RFC 8108/AVPF; WebRTC sends video reports every second.
 */
export const VIDEO_REPORT_INTERVAL_MS = 1000;
export const AUDIO_REPORT_INTERVAL_MS = 5000;

function cryptoRandom(): number {
  return randomBytes(4).readUInt32BE(0) / 0x1_0000_0000;
}

/**
 * RTCP for one bundle group, sans-I/O: receive statistics, SR/RR with SDES CNAME on a fixed
 * interval, RTT from report blocks, NACK responder (RTX when negotiated), NACK generation paced
 * by RTT, PLI/FIR both ways. Time comes in as `now` (monotonic ms) and `wallClockMs` (Unix ms,
 * for NTP); packets to send wait in a queue the caller drains with pollOutput().
 */
export class RtcpSession {
  readonly cname: string;
  readonly #outbound = new Map<number, OutboundStream>();
  readonly #sectionBySsrc = new Map<number, RtcpSection>();
  readonly #inbound = new Map<number, InboundStream>();
  /** The latest media SSRC received on each section, for RTX without an ssrc-group. */
  readonly #primaryBySection = new Map<RtcpSection, number>();
  readonly #queue: RtcpOutput[] = [];
  readonly #rtxToMedia = new Map<number, number>();
  readonly #transportCc = new TransportCcReceivers();
  /** RFC 3611 RRTR/DLRR: an RTT while we only receive; `enabled` turns our RRTRs off. */
  readonly receiverRtt = new ReceiverRttExchange();
  readonly #remb = new RembLimits();
  /** SSRCs we said BYE for: no more SRs for them. */
  readonly #ended = new Set<number>();
  #sections: readonly RtcpSection[] = [];
  #nextReportAt: number | undefined;
  /** Latest RTT (ms) measured from our SRs. */
  #rttMs: number | undefined;
  readonly #fallbackSsrc: number;
  readonly #random: () => number;
  /** RFC 5506: feedback may go alone instead of in a full compound once rtcp-rsize is agreed. */
  reducedSize = false;
  malformedRtcp = 0;

  /** `random` (uniform in [0, 1)) spreads report times (RFC 3550 6.3.1); defaults to crypto. */
  constructor(cname: string, fallbackSsrc: number, random: () => number = cryptoRandom) {
    this.cname = cname;
    this.#fallbackSsrc = fallbackSsrc >>> 0;
    this.#random = random;
  }

  /** RFC 4588 8.1: the remote signalled `a=ssrc-group:FID media rtx`. */
  setRtxPair(rtxSsrc: number, mediaSsrc: number): void {
    this.#rtxToMedia.set(rtxSsrc >>> 0, mediaSsrc >>> 0);
  }

  hasRtxPair(rtxSsrc: number): boolean {
    return this.#rtxToMedia.has(rtxSsrc >>> 0);
  }

  /** The negotiated sections (after every applied answer). */
  setSections(sections: readonly RtcpSection[]): void {
    this.#sections = sections;
    this.#transportCc.retain(sections);
    this.#sectionBySsrc.clear();
    for (const s of sections) {
      this.#sectionBySsrc.set(s.ssrc, s);
      if (!this.#outbound.has(s.ssrc)) this.#outbound.set(s.ssrc, new OutboundStream(s.ssrc, s.rtxSsrc));
    }
  }

  /** Counters of the transport-cc feedback we generate. */
  get transportCc(): { readonly feedbackSent: number; readonly lateOrDuplicate: number } {
    return this.#transportCc;
  }

  get roundTripTimeMs(): number | undefined {
    return this.#rttMs;
  }

  outbound(ssrc: number): OutboundStream | undefined {
    return this.#outbound.get(ssrc);
  }

  inbound(ssrc: number): InboundStream | undefined {
    return this.#inbound.get(ssrc);
  }

  /** An RTP packet of ours left (unprotected bytes, our SSRC written). */
  onRtpSent(packet: Uint8Array, now: number): void {
    if (packet.length < 12) return;
    const ssrc = readSsrc(packet);
    const section = this.#sectionBySsrc.get(ssrc);
    const stream = this.#outbound.get(ssrc);
    if (!section || !stream) return;
    // Sending again after a BYE (direction renegotiated back) revives the SSRC.
    this.#ended.delete(ssrc);
    const pt = packet[1]! & 0x7f;
    const clockRate = section.codecs.find((c) => c.payloadType === pt)?.clockRate ?? 90000;
    stream.onSent(packet, now, clockRate);
    this.#startReports(now);
  }

  /**
   * The transport-wide sequence number is on every packet of the transport, RTX and padding
   * probes included, and the sender's estimator needs each one reported, even a packet the
   * receiver then drops. onRtpReceived calls this itself.
   */
  onTransportPacket(packet: Uint8Array, section: RtcpSection, now: number): void {
    const twccId = section.transportCcExtensionId;
    if (packet.length < 12 || twccId === undefined || !hasFeedback(section, 'transport-cc')) return;
    const transportSeq = readTransportSequence(packet, twccId);
    if (transportSeq === undefined) return;
    this.#transportCc.onPacket(section, transportSeq, readSsrc(packet), now);
  }

  /**
   * An RTP packet routed to `section`. Returns what the track should see: the original packet
   * recovered from RTX (RFC 4588 4), the packet itself, or undefined for an RTX packet that
   * cannot be unwrapped.
   */
  onRtpReceived(packet: Uint8Array, section: RtcpSection, now: number): Uint8Array | undefined {
    if (packet.length < 12) return undefined;
    this.onTransportPacket(packet, section, now);
    let media = packet;
    const pt = packet[1]! & 0x7f;
    const codec = section.codecs.find((c) => c.payloadType === pt);
    const apt = codec ? rtxApt(codec) : undefined;
    if (apt !== undefined) {
      const primary = this.#rtxToMedia.get(readSsrc(packet)) ?? this.#primaryBySection.get(section);
      if (primary === undefined) return undefined;
      const unwrapped = unwrapRtxPacket(packet, { ssrc: primary, payloadType: apt });
      if (!unwrapped) return undefined;
      media = unwrapped;
    } else if (codec === undefined && section.codecs.length > 0) {
      return packet;
    }
    const ssrc = readSsrc(media);
    this.#primaryBySection.set(section, ssrc);
    let inbound = this.#inbound.get(ssrc);
    if (!inbound) {
      const clockRate = (codec && apt === undefined ? codec.clockRate : undefined) ?? 90000;
      const nackable = section.kind === 'video' && hasFeedback(section, 'nack');
      inbound = {
        stats: new ReceiveStatistics(ssrc, clockRate),
        section,
        nack: nackable ? new NackGenerator() : undefined,
        nackCount: 0,
        pliCount: 0,
        firCount: 0,
        firSequence: 0,
      };
      this.#inbound.set(ssrc, inbound);
    }
    const seq = (media[2]! << 8) | media[3]!;
    // A retransmission of something already here (answered twice, or the original was only
    // late) is a duplicate: the track must not see it twice nor the loss count go negative.
    if (apt !== undefined && inbound.nack && !inbound.nack.isMissing(seq)) return undefined;
    const rtpTimestamp = ((media[4]! << 24) | (media[5]! << 16) | (media[6]! << 8) | media[7]!) >>> 0;
    // A recovered packet counts as received (its loss was repaired) but must not skew jitter.
    if (apt === undefined) inbound.stats.record(seq, rtpTimestamp, now, media.length);
    else inbound.stats.recordRecovered(seq, media.length);
    inbound.nack?.onPacket(seq, now);
    this.#startReports(now);
    this.#pollNacks(now);
    return media;
  }

  /** A decrypted RTCP compound from the remote. Malformed ones are counted and dropped. */
  onRtcp(data: Uint8Array, now: number, wallClockMs: number): void {
    let packets: RtcpPacket[];
    try {
      packets = parseRtcp(data);
    } catch (e) {
      if (e instanceof PacketParseError) {
        this.malformedRtcp++;
        return;
      }
      throw e;
    }
    for (const p of packets) this.#handle(p, now, wallClockMs);
  }

  /**
   * W3C-style keyframe request for what `section` receives: PLI (RFC 4585 6.3.1) when negotiated,
   * else FIR (RFC 5104 4.3.1) when `ccm fir` is. False when neither was negotiated or nothing
   * was received yet.
   */
  requestKeyFrame(section: RtcpSection, mediaSsrc?: number): boolean {
    // A simulcast layer names its SSRC; otherwise the section's latest one.
    const ssrc = mediaSsrc ?? this.#primaryBySection.get(section);
    const inbound = ssrc === undefined ? undefined : this.#inbound.get(ssrc);
    if (ssrc === undefined || !inbound) return false;
    // The section's own SSRC: unbundled, the request leaves on the transport the stream came over.
    const sender = section.ssrc;
    if (hasFeedback(section, 'nack', 'pli')) {
      inbound.pliCount++;
      this.#sendFeedback([{ type: 'pli', senderSsrc: sender, mediaSsrc: ssrc }], sender);
      return true;
    }
    if (hasFeedback(section, 'ccm', 'fir')) {
      inbound.firCount++;
      inbound.firSequence = (inbound.firSequence + 1) & 0xff;
      this.#sendFeedback(
        [
          {
            type: 'fir',
            senderSsrc: sender,
            mediaSsrc: 0,
            entries: [{ ssrc, sequenceNumber: inbound.firSequence }],
          },
        ],
        sender,
      );
      return true;
    }
    return false;
  }

  /**
   * RFC 3550 6.6: the streams of these media SSRCs of ours stop (sender stopped, or the
   * connection closes when no SSRC is given: every stream). One compound of the reports, SDES and
   * BYE naming each stream that sent RTP (with its RTX SSRC if retransmissions went there); no SR
   * names them afterwards. A stream that never sent gets no BYE (6.6: nothing to end).
   */
  bye(now: number, wallClockMs: number, mediaSsrcs?: readonly number[]): void {
    const streams = mediaSsrcs
      ? mediaSsrcs.flatMap((s) => this.#outbound.get(s >>> 0) ?? [])
      : [...this.#outbound.values()];
    const ending = streams.filter((stream) => stream.packetsSent > 0 && !this.#ended.has(stream.ssrc));
    const ssrcs: number[] = [];
    for (const stream of ending) {
      ssrcs.push(stream.ssrc);
      const section = this.#sectionBySsrc.get(stream.ssrc);
      const rtx = section?.codecs.some((c) => rtxApt(c) !== undefined) ?? false;
      if (rtx && stream.retransmittedPacketsSent > 0) ssrcs.push(stream.rtxSsrc);
    }
    if (ssrcs.length === 0) return;
    const packets = this.#reportPackets(now, wallClockMs);
    packets.push({ type: 'bye', ssrcs, reason: undefined });
    for (const stream of ending) this.#ended.add(stream.ssrc);
    this.#queue.push({ type: 'rtcp', packet: serializeRtcp(packets) });
  }

  /**
   * Asks the remote sender on `section` to keep under `bitsPerSecond` with REMB
   * (draft-alvestrand-rmcat-remb), sent now and with every report while set; undefined stops
   * it. Chrome caps its send-side estimate with the latest REMB. False when the section did not
   * negotiate `goog-remb`.
   */
  setRembLimit(section: RtcpSection, bitsPerSecond: number | undefined): boolean {
    if (!this.#remb.set(section, bitsPerSecond)) return false;
    const remb = this.#remb.packet(this.#senderSsrc(), this.#inbound);
    if (remb && bitsPerSecond !== undefined) this.#sendFeedback([remb]);
    return true;
  }

  handleTimeout(now: number, wallClockMs: number): void {
    this.#pollNacks(now);
    this.#pollTransportCc(now);
    if (this.#nextReportAt !== undefined && now >= this.#nextReportAt) {
      this.#sendReports(now, wallClockMs);
      // RFC 3550 6.3.1 (and Chrome): the interval times a uniform factor in [0.5, 1.5], so
      // that participants do not synchronise.
      this.#nextReportAt = now + this.#interval() * (0.5 + this.#random());
    }
  }

  nextDeadline(): number | undefined {
    let at = this.#nextReportAt;
    const twcc = this.#transportCc.nextDeadline();
    if (twcc !== undefined && (at === undefined || twcc < at)) at = twcc;
    for (const inbound of this.#inbound.values()) {
      const t = inbound.nack?.nextDeadline(this.#rttMs);
      if (t !== undefined && (at === undefined || t < at)) at = t;
    }
    return at;
  }

  pollOutput(): RtcpOutput | undefined {
    return this.#queue.shift();
  }

  #interval(): number {
    return this.#sections.some((s) => s.kind === 'video')
      ? VIDEO_REPORT_INTERVAL_MS
      : AUDIO_REPORT_INTERVAL_MS;
  }

  #startReports(now: number): void {
    // The first report goes out soon after media starts so RTT is known early.
    if (this.#nextReportAt === undefined) this.#nextReportAt = now + Math.min(500, this.#interval());
  }

  #senderSsrc(): number {
    return this.#sections[0]?.ssrc ?? this.#fallbackSsrc;
  }

  #pollNacks(now: number): void {
    for (const [ssrc, inbound] of this.#inbound) {
      if (!inbound.nack) continue;
      const seqs = inbound.nack.poll(now, this.#rttMs);
      if (seqs.length === 0) continue;
      inbound.nackCount++;
      // From the receiving section's SSRC, so that unbundled it leaves on that section's transport.
      const sender = inbound.section.ssrc;
      this.#sendFeedback(
        [{ type: 'nack', senderSsrc: sender, mediaSsrc: ssrc, items: nackItemsFromSequences(seqs) }],
        sender,
      );
    }
  }

  #pollTransportCc(now: number): void {
    for (const { senderSsrc, mediaSsrc, feedback } of this.#transportCc.poll(now)) {
      this.#sendFeedback(
        feedback.map((fb) => ({ type: 'twcc', senderSsrc, mediaSsrc, ...fb })),
        senderSsrc,
      );
    }
  }

  /** RFC 4585 3.1 / RFC 3550 6.1: feedback rides in a compound led by an (empty) RR and SDES. */
  #sendFeedback(feedback: RtcpPacket[], ssrc: number = this.#senderSsrc()): void {
    if (this.reducedSize) {
      this.#queue.push({ type: 'rtcp', packet: serializeRtcp(feedback) });
      return;
    }
    const packets: RtcpPacket[] = [
      { type: 'rr', ssrc, reports: [], profileExtension: new Uint8Array(0) },
      cnameSdes(this.cname, [ssrc]),
      ...feedback,
    ];
    this.#queue.push({ type: 'rtcp', packet: serializeRtcp(packets) });
  }

  /**
   * Unbundled (RFC 9143 not negotiated) each transport is an RTP session of its own (RFC 3550
   * 3): its compound reports only the streams it carries, and leaves on it (the connection routes
   * a compound by its first SSRC).
   */
  #sendReports(now: number, wallClockMs: number): void {
    const transports = [...new Set(this.#sections.map((s) => s.transportKey))];
    if (transports.length <= 1) {
      this.#queue.push({ type: 'rtcp', packet: serializeRtcp(this.#reportPackets(now, wallClockMs)) });
      return;
    }
    for (const [i, key] of transports.entries()) {
      const scope = this.#sections.filter((s) => s.transportKey === key);
      const packets = this.#reportPackets(now, wallClockMs, scope, i === 0);
      this.#queue.push({ type: 'rtcp', packet: serializeRtcp(packets) });
    }
  }

  /** The session's report compound, or (`scope`) one transport's; XR and REMB only with `extras`. */
  #reportPackets(
    now: number,
    wallClockMs: number,
    scope: readonly RtcpSection[] = this.#sections,
    extras = true,
  ): RtcpPacket[] {
    const whole = scope === this.#sections;
    const inScope = (ssrc: number) => whole || scope.some((s) => s.ssrc === ssrc);
    const { packets, ssrcs, receiveOnly } = reportCompound(
      {
        cname: this.cname,
        inbound: [...this.#inbound.values()].filter((i) => whole || scope.includes(i.section)),
        outbound: [...this.#outbound.values()].filter((o) => inScope(o.ssrc)),
        ended: this.#ended,
        receiverSsrc: whole ? this.#senderSsrc() : (scope[0]?.ssrc ?? this.#senderSsrc()),
      },
      now,
      wallClockMs,
    );
    if (!extras) return packets;
    const xrBlocks = this.receiverRtt.blocks(receiveOnly && this.#inbound.size > 0, now, wallClockMs);
    if (xrBlocks.length > 0) packets.push({ type: 'xr', ssrc: ssrcs[0]!, blocks: xrBlocks });
    const remb = this.#remb.packet(this.#senderSsrc(), this.#inbound);
    if (remb) packets.push(remb);
    return packets;
  }

  #handle(p: RtcpPacket, now: number, wallClockMs: number): void {
    switch (p.type) {
      case 'sr': {
        const inbound = this.#inbound.get(p.ssrc);
        if (inbound) {
          inbound.remoteSender = {
            packetsSent: p.packetCount,
            bytesSent: p.octetCount,
            remoteTimestampMs: ntpToUnixMs(p.ntpSeconds, p.ntpFraction),
            reportsSent: (inbound.remoteSender?.reportsSent ?? 0) + 1,
          };
        }
        inbound?.stats.recordSenderReport(
          compactNtp({ seconds: p.ntpSeconds, fraction: p.ntpFraction }),
          now,
        );
        this.#reportBlocks(p.reports, now, wallClockMs);
        break;
      }
      case 'rr':
        this.#reportBlocks(p.reports, now, wallClockMs);
        break;
      case 'nack': {
        const stream = this.#outbound.get(p.mediaSsrc);
        const section = this.#sectionBySsrc.get(p.mediaSsrc);
        if (!stream || !section) break;
        stream.nackCount++;
        const rtxFor = (pt: number): number | undefined =>
          section.codecs.find((c) => rtxApt(c) === pt)?.payloadType;
        // Pacing like Chrome's: one answer per sequence number per RTT (5 ms floor).
        const minInterval = Math.max(5, this.#rttMs ?? 0);
        const seqs = sequencesFromNackItems(p.items);
        for (const packet of stream.retransmissions(seqs, rtxFor, now, minInterval)) {
          this.#queue.push({ type: 'rtp', packet });
        }
        break;
      }
      case 'pli': {
        const stream = this.#outbound.get(p.mediaSsrc);
        if (!stream) break;
        stream.pliCount++;
        this.#sectionBySsrc.get(p.mediaSsrc)?.onKeyFrameRequest('pli');
        break;
      }
      case 'xr':
        this.#extendedReport(p.ssrc, p.blocks, now, wallClockMs);
        break;
      case 'bye':
        log('rtcp bye for %o', p.ssrcs);
        for (const ssrc of p.ssrcs) {
          const inbound = this.#inbound.get(ssrc);
          if (!inbound) continue;
          this.#inbound.delete(ssrc);
          for (const [section, primary] of this.#primaryBySection) {
            if (primary === ssrc) this.#primaryBySection.delete(section);
          }
          inbound.section.onRemoteBye?.(ssrc);
        }
        break;
      case 'fir':
        for (const entry of p.entries) {
          const stream = this.#outbound.get(entry.ssrc);
          if (!stream) continue;
          stream.firCount++;
          this.#sectionBySsrc.get(entry.ssrc)?.onKeyFrameRequest('fir');
        }
        break;
      default:
        log('rtcp %s ignored', p.type);
        break;
    }
  }

  /** RFC 3611 4.5: a DLRR naming one of our SSRCs gives the RTT of a receive-only session. */
  #extendedReport(ssrc: number, blocks: readonly RtcpXrBlock[], now: number, wallClockMs: number): void {
    const ours = new Set([this.#senderSsrc(), ...this.#outbound.keys()]);
    const rtt = this.receiverRtt.onExtendedReport(ssrc, blocks, ours, now, wallClockMs);
    if (rtt === undefined) return;
    this.#rttMs = rtt;
    for (const inbound of this.#inbound.values()) {
      const prev = inbound.receiverRtt;
      inbound.receiverRtt = {
        roundTripTime: rtt / 1000,
        totalRoundTripTime: (prev?.totalRoundTripTime ?? 0) + rtt / 1000,
        roundTripTimeMeasurements: (prev?.roundTripTimeMeasurements ?? 0) + 1,
      };
    }
  }

  #reportBlocks(blocks: readonly RtcpReportBlock[], now: number, wallClockMs: number): void {
    for (const block of blocks) {
      const stream = this.#outbound.get(block.ssrc);
      const section = this.#sectionBySsrc.get(block.ssrc);
      if (!stream || !section) continue;
      const clockRate = section.codecs.find((c) => rtxApt(c) === undefined)?.clockRate ?? 90000;
      stream.onReportBlock(block, wallClockMs, clockRate, now);
      const rtt = stream.remote?.roundTripTime;
      if (rtt !== undefined && block.lastSenderReport !== 0) this.#rttMs = rtt * 1000;
    }
  }
}
