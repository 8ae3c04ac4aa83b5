import { log } from '../common/log.js';
import { wrap32 } from '../common/serial.js';
import { type Chunk, chunkLength } from '../packet/chunk.js';
import type { ForwardTsnChunk } from '../packet/chunks/forward-tsn.js';
import type { IForwardTsnChunk } from '../packet/chunks/iforward-tsn.js';
import type { SackChunk } from '../packet/chunks/sack.js';
import { describeErrorCauses, ErrorCauseCode } from '../packet/error-cause.js';
import type { Parameter } from '../packet/parameter.js';
import { SctpParseError } from '../packet/parse-error.js';
import { type ParsedPacket, parsePacket, serializePacket } from '../packet/sctp-packet.js';
import { DATA_STATES, RECEIVE_STATES } from './association-base.js';
import { AssociationHandshake } from './association-handshake.js';
import { abortChunk, errorChunk, u32 } from './data-chunks.js';
import type { AssociationOptions } from './options.js';

export type { SendResult } from './association-base.js';

/** The largest SCTP packet a peer can send us: what one UDP datagram can carry. */
const MAX_PACKET = 65_536;

/**
 * One SCTP association (RFC 9260) as a sans-I/O state machine, laid out like dcSCTP's socket:
 * feed it packets and time, drain packets, events and the next deadline.
 *
 *   handlePacket(bytes, now) / handleTimeout(now)   inputs
 *   pollTransmit(now) -> Buffer | undefined           SCTP packets for the DTLS layer
 *   pollEvent() -> AssociationEvent | undefined       connected, message, closed, ...
 *   nextDeadline() -> number | undefined              when to call handleTimeout
 */
export class SctpAssociation extends AssociationHandshake {
  constructor(options: Partial<AssociationOptions> = {}) {
    super(options);
  }

  /** Graceful close (RFC 9260 9.2): data still queued is delivered first. */
  shutdown(now = this.now): void {
    this.now = now;
    if (this.state === 'established') {
      this.state = 'shutdown-pending';
      this.maybeProgressShutdown(now);
    } else if (this.state === 'cookie-wait' || this.state === 'cookie-echoed') {
      this.close({ type: 'closed' });
    }
  }

  pollTransmit(now = this.now): Buffer | undefined {
    this.now = now;
    const c = this.control.shift();
    if (c) {
      this.stats.packetsSent++;
      return c;
    }
    const tcb = this.tcb;
    if (!tcb || !RECEIVE_STATES.has(this.state)) return undefined;
    const chunks: Chunk[] = [];
    let space = this.pmtu.current - 12;
    const rq = tcb.rq;
    const canSendData = DATA_STATES.has(this.state) && rq.canSend();
    if (tcb.tracker.sackPending && (tcb.tracker.sackImmediately || canSendData)) {
      const sack = tcb.tracker.createSack(tcb.reassembly.window, space);
      this.delayedAck.stop();
      chunks.push(sack);
      space -= chunkLength(sack);
    }
    if (rq.forwardTsnPending && tcb.capabilities.partialReliability) {
      const fwd = rq.forwardTsn(tcb.capabilities.messageInterleaving);
      if (fwd) space = this.fitOrQueue(chunks, fwd, space, tcb.peerTag);
    }
    if (tcb.capabilities.reconfig && DATA_STATES.has(this.state)) {
      const rc = tcb.reset.poll(rq.nextTsnWire);
      if (rc) {
        space = this.fitOrQueue(chunks, rc, space, tcb.peerTag);
        this.reconfigTimer.start(now, this.rto.rto);
      }
    }
    if (canSendData) {
      const before = chunks.length;
      rq.fill(now, space, tcb.capabilities.messageInterleaving, chunks);
      if (chunks.length > before) this.t3Rtx.startIfStopped(now, this.rto.rto);
    }
    if (chunks.length === 0) {
      this.maybeProgressShutdown(now);
      const again = this.control.shift();
      if (again) this.stats.packetsSent++;
      return again;
    }
    this.stats.packetsSent++;
    return serializePacket(this.header(tcb.peerTag, chunks), tcb.capabilities.zeroChecksumSend);
  }

  /** A control chunk that does not fit beside what is already in the packet gets a packet of its own. */
  private fitOrQueue(chunks: Chunk[], c: Chunk, space: number, tag: number): number {
    const n = (chunkLength(c) + 3) & ~3;
    if (n > space) {
      this.queueControl([c], tag);
      return space;
    }
    chunks.push(c);
    return space - n;
  }

