import { type Chunk, parseChunk } from '../packet/chunk.js';
import type { InitChunk } from '../packet/chunks/init.js';
import { ErrorCauseCode } from '../packet/error-cause.js';
import { SctpParseError } from '../packet/parse-error.js';
import { serializePacket } from '../packet/sctp-packet.js';
import { Timer, TimerSet } from '../timer/timer.js';
import type { OutgoingMessage, SendOptions } from '../tx/outgoing-message.js';
import { RetransmissionTimeout } from '../tx/retransmission-timeout.js';
import { SendQueue } from '../tx/send-queue.js';
import type { AssociationState } from './association-state.js';
import { abortChunk } from './data-chunks.js';
import { type AssociationEvent, type AssociationStats, emptyStats } from './events.js';
import { buildInit, tcbFromInitAck } from './handshake.js';
import { HeartbeatHandler } from './heartbeat-handler.js';
import { type AssociationOptions, DEFAULT_OPTIONS } from './options.js';
import { PathMtuDiscovery, type PathMtuState } from './path-mtu-discovery.js';
import { CookieCodec } from './state-cookie.js';
import { type TcbParams, TransmissionControlBlock } from './transmission-control-block.js';

export type SendResult = 'ok' | 'closed' | 'empty' | 'too-large' | 'invalid-stream' | 'buffer-full';

/** Packets waiting in the control queue beyond this are dropped and counted (bounded memory). */
export const MAX_CONTROL_PACKETS = 64;

export const DATA_STATES: ReadonlySet<AssociationState> = new Set([
  'established',
  'shutdown-pending',
  'shutdown-received',
]);
export const RECEIVE_STATES: ReadonlySet<AssociationState> = new Set([
  'established',
  'shutdown-pending',
  'shutdown-sent',
  'shutdown-received',
]);

/**
 * State and public surface shared by the association's handlers (fields, timers, queues, the
 * user API); `SctpAssociation` adds packet and timer handling on top.
 */
export abstract class AssociationBase {
  readonly options: AssociationOptions;
  state: AssociationState = 'closed';
  readonly stats: AssociationStats = emptyStats();
  protected tcb: TransmissionControlBlock | undefined;
  protected readonly sendQueue: SendQueue;
  protected readonly events: AssociationEvent[] = [];
  protected readonly control: Buffer[] = [];
  protected readonly cookies: CookieCodec;
  protected readonly timers = new TimerSet();
  protected readonly t1Init: Timer;
  protected readonly t1Cookie: Timer;
  protected readonly t2Shutdown: Timer;
  protected readonly t3Rtx: Timer;
  protected readonly delayedAck: Timer;
  protected readonly heartbeat: HeartbeatHandler;
  protected readonly reconfigTimer: Timer;
  protected readonly rto: RetransmissionTimeout;
  protected readonly pmtu: PathMtuDiscovery;
  protected errorCount = 0;
  protected pendingInit: InitChunk | undefined;
  protected pendingCookie: Buffer | undefined;
  protected now = 0;
  protected nextMessageId = 1;
  protected remoteMaxMessageSize: number | undefined;
  protected ended = false;
  private snapInit: InitChunk | undefined;

  constructor(options: Partial<AssociationOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    const o = this.options;
    this.sendQueue = new SendQueue(o.messageInterleaving);
    this.cookies = new CookieCodec(o.random(32));
    this.rto = new RetransmissionTimeout(o.rtoInitial, o.rtoMin, o.rtoMax, o.maxTimerBackoff);
    this.t1Init = this.timers.add(new Timer('t1-init', o.rtoInitial, o.rtoMax));
    this.t1Cookie = this.timers.add(new Timer('t1-cookie', o.rtoInitial, o.rtoMax));
    this.t2Shutdown = this.timers.add(
      new Timer('t2-shutdown', o.rtoInitial, Math.min(o.rtoMax, o.maxTimerBackoff)),
    );
    this.t3Rtx = this.timers.add(new Timer('t3-rtx', o.rtoInitial, o.rtoMax));
    this.delayedAck = this.timers.add(new Timer('delayed-ack', o.delayedAckMax));
    this.heartbeat = new HeartbeatHandler(this.timers, o.heartbeatInterval, o.random);
    this.reconfigTimer = this.timers.add(new Timer('reconfig', o.rtoInitial, o.rtoMax));
    this.pmtu = new PathMtuDiscovery(this.timers, o.mtu, o.maxMtu, o.random);
  }

  /** Starts the 4-way handshake as the initiator (RFC 9260 5.1 A). */
  connect(now: number): void {
    this.now = now;
    if (this.state !== 'closed') return;
    const tag = this.randomTag();
    this.pendingInit = buildInit(this.options, tag, this.random32());
    this.queueControl([this.pendingInit], 0);
    this.t1Init.start(now, this.options.rtoInitial);
    this.state = 'cookie-wait';
  }

