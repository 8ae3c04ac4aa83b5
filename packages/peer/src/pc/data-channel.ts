import type { ChannelSendResult } from '@purertc/sctp';
import { invalidStateError, operationError, syntaxError } from '../errors.js';
import { EventHandlerSlots, safeDispatch } from './event-handlers.js';
import { RTCErrorEvent } from './events.js';

/** W3C webrtc-pc 6.2 RTCDataChannelInit. */
export interface RTCDataChannelInit {
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  protocol?: string;
  negotiated?: boolean;
  id?: number;
  /** RFC 8832 5.1 priority; 'low' | 'medium' | 'high' in RTCPriorityType terms. */
  priority?: 'very-low' | 'low' | 'medium' | 'high';
}

export type RTCDataChannelState = 'connecting' | 'open' | 'closing' | 'closed';

/**
 * W3C `binaryType`: 'arraybuffer' (the default here as in browsers' RTCDataChannel), 'blob', or
 * the Node-only 'nodebuffer' which hands over the received Buffer without a copy.
 */
export type BinaryType = 'arraybuffer' | 'blob' | 'nodebuffer';

/** What a channel needs from its connection; the connection binds it once SCTP exists. */
export interface DataChannelLink {
  send(id: number, data: string | Uint8Array): ChannelSendResult;
  bufferedAmount(id: number): number;
  setBufferedAmountLowThreshold(id: number, bytes: number): void;
  close(id: number): void;
  /** The largest message the peer accepts (RFC 8841 6). */
  readonly maxMessageSize: number;
}

type Payload = string | Uint8Array;
const encoder = new TextEncoder();

function byteLength(data: Payload): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
}

/** W3C webrtc-pc 6.2 RTCDataChannel over an RFC 8831 data channel. */
export class RTCDataChannel extends EventTarget {
  readonly label: string;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly priority: string;
  #id: number | null;
  #readyState: RTCDataChannelState = 'connecting';
  #binaryType: BinaryType = 'arraybuffer';
  #threshold = 0;
  #link: DataChannelLink | undefined;
  /** Bytes accepted by send() while the channel had no stream yet, or behind a Blob being read. */
  #queued: (Payload | Promise<Uint8Array>)[] = [];
  #queuedBytes = 0;
  #draining = false;
  /** bufferedAmount keeps its last value once closed (W3C 6.2). */
  #finalBuffered = 0;
  readonly #handlers = new EventHandlerSlots(this);
  /** Counters for getStats (W3C webrtc-stats 7.9 RTCDataChannelStats). */
  messagesSent = 0;
  bytesSent = 0;
  messagesReceived = 0;
  bytesReceived = 0;

  /** @internal Use RTCPeerConnection.createDataChannel. */
  constructor(label: string, init: RTCDataChannelInit, remote = false) {
    super();
    if (Buffer.byteLength(label, 'utf8') > 65535) throw new TypeError('label longer than 65535 bytes');
    const protocol = init.protocol ?? '';
    if (Buffer.byteLength(protocol, 'utf8') > 65535) throw new TypeError('protocol longer than 65535 bytes');
    if (init.maxPacketLifeTime !== undefined && init.maxRetransmits !== undefined) {
      throw new TypeError('maxPacketLifeTime and maxRetransmits are mutually exclusive');
    }
    if (init.negotiated && init.id === undefined) throw new TypeError('a negotiated channel needs an id');
    if (init.id !== undefined && (init.id < 0 || init.id > 65534 || !Number.isInteger(init.id))) {
      throw new TypeError('id must be an integer in 0..65534');
    }
    this.label = label;
    this.ordered = init.ordered ?? true;
    this.maxPacketLifeTime = init.maxPacketLifeTime ?? null;
    this.maxRetransmits = init.maxRetransmits ?? null;
    this.protocol = protocol;
    this.negotiated = init.negotiated ?? false;
    this.priority = init.priority ?? 'low';
    this.#id = init.negotiated || remote ? (init.id ?? null) : null;
  }

