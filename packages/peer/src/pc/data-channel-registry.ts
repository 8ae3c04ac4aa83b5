import { debuglog } from 'node:util';
import type { DataChannelEvent, DataChannelManager } from '@purertc/sctp';
import { operationError } from '../errors.js';
import { type DataChannelLink, RTCDataChannel } from './data-channel.js';
import { safeDispatch } from './event-handlers.js';
import { RTCDataChannelEvent } from './events.js';
import type { TransportIo } from './transport-io.js';

const log = debuglog('purertc:peer');

/** The data channels of one connection: binding them to SCTP streams and routing their events. */
export class DataChannelRegistry {
  readonly channels = new Set<RTCDataChannel>();
  readonly byId = new Map<number, RTCDataChannel>();
  opened = 0;
  closed = 0;
  /** The peer's a=max-message-size (RFC 8841 6.1: 64 KiB when absent). */
  remoteMaxMessageSize = 65536;
  readonly #target: EventTarget;
  readonly #io: () => TransportIo;
  readonly #isClosed: () => boolean;

  constructor(target: EventTarget, io: () => TransportIo, isClosed: () => boolean) {
    this.#target = target;
    this.#io = io;
    this.#isClosed = isClosed;
  }

  /** A channel the application created: tracked now, bound once SCTP exists. */
  add(channel: RTCDataChannel): void {
    this.channels.add(channel);
    channel.addEventListener('close', () => this.#forget(channel));
  }

  /** Channels still waiting for a stream. */
  unbound(): RTCDataChannel[] {
    return [...this.channels].filter((ch) => ch.id === null || !this.byId.has(ch.id));
  }

  /** RTCPeerConnection.close(): every channel closed at once, without events. */
  closeAll(): void {
    for (const ch of this.channels) ch.markClosedSilently();
    this.channels.clear();
    this.byId.clear();
  }

  link(manager: DataChannelManager): DataChannelLink {
    const io = this.#io();
    const registry = this;
    return {
      send: (id, data) => {
        const result = manager.send(id, data, io.now());
        io.requestFlush();
        return result;
      },
      bufferedAmount: (id) => manager.bufferedAmount(id),
      setBufferedAmountLowThreshold: (id, bytes) => manager.setBufferedAmountLowThreshold(id, bytes),
      close: (id) => io.run(() => manager.close(id)),
      get maxMessageSize() {
        return registry.remoteMaxMessageSize;
      },
    };
  }

  bind(manager: DataChannelManager, channel: RTCDataChannel): void {
    try {
      const info = manager.createChannel({
        label: channel.label,
        protocol: channel.protocol,
        ordered: channel.ordered,
        ...(channel.maxRetransmits !== null ? { maxRetransmits: channel.maxRetransmits } : {}),
        ...(channel.maxPacketLifeTime !== null ? { maxPacketLifeTime: channel.maxPacketLifeTime } : {}),
        negotiated: channel.negotiated,
        ...(channel.id !== null ? { id: channel.id } : {}),
      });
      channel.bind(this.link(manager), info.id);
      this.byId.set(info.id, channel);
      if (info.state === 'open') this.#open(channel);
      this.#io().flush();
    } catch (e) {
      log('cannot create data channel: %s', String(e));
      channel.markClosed(operationError(`cannot open the data channel: ${String(e)}`));
    }
  }

  /** W3C 6.2 announces an open channel from a queued task, never inside createDataChannel. */
  #open(channel: RTCDataChannel, now = false): void {
    const announce = (): void => {
      if (this.#isClosed() || channel.readyState !== 'connecting') return;
      this.opened++;
      channel.markOpen();
    };
    if (now) announce();
    else queueMicrotask(announce);
  }

  #forget(channel: RTCDataChannel): void {
    this.closed++;
    this.channels.delete(channel);
    if (channel.id !== null && this.byId.get(channel.id) === channel) this.byId.delete(channel.id);
  }

  handleEvent(e: DataChannelEvent): void {
    switch (e.type) {
      case 'channel-open': {
        const info = e.channel;
        const manager = this.#io().transport.sctp;
        if (!manager) return;
        const channel = new RTCDataChannel(
          info.label,
          {
            ordered: info.ordered,
            protocol: info.protocol,
            id: info.id,
            ...(info.maxRetransmits !== undefined ? { maxRetransmits: info.maxRetransmits } : {}),
            ...(info.maxPacketLifeTime !== undefined ? { maxPacketLifeTime: info.maxPacketLifeTime } : {}),
          },
          true,
        );
        channel.bind(this.link(manager), info.id);
        this.channels.add(channel);
        this.byId.set(info.id, channel);
        channel.addEventListener('close', () => this.#forget(channel));
        safeDispatch(this.#target, new RTCDataChannelEvent('datachannel', { channel }));
        this.#open(channel, true);
        break;
      }
      case 'channel-opened': {
        const ch = this.byId.get(e.id);
        if (ch) this.#open(ch);
        break;
      }
      case 'message':
        this.byId.get(e.id)?.deliver(e.data, e.binary);
        break;
      case 'buffered-amount-low':
        this.byId.get(e.id)?.bufferedAmountLow();
        break;
      case 'channel-closing':
        this.byId.get(e.id)?.markClosing();
        break;
      case 'channel-closed':
        this.byId.get(e.id)?.markClosed();
        break;
      case 'closed':
      case 'aborted':
        for (const ch of [...this.channels]) if (ch.id !== null && this.byId.has(ch.id)) ch.markClosed();
        break;
      default:
        break;
    }
  }
}