  handlePacket(bytes: Uint8Array, now: number): void {
    this.now = now;
    this.stats.packetsReceived++;
    let pkt: ParsedPacket;
    try {
      pkt = parsePacket(bytes, { acceptZeroChecksum: this.options.zeroChecksum });
    } catch (e) {
      if (!(e instanceof SctpParseError)) throw e;
      if (e.message === 'bad checksum') this.stats.droppedBadChecksum++;
      else this.stats.droppedMalformed++;
      log('dropped packet: %s', e.message);
      return;
    }
    if (pkt.chunks.length === 0 || pkt.destinationPort !== this.options.localPort) {
      this.stats.droppedMalformed++;
      return;
    }
    try {
      this.dispatch(pkt, now);
    } catch (e) {
      // A codec error inside a chunk (e.g. a malformed parameter list) drops the rest of the packet.
      if (!(e instanceof SctpParseError)) throw e;
      this.stats.droppedMalformed++;
    }
  }

  private dispatch(pkt: ParsedPacket, now: number): void {
    const first = pkt.chunks[0]!;
    if (first.type === 'init') {
      // RFC 9260 6.10: INIT is never bundled; 8.5.1 A: its tag is 0.
      if (pkt.chunks.length !== 1 || pkt.verificationTag !== 0) {
        this.stats.droppedVerificationTag++;
        return;
      }
      this.handleInit(first, now);
      return;
    }
    if (first.type === 'cookie-echo') {
      this.handleCookieEcho(first, pkt.verificationTag, now);
      if (this.tcb && this.tcb.localTag === pkt.verificationTag) this.processChunks(pkt.chunks.slice(1), now);
      return;
    }
    const localTag = this.tcb?.localTag ?? this.pendingInit?.initiateTag;
    if (localTag === undefined) {
      this.handleOutOfTheBlue(pkt);
      return;
    }
    if (pkt.verificationTag === localTag) {
      // RFC 9260 8.5.1 B/C: with our own tag, ABORT and SHUTDOWN COMPLETE count only with T clear.
      if (pkt.chunks.some(isReflected)) {
        this.stats.droppedVerificationTag++;
        this.processChunks(
          pkt.chunks.filter((c) => !isReflected(c)),
          now,
        );
        return;
      }
    } else {
      // RFC 9260 8.5.1 B/C: the peer's tag is accepted only on ABORT / SHUTDOWN COMPLETE with T
      // set, and nothing else in such a packet is taken. Anything else: 8.5, silently discard.
      const reflected = this.tcb !== undefined && pkt.verificationTag === this.tcb.peerTag;
      const accepted = reflected ? pkt.chunks.filter(isReflected) : [];
      if (accepted.length !== pkt.chunks.length) this.stats.droppedVerificationTag++;
      if (accepted.length > 0) this.processChunks(accepted, now);
      return;
    }
    this.processChunks(pkt.chunks, now);
  }