  get id(): number | null {
    return this.#id;
  }
  get readyState(): RTCDataChannelState {
    return this.#readyState;
  }
  get bufferedAmount(): number {
    if (this.#readyState === 'closed') return this.#finalBuffered;
    const inStack = this.#link && this.#id !== null ? this.#link.bufferedAmount(this.#id) : 0;
    return inStack + this.#queuedBytes;
  }
  get bufferedAmountLowThreshold(): number {
    return this.#threshold;
  }
  set bufferedAmountLowThreshold(value: number) {
    this.#threshold = Math.max(0, Math.floor(value)) >>> 0;
    if (this.#link && this.#id !== null) this.#link.setBufferedAmountLowThreshold(this.#id, this.#threshold);
  }
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    if (value !== 'arraybuffer' && value !== 'blob' && value !== 'nodebuffer') {
      throw syntaxError(`binaryType ${String(value)} is not supported`);
    }
    this.#binaryType = value;
  }

  get onopen(): ((event: Event) => void) | null {
    return this.#handlers.get('open');
  }
  set onopen(h: ((event: Event) => void) | null) {
    this.#handlers.set('open', h);
  }
  get onmessage(): ((event: MessageEvent) => void) | null {
    return this.#handlers.get('message');
  }
  set onmessage(h: ((event: MessageEvent) => void) | null) {
    this.#handlers.set('message', h);
  }
  get onbufferedamountlow(): ((event: Event) => void) | null {
    return this.#handlers.get('bufferedamountlow');
  }
  set onbufferedamountlow(h: ((event: Event) => void) | null) {
    this.#handlers.set('bufferedamountlow', h);
  }
  get onerror(): ((event: RTCErrorEvent) => void) | null {
    return this.#handlers.get('error');
  }
  set onerror(h: ((event: RTCErrorEvent) => void) | null) {
    this.#handlers.set('error', h);
  }
  get onclosing(): ((event: Event) => void) | null {
    return this.#handlers.get('closing');
  }
  set onclosing(h: ((event: Event) => void) | null) {
    this.#handlers.set('closing', h);
  }
  get onclose(): ((event: Event) => void) | null {
    return this.#handlers.get('close');
  }
  set onclose(h: ((event: Event) => void) | null) {
    this.#handlers.set('close', h);
  }

  /**
   * W3C 6.2 send(): InvalidStateError unless open; TypeError past the peer's max-message-size;
   * OperationError when the send buffer is full. A Blob is read first; later sends wait behind it.
   */
  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void {
    if (this.#readyState !== 'open') throw invalidStateError(`data channel is ${this.#readyState}`);
    const max = this.#link?.maxMessageSize ?? 65536;
    if (typeof data === 'string') {
      this.#checkSize(Buffer.byteLength(data, 'utf8'), max);
      this.#enqueue(data);
    } else if (data instanceof ArrayBuffer) {
      this.#checkSize(data.byteLength, max);
      this.#enqueue(new Uint8Array(data));
    } else if (ArrayBuffer.isView(data)) {
      this.#checkSize(data.byteLength, max);
      this.#enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } else if (data instanceof Blob) {
      this.#checkSize(data.size, max);
      this.#queued.push(data.arrayBuffer().then((b) => new Uint8Array(b)));
      this.#queuedBytes += data.size;
      void this.#drainQueue();
    } else {
      throw new TypeError('data must be a string, Blob, ArrayBuffer or ArrayBufferView');
    }
  }

  close(): void {
    if (this.#readyState === 'closing' || this.#readyState === 'closed') return;
    this.#readyState = 'closing';
    if (this.#link && this.#id !== null) this.#link.close(this.#id);
    else this.markClosed();
  }

  #checkSize(size: number, max: number): void {
    // RFC 8841 6: 0 means the peer accepts any size.
    if (max > 0 && size > max)
      throw new TypeError(`message of ${size} bytes exceeds max-message-size ${max}`);
  }

  #enqueue(data: Payload): void {
    if (this.#queued.length > 0 || !this.#link || this.#id === null) {
      this.#queued.push(data);
      this.#queuedBytes += byteLength(data);
      return;
    }
    this.#sendNow(data);
  }

  #sendNow(data: Payload): void {
    const result = this.#link!.send(this.#id!, data);
    if (result === 'ok') {
      this.messagesSent++;
      this.bytesSent += byteLength(data);
      return;
    }
    if (result === 'buffer-full') throw operationError('the send buffer is full');
    if (result === 'too-large') throw new TypeError('message exceeds the maximum message size');
    throw operationError(`cannot send: ${result}`);
  }

  async #drainQueue(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#queued.length > 0 && this.#link && this.#id !== null) {
        const head = this.#queued[0]!;
        const data = head instanceof Promise ? await head : head;
        this.#queued.shift();
        this.#queuedBytes -= byteLength(data);
        if (this.#readyState !== 'open') continue;
        try {
          this.#sendNow(data);
        } catch (e) {
          this.#fail(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  #fail(error: unknown): void {
    const dom = error instanceof DOMException ? error : operationError(String(error));
    safeDispatch(this, new RTCErrorEvent('error', { error: dom }));
  }

  // ---- called by the connection ----

  /** @internal The stream this channel uses now exists. */
  bind(link: DataChannelLink, id: number): void {
    this.#link = link;
    this.#id = id;
    if (this.#threshold > 0) link.setBufferedAmountLowThreshold(id, this.#threshold);
  }

  /** @internal */
  markOpen(): void {
    if (this.#readyState !== 'connecting') return;
    this.#readyState = 'open';
    safeDispatch(this, new Event('open'));
    void this.#drainQueue();
  }

  /** @internal */
  deliver(data: string | Buffer, binary: boolean): void {
    if (this.#readyState !== 'open' && this.#readyState !== 'closing') return;
    this.messagesReceived++;
    this.bytesReceived += typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
    let value: string | ArrayBuffer | Blob | Buffer;
    if (!binary) value = typeof data === 'string' ? data : data.toString('utf8');
    else {
      const bytes = typeof data === 'string' ? Buffer.from(encoder.encode(data)) : data;
      if (this.#binaryType === 'nodebuffer') value = bytes;
      else if (this.#binaryType === 'blob') value = new Blob([bytes]);
      else value = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }
    safeDispatch(this, new MessageEvent('message', { data: value }));
  }

  /** @internal */
  bufferedAmountLow(): void {
    safeDispatch(this, new Event('bufferedamountlow'));
  }

  /** @internal The peer began closing (RFC 8831 6.7). */
  markClosing(): void {
    if (this.#readyState === 'closed' || this.#readyState === 'closing') return;
    this.#readyState = 'closing';
    safeDispatch(this, new Event('closing'));
  }

  /** @internal RTCPeerConnection.close(): closed at once, without events (W3C 4.4.1.? close). */
  markClosedSilently(): void {
    if (this.#readyState === 'closed') return;
    this.#finalBuffered = this.bufferedAmount;
    this.#readyState = 'closed';
    this.#queued = [];
    this.#queuedBytes = 0;
  }

  /** @internal */
  markClosed(error?: DOMException): void {
    if (this.#readyState === 'closed') return;
    this.#finalBuffered = this.bufferedAmount;
    this.#readyState = 'closed';
    this.#queued = [];
    this.#queuedBytes = 0;
    if (error) safeDispatch(this, new RTCErrorEvent('error', { error }));
    safeDispatch(this, new Event('close'));
  }
}
