import { randomBytes } from 'node:crypto';
import type { PeerDriver } from '../driver/driver.js';
import { type RtcpSection, RtcpSession } from '../rtp/rtcp-session.js';
import type { SessionDescription } from '../sdp/model.js';
import { getAttribute, getAttributes } from '../sdp/query.js';
import type { PeerTransport } from '../transport/peer-transport.js';
import type { MLine } from './jsep/m-line.js';
import { applyNegotiatedMedia } from './jsep/media-negotiation.js';
import { bindTransceiverRtcp, receiveRoutedRtp } from './media/rtcp-binding.js';
import { RTCRtpSender } from './media/sender.js';
import type { RtpTrack } from './media/track.js';
import { RTCRtpTransceiver, type RTCRtpTransceiverDirection } from './media/transceiver.js';
import { type MediaRouting, routeRtp } from './rtp-routing.js';

/** Where media leaves the connection: the transport carrying it, and a way to flush it. */
export interface MediaOutput {
  /** The transport carrying section `mid` (undefined: the first); the only one when bundled. */
  transport(mid?: string): PeerTransport | undefined;
  /** True when every section shares one transport (RFC 9143), which spares a lookup per packet. */
  bundled(): boolean;
  /** Sends what the transport queued now (RTP written by the application). */
  flush(): void;
  /** Sends what the transport queued once the current task is done (RTCP bursts). */
  requestFlush(): void;
}

/**
 * The RTP side of one connection: the RTCP session (reports, feedback, retransmission), the
 * routing of received RTP to receivers, and the senders' output once an answer is applied.
 */
export class MediaSession {
  readonly cname = randomBytes(12).toString('base64url');
  readonly rtcp = new RtcpSession(this.cname, randomBytes(4).readUInt32BE(0));
  readonly routing: MediaRouting = { bySsrc: new Map(), byMid: new Map() };
  readonly #sections = new Map<RTCRtpTransceiver, RtcpSection>();
  readonly #driver: PeerDriver;
  readonly #output: MediaOutput;
  #lines: readonly MLine[] = [];

  constructor(driver: PeerDriver, output: MediaOutput) {
    this.#driver = driver;
    this.#output = output;
  }

  createTransceiver(
    kind: 'audio' | 'video',
    direction: RTCRtpTransceiverDirection,
    track: RtpTrack | null,
    streamIds: string[],
    onNegotiationChange: () => void,
  ): RTCRtpTransceiver {
    const sender = new RTCRtpSender(kind, this.cname, track, streamIds);
    return new RTCRtpTransceiver(
      kind,
      direction === 'stopped' ? 'inactive' : direction,
      sender,
      onNegotiationChange,
    );
  }

  /** The answer is applied: codecs, directions, routing, RTCP sections and reduced-size mode. */
  applyAnswer(
    answer: SessionDescription,
    answerSide: 'local' | 'remote',
    lines: readonly MLine[],
    remote: SessionDescription | undefined,
  ): void {
    this.#lines = lines;
    applyNegotiatedMedia(
      answer,
      answerSide,
      lines,
      this.routing,
      (packet) => {
        const transport = this.#transportFor(packet, 8);
        const ok = transport?.sendRtp(packet) ?? false;
        if (ok) this.rtcp.onRtpSent(packet, this.#driver.now());
        this.#output.flush();
        return ok;
      },
      remote,
    );
    // RFC 5506 / RFC 8843: reduced-size RTCP once the answer accepts a=rtcp-rsize.
    this.rtcp.reducedSize = answer.media.some((m) => getAttribute(m, 'rtcp-rsize') !== undefined);
    // RFC 4588 8.1: the remote's ssrc-group FID ties each RTX SSRC to its media SSRC.
    for (const m of remote?.media ?? []) {
      for (const g of getAttributes(m, 'ssrc-group')) {
        if (g.semantics === 'FID' && g.ssrcs.length === 2) this.rtcp.setRtxPair(g.ssrcs[1]!, g.ssrcs[0]!);
      }
    }
    this.rtcp.setSections(
      lines.flatMap((l) => (l.transceiver && !l.rejected ? [this.section(l.transceiver)] : [])),
    );
  }

  /** A decrypted RTP packet: to its receiver, through receive statistics and RTX unwrapping. */
  onRtp(packet: Uint8Array, lines: readonly MLine[]): void {
    const t = routeRtp(packet, lines, this.routing);
    if (!t) return;
    receiveRoutedRtp(t, this.section(t), this.rtcp, packet, this.#driver.now());
    this.drain();
  }

  onRtcp(packet: Uint8Array): void {
    this.rtcp.onRtcp(packet, this.#driver.now(), this.#driver.wallClock());
    this.drain();
  }

  /** The RTCP session's timer, sharing the connection's one timer. */
  readonly timers = {
    nextDeadline: (): number | undefined => this.rtcp.nextDeadline(),
    handleTimeout: (now: number): void => {
      this.rtcp.handleTimeout(now, this.#driver.wallClock());
      this.drain();
    },
  };

  /** The RTCP view of a transceiver, one stable object per transceiver. */
  section(t: RTCRtpTransceiver): RtcpSection {
    let section = this.#sections.get(t);
    if (!section) {
      section = bindTransceiverRtcp(
        t,
        this.rtcp,
        this.#driver,
        () => this.drain(),
        () => this.#output.transport(t.mid ?? undefined),
      );
      this.#sections.set(t, section);
    }
    return section;
  }

  /** Sends what the RTCP session queued (reports, feedback, retransmissions). */
  drain(): void {
    if (!this.#output.transport()) return;
    let queued = false;
    for (let out = this.rtcp.pollOutput(); out; out = this.rtcp.pollOutput()) {
      // RTCP names its sender at byte 4 (RFC 3550 6.4), RTP its SSRC at byte 8.
      const transport = this.#transportFor(out.packet, out.type === 'rtcp' ? 4 : 8);
      if (out.type === 'rtcp') transport?.sendRtcp(out.packet);
      else transport?.sendRtp(out.packet);
      queued = true;
    }
    if (queued) this.#output.requestFlush();
  }

  /**
   * Unbundled (RFC 9143 not negotiated), a packet leaves on the transport of the section its SSRC
   * belongs to: one of our senders', else (feedback, reports) the remote stream it is about.
   */
  #transportFor(packet: Uint8Array, ssrcAt: number): PeerTransport | undefined {
    if (this.#output.bundled() || packet.length < ssrcAt + 4) return this.#output.transport();
    const read = (at: number) =>
      ((packet[at]! << 24) | (packet[at + 1]! << 16) | (packet[at + 2]! << 8) | packet[at + 3]!) >>> 0;
    const ssrc = read(ssrcAt);
    const own = this.#lines.find(
      (l) => l.transceiver && (l.transceiver.sender.ssrc === ssrc || l.transceiver.sender.rtxSsrc === ssrc),
    );
    if (own) return this.#output.transport(own.mid);
    const about = packet.length >= ssrcAt + 8 ? this.routing.bySsrc.get(read(ssrcAt + 4)) : undefined;
    return this.#output.transport(about?.mid ?? undefined);
  }
}