  private processChunks(chunks: readonly Chunk[], now: number): void {
    let hadData = false;
    for (const c of chunks) {
      if (this.state === 'closed' && c.type !== 'init-ack') return;
      switch (c.type) {
        case 'data':
        case 'idata':
          if (!this.tcb) return;
          if ((c.type === 'idata') !== this.tcb.capabilities.messageInterleaving) {
            // RFC 8260 2.2: the wrong DATA flavour is a protocol violation.
            this.protocolViolation(`unexpected ${c.type} chunk`);
            return;
          }
          hadData = true;
          if (!this.handleData(c.tsn, c, c.immediate)) return;
          break;
        case 'sack':
          this.handleSack(c, now);
          break;
        case 'init-ack':
          this.handleInitAck(c, now);
          break;
        case 'cookie-ack':
          if (this.state === 'cookie-echoed') this.establish(now);
          break;
        case 'heartbeat':
          if (this.tcb) this.queueControl([{ type: 'heartbeat-ack', params: c.params }], this.tcb.peerTag);
          break;
        case 'heartbeat-ack':
          this.handleHeartbeatAck(c.params, now);
          break;
        case 'pad':
          // RFC 4820 3: discarded.
          break;
        case 'abort':
          this.close({
            type: 'aborted',
            reason: describeErrorCauses(c.causes) || 'peer abort',
            byPeer: true,
          });
          return;
        case 'shutdown':
          this.handleShutdown(c.cumulativeTsnAck, now);
          break;
        case 'shutdown-ack':
          if (this.state === 'shutdown-sent' || this.state === 'shutdown-ack-sent') {
            this.queueControl([{ type: 'shutdown-complete', tagReflected: false }], this.tcb!.peerTag);
            this.close({ type: 'closed' });
            return;
          }
          break;
        case 'shutdown-complete':
          if (this.state === 'shutdown-ack-sent') {
            this.close({ type: 'closed' });
            return;
          }
          break;
        case 'error': {
          const stale = c.causes.find((x) => x.code === ErrorCauseCode.StaleCookie);
          if (stale && this.state === 'cookie-echoed') {
            this.handleStaleCookie(stale, now);
            return;
          }
          this.events.push({ type: 'peer-error', reason: describeErrorCauses(c.causes) });
          break;
        }
        case 'forward-tsn':
        case 'iforward-tsn':
          if (!this.tcb?.capabilities.partialReliability) {
            if (!this.handleUnknown(c.type === 'forward-tsn' ? 192 : 194, c)) return;
            break;
          }
          if ((c.type === 'iforward-tsn') !== this.tcb.capabilities.messageInterleaving) {
            this.protocolViolation(`unexpected ${c.type} chunk`);
            return;
          }
          this.handleForwardTsn(c);
          break;
        case 'reconfig':
          if (!this.tcb || !RECEIVE_STATES.has(this.state)) break;
          this.handleReconfig(c.params);
          break;
        case 'unknown':
          if (!this.handleUnknown(c.code, c)) return;
          break;
        case 'init':
        case 'cookie-echo':
          // Only valid first in a packet (handled in dispatch): RFC 9260 6.10.
          this.stats.droppedMalformed++;
          return;
      }
    }
    if (hadData && this.tcb) this.afterData(now);
  }

  /** RFC 9260 3.2: the upper two bits of an unknown chunk type decide. Returns false to stop. */
  private handleUnknown(code: number, c: Chunk): boolean {
    this.stats.unknownChunks++;
    if (code & 0x40 && this.tcb) {
      const raw = serializePacket(this.header(0, [c])).subarray(12);
      this.queueControl([errorChunk(ErrorCauseCode.UnrecognizedChunkType, raw)], this.tcb.peerTag);
    }
    return (code & 0x80) !== 0;
  }

  private protocolViolation(reason: string): void {
    if (this.tcb) {
      this.queueControl([abortChunk(ErrorCauseCode.ProtocolViolation, reason)], this.tcb.peerTag);
    }
    this.close({ type: 'aborted', reason, byPeer: false });
  }

  /** Returns false when the association was aborted. */
  private handleData(tsn: number, c: Chunk & { type: 'data' | 'idata' }, immediate: boolean): boolean {
    const tcb = this.tcb!;
    if (!RECEIVE_STATES.has(this.state)) return true;
    if (c.payload.length === 0) {
      // RFC 9260 6.2: DATA without user data aborts with "No User Data".
      this.queueControl([abortChunk(ErrorCauseCode.NoUserData, u32(tsn))], tcb.peerTag);
      this.close({ type: 'aborted', reason: 'DATA chunk without user data', byPeer: false });
      return false;
    }
    const verdict = tcb.tracker.classify(tsn);
    if (verdict === 'out-of-window') {
      this.stats.droppedOutOfWindowTsn++;
      return true;
    }
    if (verdict === 'duplicate') {
      this.stats.duplicateTsns++;
      tcb.tracker.observe(tsn, immediate);
      return true;
    }
    const u = tcb.tracker.unwrap(tsn);
    const r = tcb.reassembly;
    // RFC 9260 6.2: with no window left, new data is dropped, except the next in-sequence TSN: it
    // may complete a message larger than the window (which is then delivered, freeing the window),
    // so taking it means no deadlock. Memory stays bounded: out-of-sequence data within one MTU of
    // the window, in-sequence data within the window plus one maximum-size message.
    const inSequence = u === tcb.tracker.cumAck + 1;
    const limit = inSequence ? r.capacity + this.options.maxMessageSize : r.capacity + MAX_PACKET;
    if ((r.isFull && !inSequence) || r.queuedBytes + c.payload.length > limit) {
      this.stats.droppedReceiveWindowFull++;
      tcb.tracker.forceSack();
      return true;
    }
    tcb.tracker.observeNew(tsn, immediate);
    if (c.streamId >= tcb.params.inboundStreams) {
      // RFC 9260 6.8: acknowledge, report and drop.
      // Cause info: the stream id, then 2 reserved bytes.
      this.queueControl(
        [errorChunk(ErrorCauseCode.InvalidStreamIdentifier, u32(c.streamId * 0x10000))],
        tcb.peerTag,
      );
      return true;
    }
    r.add(u, c);
    // Beyond the window the sender probes one chunk at a time (6.1 A): ack each one at once.
    if (r.isFull) tcb.tracker.forceSack();
    return true;
  }