  /**
   * SNAP (SCTP Negotiation Acceleration, draft-hancke-tsvwg-snap): the INIT chunk to put in SDP
   * (a=sctp-init) instead of sending it. Pair with `startWithPeerInit`.
   */
  localInitForSnap(): Buffer {
    if (!this.snapInit) this.snapInit = buildInit(this.options, this.randomTag(), this.random32());
    return Buffer.from(serializePacket(this.header(0, [this.snapInit])).subarray(12));
  }

  /**
   * SNAP: builds the association from both INIT chunks exchanged out of band, with no handshake
   * on the wire. Returns false (and changes nothing) when the peer's INIT is not usable.
   */
  startWithPeerInit(peerInitChunk: Uint8Array, now: number): boolean {
    this.now = now;
    if (this.state !== 'closed' || this.ended) return false;
    const local = this.snapInit;
    let peer: Chunk | undefined;
    try {
      const raw = Buffer.from(peerInitChunk);
      if (raw.length < 4 || raw.readUInt16BE(2) > raw.length) return false;
      peer = parseChunk(raw[0]!, raw[1]!, raw.subarray(4, raw.readUInt16BE(2)));
    } catch (e) {
      if (e instanceof SctpParseError) return false;
      throw e;
    }
    if (
      !local ||
      peer.type !== 'init' ||
      peer.initiateTag === 0 ||
      peer.outboundStreams === 0 ||
      peer.inboundStreams === 0
    ) {
      return false;
    }
    this.createTcb(tcbFromInitAck(this.options, local, { ...peer, type: 'init-ack' }));
    this.establish(now);
    return true;
  }

  send(
    streamId: number,
    ppid: number,
    payload: Buffer,
    options: SendOptions = {},
    now = this.now,
  ): SendResult {
    const open =
      this.state === 'cookie-wait' || this.state === 'cookie-echoed' || this.state === 'established';
    // Before connect() messages queue up; after the association ended they are refused.
    if (!open && (this.state !== 'closed' || this.ended)) return 'closed';
    if (payload.length === 0) return 'empty';
    if (payload.length > (this.remoteMaxMessageSize ?? this.options.maxMessageSize)) return 'too-large';
    if (streamId < 0 || streamId >= (this.tcb?.params.outboundStreams ?? this.options.streams))
      return 'invalid-stream';
    if (this.sendQueue.totalBuffered + payload.length > this.options.maxSendBuffer) return 'buffer-full';
    const pr = this.tcb ? this.tcb.capabilities.partialReliability : this.options.partialReliability;
    const m: OutgoingMessage = {
      id: this.nextMessageId++,
      streamId,
      ppid,
      payload,
      unordered: options.unordered ?? false,
      maxRetransmits: pr ? options.maxRetransmits : undefined,
      expiresAt: pr && options.maxLifetime !== undefined ? now + options.maxLifetime : undefined,
      offset: 0,
      ssn: 0,
      mid: 0,
      nextFsn: 0,
      abandoned: false,
      tsns: [],
      endAssigned: false,
    };
    this.sendQueue.add(m);
    return 'ok';
  }

  /** The peer's a=max-message-size from SDP (RFC 8841 6); 0 there means no limit. */
  setRemoteMaxMessageSize(bytes: number): void {
    this.remoteMaxMessageSize = bytes === 0 ? Number.MAX_SAFE_INTEGER : bytes;
  }

  /**
   * A new MAX_PLPMTU for path MTU discovery (RFC 8899 5.3.1), e.g. when the path under the
   * association changed. Data shrinks to it at once if it is below the confirmed size; a larger
   * one is probed for.
   */
  setMaxMtu(bytes: number, now = this.now): void {
    this.now = now;
    if (this.pmtu.setMaximum(bytes, now)) this.applyMtu();
  }

  /** Path MTU discovery's view: the packet size data uses now and the search's state. */
  get pathMtu(): {
    current: number;
    maximum: number;
    state: PathMtuState;
    probesSent: number;
    blackHoles: number;
  } {
    const p = this.pmtu;
    return {
      current: p.current,
      maximum: p.maximum,
      state: p.state,
      probesSent: p.probesSent,
      blackHoles: p.blackHoles,
    };
  }

  bufferedAmount(streamId: number): number {
    return this.sendQueue.bufferedAmount(streamId);
  }

  setBufferedAmountLowThreshold(streamId: number, bytes: number): void {
    this.sendQueue.setLowThreshold(streamId, bytes);
  }

  /** Drops every message still queued on these streams; returns how many were dropped. */
  discardQueuedMessages(streamIds: readonly number[]): number {
    return this.sendQueue.discardStreams(streamIds);
  }

