import { randomUUID } from 'node:crypto';
import { type RtpPacket, serializeRtp } from '@purertc/srtp';
import { rtpLayout } from '../../rtp/rtp-rewrite.js';
import { EventHandlerSlots, safeDispatch } from '../event-handlers.js';

/** An RTP packet arriving on a receiver's track: `packet` parsed, `data` the whole datagram payload. */
export class RtpPacketEvent extends Event {
  readonly packet: RtpPacket;
  readonly data: Uint8Array;

  constructor(type: string, init: { packet: RtpPacket; data: Uint8Array }) {
    super(type);
    this.packet = init.packet;
    this.data = init.data;
  }
}

type RtpSink = (packet: Uint8Array) => void;

/**
 * A MediaStreamTrack at the RTP level (no codecs here). A local track is written with
 * `writeRtp`, and every sender it is attached to sends the packet with its own SSRC; a remote
 * track (a receiver's) fires `rtp` events for the packets routed to it.
 */
export class RtpTrack extends EventTarget {
  readonly id: string;
  readonly kind: 'audio' | 'video';
  readonly label: string;
  enabled = true;
  #rid: string | undefined;
  #readyState: 'live' | 'ended' = 'live';
  #muted = false;
  readonly #sinks = new Set<RtpSink>();
  readonly #handlers = new EventHandlerSlots(this);

  constructor(kind: 'audio' | 'video', options: { id?: string; label?: string } = {}) {
    super();
    this.kind = kind;
    this.id = options.id ?? randomUUID();
    this.label = options.label ?? '';
  }

  /**
   * Node-only: the RID (RFC 8851) of the simulcast layer a receiver's track carries, as werift
   * names it; undefined for a track that is not one layer of a simulcast reception.
   */
  get rid(): string | undefined {
    return this.#rid;
  }

  /** @internal The receiver names the layer this track carries. */
  setRid(rid: string | undefined): void {
    this.#rid = rid;
  }

  get readyState(): 'live' | 'ended' {
    return this.#readyState;
  }
  get muted(): boolean {
    return this.#muted;
  }
  get onrtp(): ((event: RtpPacketEvent) => void) | null {
    return this.#handlers.get('rtp');
  }
  set onrtp(handler: ((event: RtpPacketEvent) => void) | null) {
    this.#handlers.set('rtp', handler);
  }
  get onmute(): ((event: Event) => void) | null {
    return this.#handlers.get('mute');
  }
  set onmute(handler: ((event: Event) => void) | null) {
    this.#handlers.set('mute', handler);
  }
  get onunmute(): ((event: Event) => void) | null {
    return this.#handlers.get('unmute');
  }
  set onunmute(handler: ((event: Event) => void) | null) {
    this.#handlers.set('unmute', handler);
  }
  get onended(): ((event: Event) => void) | null {
    return this.#handlers.get('ended');
  }
  set onended(handler: ((event: Event) => void) | null) {
    this.#handlers.set('ended', handler);
  }

  /**
   * Sends one RTP packet (bytes or a packet object) through every sender this track is attached
   * to. Sequence numbers, timestamps and payload type are the application's; the sender sets its
   * SSRC. Throws TypeError for bytes that are not RTP.
   */
  writeRtp(packet: RtpPacket | Uint8Array): void {
    if (this.#readyState === 'ended' || !this.enabled) return;
    let bytes: Uint8Array;
    if (packet instanceof Uint8Array) {
      // Checked without parsing into an object: a forwarder writes every packet to many tracks.
      if (!rtpLayout(packet)) throw new TypeError('not an RTP packet');
      bytes = packet;
    } else {
      bytes = serializeRtp(packet);
    }
    for (const sink of this.#sinks) sink(bytes);
  }

  stop(): void {
    if (this.#readyState === 'ended') return;
    this.#readyState = 'ended';
    this.#sinks.clear();
  }

  clone(): RtpTrack {
    return new RtpTrack(this.kind, { label: this.label });
  }

  /** @internal A sender starts receiving this track's packets. */
  attachSink(sink: RtpSink): void {
    this.#sinks.add(sink);
  }

  /** @internal */
  detachSink(sink: RtpSink): void {
    this.#sinks.delete(sink);
  }

  /** @internal A receiver delivers a decrypted packet; media flowing again unmutes the track. */
  deliver(packet: RtpPacket, data: Uint8Array): void {
    if (this.#readyState === 'ended') return;
    if (this.#muted) this.setMuted(false);
    safeDispatch(this, new RtpPacketEvent('rtp', { packet, data }));
  }

  /**
   * @internal mediacapture-main 4.3.1 muted / mute / unmute: a receiver's track is muted when the
   * remote ends its stream with an RTCP BYE (RFC 3550 6.6) and unmuted by the next packet.
   */
  setMuted(muted: boolean): void {
    if (this.#readyState === 'ended' || this.#muted === muted) return;
    this.#muted = muted;
    safeDispatch(this, new Event(muted ? 'mute' : 'unmute'));
  }

  /** @internal The remote side stopped sending (or the connection closed). */
  end(): void {
    if (this.#readyState === 'ended') return;
    this.#readyState = 'ended';
    this.#sinks.clear();
    safeDispatch(this, new Event('ended'));
  }
}

/** The part of MediaStream that msid signalling needs (RFC 8830). */
export class MediaStream {
  readonly id: string;
  readonly #tracks: RtpTrack[] = [];

  constructor(idOrTracks?: string | readonly RtpTrack[]) {
    this.id = typeof idOrTracks === 'string' ? idOrTracks : randomUUID();
    if (idOrTracks !== undefined && typeof idOrTracks !== 'string') this.#tracks.push(...idOrTracks);
  }

  getTracks(): RtpTrack[] {
    return [...this.#tracks];
  }
  getAudioTracks(): RtpTrack[] {
    return this.#tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): RtpTrack[] {
    return this.#tracks.filter((t) => t.kind === 'video');
  }
  addTrack(track: RtpTrack): void {
    if (!this.#tracks.includes(track)) this.#tracks.push(track);
  }
  removeTrack(track: RtpTrack): void {
    const i = this.#tracks.indexOf(track);
    if (i >= 0) this.#tracks.splice(i, 1);
  }
}