  private afterData(now: number): void {
    const tcb = this.tcb!;
    tcb.tracker.endOfPacket();
    tcb.reset.onCumAckAdvanced();
    this.deliver();
    const t = tcb.tracker;
    if (!t.sackPending || t.sackImmediately) return;
    if (!t.sackOwed) {
      this.delayedAck.startIfStopped(now, this.options.delayedAckMax);
    } else if (!this.delayedAck.isDue(now)) {
      // RFC 9260 6.2's SACK for every second packet is due now, but from handleTimeout: a driver
      // runs due timers after the datagrams it has already read, so a burst that queued up while
      // we were busy is acknowledged once at its end (up to maxPacketsPerSack packets). When
      // packets arrive spaced out (no backlog) this is still one SACK per two packets.
      this.delayedAck.start(now, 0);
    }
  }

  private handleForwardTsn(c: ForwardTsnChunk | IForwardTsnChunk): void {
    const tcb = this.tcb!;
    if (tcb.tracker.forwardTo(c.newCumulativeTsn)) {
      const cum = tcb.tracker.cumAck;
      if (c.type === 'forward-tsn') tcb.reassembly.forwardTsn(cum, c.skipped);
      else tcb.reassembly.iforwardTsn(cum, c.skipped);
      tcb.reset.onCumAckAdvanced();
      this.deliver();
    }
    // RFC 3758 3.6: answer with a SACK either way.
    tcb.tracker.forceSack();
  }

  private handleSack(sack: SackChunk, now: number): void {
    const tcb = this.tcb;
    if (!tcb || !RECEIVE_STATES.has(this.state)) return;
    const r = tcb.rq.handleSack(sack, now);
    if (r.outcome !== 'ok') {
      if (r.outcome === 'invalid') this.stats.droppedMalformed++;
      return;
    }
    if (r.rtt !== undefined) this.rto.observe(r.rtt);
    if (r.acked > 0 || r.cumAdvanced) this.errorCount = 0;
    if (r.cumAdvanced) this.pmtu.onProgress();
    const o = tcb.rq.outstanding;
    if (o.isEmpty) this.t3Rtx.stop();
    else if (r.cumAdvanced) this.t3Rtx.start(now, this.rto.rto);
    // RFC 9260 6.2.1 D iv: reneged data needs a running T3-rtx.
    else if (r.reneged > 0) this.t3Rtx.startIfStopped(now, this.rto.rto);
    this.stats.renegedTsns += r.reneged;
    this.maybeProgressShutdown(now);
  }

