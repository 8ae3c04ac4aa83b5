import { log } from '../common/log.js';
import { SctpParseError } from '../packet/parse-error.js';
import type { SctpAssociation } from '../socket/association.js';
import type { SendOptions } from '../tx/outgoing-message.js';
import type { DataChannelEvent, DataChannelInfo, DataChannelInit } from './data-channel.js';
import { ChannelType, type DcepOpen, Ppid, parseDcep, serializeDcep } from './dcep.js';

interface Channel extends DataChannelInfo {
  /** RFC 8832 6: until the ACK arrives, user messages go ordered so they follow the OPEN. */
  acked: boolean;
  closeRequested: boolean;
  resetSent: boolean;
  outgoingReset: boolean;
  incomingReset: boolean;
}

export type ChannelSendResult = ReturnType<SctpAssociation['send']> | 'unknown-channel' | 'not-open';

export interface ManagerStats {
  malformedDcep: number;
  messagesForUnknownChannels: number;
  duplicateOpens: number;
}

const MAX_STREAM_ID = 65534;

/**
 * Data channels (RFC 8831) over one association, with DCEP (RFC 8832): opens channels with
 * DATA_CHANNEL_OPEN/ACK or pre-negotiated ids, maps messages to PPIDs, and closes channels by
 * resetting their streams (RFC 8831 6.7). Stream ids are even for the DTLS client, odd for the
 * DTLS server (RFC 8832 6).
 */
export class DataChannelManager {
  private readonly channels = new Map<number, Channel>();
  private readonly events: DataChannelEvent[] = [];
  private connected = false;
  readonly stats: ManagerStats = { malformedDcep: 0, messagesForUnknownChannels: 0, duplicateOpens: 0 };

  constructor(
    readonly association: SctpAssociation,
    readonly dtlsRole: 'client' | 'server',
  ) {}

  // ------------------------------------------------------------ sans-I/O pass-through

  connect(now: number): void {
    this.association.connect(now);
  }

  handlePacket(bytes: Uint8Array, now: number): void {
    this.association.handlePacket(bytes, now);
    this.pump();
  }

  handleTimeout(now: number): void {
    this.association.handleTimeout(now);
    this.pump();
  }

  nextDeadline(): number | undefined {
    return this.association.nextDeadline();
  }

  pollTransmit(now?: number): Buffer | undefined {
    this.pump();
    const p = this.association.pollTransmit(now);
    if (!p) this.pump();
    return p;
  }

  pollEvent(): DataChannelEvent | undefined {
    this.pump();
    return this.events.shift();
  }

  // ------------------------------------------------------------ channels

  channel(id: number): DataChannelInfo | undefined {
    return this.channels.get(id);
  }

  /** Creates a channel; throws RangeError/TypeError for what the W3C API would reject. */
  createChannel(init: DataChannelInit = {}): DataChannelInfo {
    if (init.maxRetransmits !== undefined && init.maxPacketLifeTime !== undefined) {
      throw new TypeError('maxRetransmits and maxPacketLifeTime are mutually exclusive');
    }
    const negotiated = init.negotiated ?? false;
    let id = init.id;
    if (negotiated && id === undefined) throw new TypeError('a negotiated channel needs an id');
    if (id === undefined) id = this.allocateId();
    if (id < 0 || id > MAX_STREAM_ID || this.channels.has(id))
      throw new RangeError(`stream id ${id} is not available`);
    const ch: Channel = {
      id,
      label: init.label ?? '',
      protocol: init.protocol ?? '',
      ordered: init.ordered ?? true,
      maxRetransmits: init.maxRetransmits,
      maxPacketLifeTime: init.maxPacketLifeTime,
      priority: init.priority ?? 256,
      negotiated,
      state: 'connecting',
      acked: negotiated,
      closeRequested: false,
      resetSent: false,
      outgoingReset: false,
      incomingReset: false,
    };
    this.channels.set(id, ch);
    if (!negotiated) {
      const open: DcepOpen = {
        type: 'open',
        channelType: channelTypeOf(ch),
        priority: ch.priority,
        reliabilityParameter: ch.maxRetransmits ?? ch.maxPacketLifeTime ?? 0,
        label: ch.label,
        protocol: ch.protocol,
      };
      this.association.send(id, Ppid.Dcep, serializeDcep(open));
    }
    if (this.connected) this.markOpen(ch);
    return ch;
  }