  /** RFC 6525: resets our outgoing streams (closing data channels); the peer resets its side. */
  resetStreams(streamIds: readonly number[]): void {
    if (!this.tcb?.capabilities.reconfig) {
      this.events.push({
        type: 'stream-reset-failed',
        streams: [...streamIds],
        reason: 'RE-CONFIG not supported',
      });
      return;
    }
    this.tcb.reset.request(streamIds);
  }

  /** Ungraceful close (RFC 9260 9.1). */
  abort(reason = 'user abort', now = this.now): void {
    this.now = now;
    if (this.state === 'closed') return;
    if (this.tcb) {
      this.queueControl([abortChunk(ErrorCauseCode.UserInitiatedAbort, reason)], this.tcb.peerTag);
    }
    this.close({ type: 'aborted', reason, byPeer: false });
  }

  pollEvent(): AssociationEvent | undefined {
    const low = this.sendQueue.lowEvents;
    while (low.length > 0) this.events.push({ type: 'buffered-amount-low', streamId: low.shift()! });
    return this.events.shift();
  }

  nextDeadline(): number | undefined {
    return this.timers.nextDeadline();
  }

  get abandonedMessages(): number {
    return (this.tcb?.rq.outstanding.abandonedCount ?? 0) + this.sendQueue.expiredBeforeSend;
  }

  /** Introspection for tests and stats. */
  get congestion():
    | { cwnd: number; ssthresh: number; rwnd: number; inFlight: number; rto: number }
    | undefined {
    const rq = this.tcb?.rq;
    if (!rq) return undefined;
    return {
      cwnd: rq.cwnd,
      ssthresh: rq.ssthresh,
      rwnd: rq.rwnd,
      inFlight: rq.outstanding.bytesInFlight,
      rto: this.rto.rto,
    };
  }

  get receiveBufferedBytes(): number {
    return this.tcb?.reassembly.queuedBytes ?? 0;
  }

  get capabilities(): TransmissionControlBlock['capabilities'] | undefined {
    return this.tcb?.capabilities;
  }

  protected header(tag: number, chunks: Chunk[]) {
    return {
      sourcePort: this.options.localPort,
      destinationPort: this.options.remotePort,
      verificationTag: tag,
      chunks,
    };
  }

  protected queueControl(chunks: Chunk[], tag: number, zeroChecksum = false): void {
    if (this.control.length >= MAX_CONTROL_PACKETS) {
      this.stats.droppedControlOverflow++;
      return;
    }
    this.control.push(serializePacket(this.header(tag, chunks), zeroChecksum));
  }

  protected createTcb(params: TcbParams): void {
    this.tcb = new TransmissionControlBlock(params, this.options, this.sendQueue, (e) => this.events.push(e));
    this.sendQueue.setInterleaving(params.capabilities.messageInterleaving);
    this.sendQueue.setPartialReliability(params.capabilities.partialReliability);
  }

  protected establish(now: number): void {
    this.t1Init.stop();
    this.t1Cookie.stop();
    this.pendingInit = undefined;
    this.pendingCookie = undefined;
    this.errorCount = 0;
    if (this.state !== 'established') {
      this.state = 'established';
      this.events.push({ type: 'connected' });
    }
    this.heartbeat.start(now);
    this.pmtu.start(now);
    this.applyMtu();
  }

  /** Packets built from now on use the confirmed path MTU. */
  protected applyMtu(): void {
    this.tcb?.rq.setMtu(this.pmtu.current);
  }

  protected deliver(): void {
    const tcb = this.tcb;
    if (!tcb) return;
    for (const m of tcb.reassembly.drain()) {
      this.events.push({
        type: 'message',
        streamId: m.streamId,
        ppid: m.ppid,
        data: m.payload,
        unordered: m.unordered,
      });
    }
  }

  /** RFC 9260 8.1: too many consecutive errors close the association. Returns true if it did. */
  protected countError(reason: string): boolean {
    this.errorCount++;
    if (this.errorCount > this.options.maxRetransmissions) {
      this.abort(reason);
      return true;
    }
    return false;
  }

  protected close(event: AssociationEvent): void {
    this.state = 'closed';
    this.ended = true;
    this.tcb = undefined;
    this.pendingInit = undefined;
    this.pendingCookie = undefined;
    this.timers.stopAll();
    this.pmtu.stop();
    this.events.push(event);
  }

  protected random32(): number {
    return this.options.random(4).readUInt32BE(0);
  }

  /** Verification tags are never 0 (RFC 9260 3.3.2). */
  protected randomTag(): number {
    for (;;) {
      const t = this.random32();
      if (t !== 0) return t;
    }
  }
}