  handleTimeout(now: number): void {
    this.now = now;
    if (this.handleHandshakeTimeout(now)) return;
    const tcb = this.tcb;
    if (!tcb) return;
    if (this.t2Shutdown.isDue(now)) {
      this.t2Shutdown.expireAndBackoff(now);
      if (this.countError('SHUTDOWN not answered')) return;
      if (this.state === 'shutdown-sent') this.sendShutdown();
      else if (this.state === 'shutdown-ack-sent') this.queueControl([{ type: 'shutdown-ack' }], tcb.peerTag);
      else this.t2Shutdown.stop();
    }
    if (this.t3Rtx.isDue(now)) {
      this.stats.t3Expiries++;
      this.rto.backoff();
      tcb.rq.handleT3Expiry(now);
      if (this.pmtu.onT3Expiry(now)) this.applyMtu();
      if (this.countError('too many retransmissions')) return;
      if (tcb.rq.outstanding.isEmpty) this.t3Rtx.stop();
      else this.t3Rtx.start(now, this.rto.rto);
    }
    if (this.delayedAck.isDue(now)) {
      this.delayedAck.stop();
      tcb.tracker.forceSack();
    }
    const hb = this.heartbeat.handleTimeout(now, this.t3Rtx.running, this.rto.rto);
    if (hb === 'unanswered') {
      if (this.countError('heartbeat not answered')) return;
    } else if (hb) this.queueControl([hb.send], tcb.peerTag);
    const probe = this.pmtu.handleTimeout(now, this.rto.rto);
    if (probe) {
      // RFC 8899 6.2.1.1: a HEARTBEAT of exactly the probed size (see PathMtuDiscovery for why
      // the padding is in its Heartbeat Info).
      const hb: Chunk = { type: 'heartbeat', params: [{ type: 'heartbeat-info', info: probe.info }] };
      this.queueControl([hb], tcb.peerTag, tcb.capabilities.zeroChecksumSend);
    }
    if (this.reconfigTimer.isDue(now)) {
      if (tcb.reset.hasWork) {
        tcb.reset.retransmit();
        this.reconfigTimer.start(now, this.rto.rto);
        if (this.countError('RE-CONFIG not answered')) return;
      } else this.reconfigTimer.stop();
    }
  }

  private handleHeartbeatAck(params: Parameter[], now: number): void {
    const probe = this.pmtu.handleAck(params, now);
    if (probe.probe) {
      if (!probe.confirmed) return;
      // A confirmed probe is also proof the peer is alive; its RTT is not sampled (it carries no time).
      this.errorCount = 0;
      this.applyMtu();
      return;
    }
    const rtt = this.heartbeat.handleAck(params, now);
    if (rtt === undefined) return;
    this.errorCount = 0;
    // RFC 9260 8.3: a heartbeat round trip is a valid RTT sample.
    this.rto.observe(rtt);
  }

  private handleReconfig(params: Parameter[]): void {
    const tcb = this.tcb!;
    this.stats.reconfigRequestsReceived++;
    const response = tcb.reset.handle({ type: 'reconfig', params });
    this.stats.reconfigRequestsRejected = tcb.reset.rejected;
    if (response) this.queueControl([response], tcb.peerTag);
    this.deliver();
  }

  private handleShutdown(cumTsnAck: number, now: number): void {
    const tcb = this.tcb;
    if (!tcb) return;
    if (this.state === 'established' || this.state === 'shutdown-pending') this.state = 'shutdown-received';
    else if (this.state === 'shutdown-sent') {
      // RFC 9260 9.2: both sides shut down at once.
      this.state = 'shutdown-ack-sent';
      this.queueControl([{ type: 'shutdown-ack' }], tcb.peerTag);
      this.t2Shutdown.start(now, this.rto.rto);
      return;
    }
    // The SHUTDOWN's cumulative TSN acknowledges like a SACK (RFC 9260 9.2).
    this.handleSack(
      {
        type: 'sack',
        cumulativeTsnAck: cumTsnAck,
        aRwnd: tcb.rq.rwnd + tcb.rq.outstanding.bytesInFlight,
        gapBlocks: [],
        duplicateTsns: [],
      },
      now,
    );
    this.maybeProgressShutdown(now);
  }

  private maybeProgressShutdown(now: number): void {
    const tcb = this.tcb;
    if (!tcb) return;
    if (this.state !== 'shutdown-pending' && this.state !== 'shutdown-received') return;
    if (!this.sendQueue.isEmpty || !tcb.rq.outstanding.isEmpty) return;
    this.t3Rtx.stop();
    if (this.state === 'shutdown-pending') {
      this.state = 'shutdown-sent';
      this.sendShutdown();
    } else {
      this.state = 'shutdown-ack-sent';
      this.queueControl([{ type: 'shutdown-ack' }], tcb.peerTag);
    }
    this.t2Shutdown.start(now, this.rto.rto);
  }

  private sendShutdown(): void {
    const tcb = this.tcb!;
    this.queueControl([{ type: 'shutdown', cumulativeTsnAck: wrap32(tcb.tracker.cumAck) }], tcb.peerTag);
  }
}

/** ABORT or SHUTDOWN COMPLETE with the T bit: the packet carries the receiver's peer tag. */
function isReflected(c: Chunk): boolean {
  return (c.type === 'abort' || c.type === 'shutdown-complete') && c.tagReflected;
}