  private allocateId(): number {
    for (let id = this.dtlsRole === 'client' ? 0 : 1; id <= MAX_STREAM_ID; id += 2) {
      if (!this.channels.has(id)) return id;
    }
    throw new RangeError('no stream id left');
  }

  /** Sends a string (PPID 51/56) or bytes (53/57); empty messages carry one zero byte (RFC 8831 6.6). */
  send(id: number, data: string | Uint8Array, now?: number): ChannelSendResult {
    const ch = this.channels.get(id);
    if (!ch) return 'unknown-channel';
    if (ch.state !== 'open' && ch.state !== 'connecting') return 'not-open';
    const binary = typeof data !== 'string';
    let payload: Buffer;
    let ppid: number;
    if (binary) {
      payload = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      ppid = payload.length === 0 ? Ppid.BinaryEmpty : Ppid.Binary;
    } else {
      payload = Buffer.from(data, 'utf8');
      ppid = payload.length === 0 ? Ppid.StringEmpty : Ppid.String;
    }
    if (payload.length === 0) payload = ZERO;
    const opts: SendOptions = { unordered: !ch.ordered && ch.acked };
    if (ch.maxRetransmits !== undefined) opts.maxRetransmits = ch.maxRetransmits;
    if (ch.maxPacketLifeTime !== undefined) opts.maxLifetime = ch.maxPacketLifeTime;
    return this.association.send(id, ppid, payload, opts, now);
  }

  bufferedAmount(id: number): number {
    return this.association.bufferedAmount(id);
  }

  setBufferedAmountLowThreshold(id: number, bytes: number): void {
    this.association.setBufferedAmountLowThreshold(id, bytes);
  }

  /** W3C closing procedure: buffered messages are sent first, then the stream is reset (RFC 8831 6.7). */
  close(id: number): void {
    const ch = this.channels.get(id);
    if (!ch || ch.state === 'closed' || ch.closeRequested) return;
    ch.closeRequested = true;
    ch.state = 'closing';
    this.pump();
  }

  // ------------------------------------------------------------ association events

  private pump(): void {
    for (let e = this.association.pollEvent(); e; e = this.association.pollEvent()) {
      switch (e.type) {
        case 'connected':
          this.connected = true;
          this.events.push({ type: 'connected' });
          for (const ch of this.channels.values()) if (ch.state === 'connecting') this.markOpen(ch);
          break;
        case 'message':
          this.handleMessage(e.streamId, e.ppid, e.data);
          break;
        case 'buffered-amount-low':
          if (this.channels.has(e.streamId))
            this.events.push({ type: 'buffered-amount-low', id: e.streamId });
          break;
        case 'incoming-streams-reset':
          for (const id of e.streams) this.handleIncomingReset(id);
          break;
        case 'outgoing-streams-reset':
          for (const id of e.streams) {
            const ch = this.channels.get(id);
            if (!ch) continue;
            ch.outgoingReset = true;
            this.maybeFinishClose(ch);
          }
          break;
        case 'stream-reset-failed':
          log('stream reset failed for %o: %s', e.streams, e.reason);
          break;
        case 'restarted':
          this.handleRestart(e.lostMessages);
          break;
        case 'closed':
        case 'aborted':
          for (const ch of this.channels.values()) {
            if (ch.state !== 'closed') {
              ch.state = 'closed';
              this.events.push({ type: 'channel-closed', id: ch.id });
            }
          }
          this.channels.clear();
          this.events.push(e.type === 'closed' ? { type: 'closed' } : { type: 'aborted', reason: e.reason });
          break;
        default:
          break;
      }
    }
    // Channels waiting to close reset their stream once nothing is left to send.
    for (const ch of this.channels.values()) {
      if (ch.closeRequested && !ch.resetSent && this.association.bufferedAmount(ch.id) === 0) {
        ch.resetSent = true;
        this.association.resetStreams([ch.id]);
      }
    }
  }

  /**
   * The peer restarted its association (RFC 9260 5.2.4 A): it no longer knows any of our channels
   * (DCEP state lives in the association), and messages in flight were lost. Every channel is
   * closed with a `channel-closed` event, messages still queued for them are dropped (they would
   * reach a peer that has no such channel), and `restarted` says how many messages were lost in
   * all, so nothing disappears without an event. The association itself stays up for new channels.
   */
  private handleRestart(lostInAssociation: number): void {
    const ids = [...this.channels.keys()];
    const lostQueued = this.association.discardQueuedMessages(ids);
    for (const ch of this.channels.values()) {
      ch.state = 'closed';
      this.events.push({ type: 'channel-closed', id: ch.id });
    }
    this.channels.clear();
    this.events.push({ type: 'restarted', lostMessages: lostInAssociation + lostQueued });
  }

  private markOpen(ch: Channel): void {
    ch.state = 'open';
    this.events.push({ type: 'channel-opened', id: ch.id });
  }

  private handleMessage(id: number, ppid: number, data: Buffer): void {
    if (ppid === Ppid.Dcep) {
      this.handleDcep(id, data);
      return;
    }
    const ch = this.channels.get(id);
    if (!ch || ch.state === 'closed') {
      this.stats.messagesForUnknownChannels++;
      return;
    }
    // Any user message implies the peer got our OPEN (RFC 8832 6).
    ch.acked = true;
    switch (ppid) {
      case Ppid.String:
      case Ppid.StringPartial:
        this.events.push({ type: 'message', id, data: data.toString('utf8'), binary: false });
        break;
      case Ppid.StringEmpty:
        this.events.push({ type: 'message', id, data: '', binary: false });
        break;
      case Ppid.Binary:
      case Ppid.BinaryPartial:
        this.events.push({ type: 'message', id, data, binary: true });
        break;
      case Ppid.BinaryEmpty:
        this.events.push({ type: 'message', id, data: Buffer.alloc(0), binary: true });
        break;
      default:
        this.stats.messagesForUnknownChannels++;
    }
  }

  private handleDcep(id: number, data: Buffer): void {
    let m: ReturnType<typeof parseDcep>;
    try {
      m = parseDcep(data);
    } catch (e) {
      if (!(e instanceof SctpParseError)) throw e;
      this.stats.malformedDcep++;
      return;
    }
    if (m.type === 'ack') {
      const ch = this.channels.get(id);
      if (ch && !ch.acked) {
        ch.acked = true;
        this.events.push({ type: 'channel-ack', id });
      }
      return;
    }
    if (this.channels.has(id)) {
      this.stats.duplicateOpens++;
      return;
    }
    const timed = (m.channelType & 0x7f) === ChannelType.PartialReliableTimed;
    const rexmit = (m.channelType & 0x7f) === ChannelType.PartialReliableRexmit;
    const ch: Channel = {
      id,
      label: m.label,
      protocol: m.protocol,
      ordered: (m.channelType & 0x80) === 0,
      maxRetransmits: rexmit ? m.reliabilityParameter : undefined,
      maxPacketLifeTime: timed ? m.reliabilityParameter : undefined,
      priority: m.priority,
      negotiated: false,
      state: 'open',
      acked: true,
      closeRequested: false,
      resetSent: false,
      outgoingReset: false,
      incomingReset: false,
    };
    this.channels.set(id, ch);
    this.association.send(id, Ppid.Dcep, serializeDcep({ type: 'ack' }));
    this.events.push({ type: 'channel-open', channel: ch });
  }

  private handleIncomingReset(id: number): void {
    const ch = this.channels.get(id);
    if (!ch) return;
    ch.incomingReset = true;
    if (!ch.closeRequested) {
      // The peer closed: close our direction too (RFC 8831 6.7).
      ch.state = 'closing';
      this.events.push({ type: 'channel-closing', id });
      ch.closeRequested = true;
    }
    this.maybeFinishClose(ch);
  }

  private maybeFinishClose(ch: Channel): void {
    if (!ch.outgoingReset || !ch.incomingReset) return;
    ch.state = 'closed';
    this.channels.delete(ch.id);
    this.events.push({ type: 'channel-closed', id: ch.id });
  }
}

function channelTypeOf(ch: DataChannelInfo): number {
  const base =
    ch.maxRetransmits !== undefined
      ? ChannelType.PartialReliableRexmit
      : ch.maxPacketLifeTime !== undefined
        ? ChannelType.PartialReliableTimed
        : ChannelType.Reliable;
  return ch.ordered ? base : base | 0x80;
}

const ZERO = Buffer.from([0]);
