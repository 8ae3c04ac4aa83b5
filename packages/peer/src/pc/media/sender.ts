import { randomBytes } from 'node:crypto';
import { invalidModificationError, invalidStateError } from '../../errors.js';
import { rewriteRtp } from '../../rtp/rtp-rewrite.js';
import type { SdpCodec } from '../../sdp/codecs.js';
import { safeDispatch } from '../event-handlers.js';
import { codecToCapability, EXT_MID, type RTCRtpCodec } from './default-codecs.js';
import type { RtpTrack } from './track.js';

/**
 * Node-only: the remote asked for a keyframe of what this sender sends, by PLI (RFC 4585 6.3.1)
 * or FIR (RFC 5104 4.3.1). An SFU forwards it upstream; an encoder produces a keyframe.
 */
export class KeyFrameRequestEvent extends Event {
  readonly method: 'pli' | 'fir';
  constructor(method: 'pli' | 'fir') {
    super('keyframerequest');
    this.method = method;
  }
}

/** W3C webrtc-pc 5.2.1 RTCRtpSendParameters, the parts we implement. */
export interface RTCRtpSendParameters {
  transactionId: string;
  encodings: { ssrc: number; rtx?: { ssrc: number }; active: boolean }[];
  codecs: (RTCRtpCodec & { payloadType: number })[];
  headerExtensions: { uri: string; id: number }[];
  rtcp: { cname: string; reducedSize: boolean };
}

function random32(): number {
  return randomBytes(4).readUInt32BE(0);
}

/**
 * W3C webrtc-pc 5.2 RTCRtpSender. Packets written to its track leave with this sender's SSRC once
 * the transceiver's negotiated direction includes sending and SRTP is up.
 */
export class RTCRtpSender extends EventTarget {
  readonly kind: 'audio' | 'video';
  /** RFC 3550 8: a random SSRC per sender. */
  readonly ssrc: number = random32();
  readonly rtxSsrc: number = random32();
  #track: RtpTrack | null = null;
  #streamIds: string[] = [];
  #codecs: SdpCodec[] = [];
  #extensions: { uri: string; id: number }[] = [];
  #transactionId = '';
  #cname: string;
  #output: ((packet: Uint8Array) => boolean) | undefined;
  /** The mid and its negotiated header extension id, when the MID extension was agreed. */
  #midExtension: { id: number; value: Uint8Array } | undefined;
  #active = true;
  packetsSent = 0;
  bytesSent = 0;
  /**
   * @internal Called when the sender stops sending (direction renegotiated away, transceiver
   * stopped, connection closed), so that RTCP can say BYE for its SSRCs (RFC 3550 6.6).
   */
  onStreamEnd: (() => void) | undefined;
  /** Node-only handler for `keyframerequest` (also dispatched as an event on the sender and its track). */
  onkeyframerequest: ((event: KeyFrameRequestEvent) => void) | null = null;
  readonly #sink = (packet: Uint8Array): void => {
    this.sendRtp(packet);
  };

  constructor(
    kind: 'audio' | 'video',
    cname: string,
    track: RtpTrack | null = null,
    streamIds: string[] = [],
  ) {
    super();
    this.kind = kind;
    this.#cname = cname;
    this.#streamIds = streamIds;
    this.#setTrack(track);
  }

  get track(): RtpTrack | null {
    return this.#track;
  }

  /** @internal msid stream ids. */
  get streamIds(): readonly string[] {
    return this.#streamIds;
  }

  get cname(): string {
    return this.#cname;
  }

  setStreams(...streams: { id: string }[]): void {
    this.#streamIds = streams.map((s) => s.id);
  }

  /** W3C 5.2 replaceTrack: no renegotiation; the new track's packets go out under the same SSRC. */
  async replaceTrack(track: RtpTrack | null): Promise<void> {
    if (track !== null && track.kind !== this.kind)
      throw new TypeError('track kind does not match the sender');
    this.#setTrack(track);
  }

  getParameters(): RTCRtpSendParameters {
    this.#transactionId = randomBytes(8).toString('hex');
    const hasRtx = this.#codecs.some((c) => c.name.toLowerCase() === 'rtx');
    return {
      transactionId: this.#transactionId,
      encodings: [
        { ssrc: this.ssrc, ...(hasRtx ? { rtx: { ssrc: this.rtxSsrc } } : {}), active: this.#active },
      ],
      codecs: this.#codecs.map((c) => ({ payloadType: c.payloadType, ...codecToCapability(this.kind, c) })),
      headerExtensions: [...this.#extensions],
      rtcp: { cname: this.#cname, reducedSize: true },
    };
  }

  /** Only `encodings[0].active` may change (W3C 5.2 setParameters). */
  async setParameters(parameters: RTCRtpSendParameters): Promise<void> {
    if (parameters.transactionId !== this.#transactionId || this.#transactionId === '') {
      throw invalidStateError('getParameters() was not called first or the transaction id is stale');
    }
    if (parameters.encodings.length !== 1)
      throw invalidModificationError('encodings cannot be added or removed');
    this.#active = parameters.encodings[0]!.active;
    this.#transactionId = '';
  }

  /**
   * Sends one RTP packet with this sender's SSRC (bytes 8-11 rewritten on a copy). False when
   * nothing went out (not negotiated, inactive, or transport not ready).
   */
  sendRtp(packet: Uint8Array): boolean {
    if (!this.#output || !this.#active || packet.length < 12) return false;
    // RFC 9143 9.2 / RFC 8843: a bundled RTP packet names its m= section with the MID extension.
    const copy = rewriteRtp(packet, this.ssrc, this.#midExtension);
    if (!copy) return false;
    const ok = this.#output(copy);
    if (ok) {
      this.packetsSent++;
      this.bytesSent += copy.length;
    }
    return ok;
  }

  /** @internal A PLI or FIR for this sender's SSRC arrived. */
  keyFrameRequested(method: 'pli' | 'fir'): void {
    const event = new KeyFrameRequestEvent(method);
    try {
      this.onkeyframerequest?.(event);
    } catch {
      // an application handler's exception must not reach the RTCP path
    }
    safeDispatch(this, event);
    if (this.#track) safeDispatch(this.#track, new KeyFrameRequestEvent(method));
  }

  /** @internal Negotiated codecs and extensions (from the answer). */
  setNegotiated(codecs: SdpCodec[], extensions: { uri: string; id: number }[], mid?: string): void {
    this.#codecs = codecs;
    this.#extensions = extensions;
    const id = extensions.find((e) => e.uri === EXT_MID)?.id;
    this.#midExtension =
      id !== undefined && mid !== undefined ? { id, value: new TextEncoder().encode(mid) } : undefined;
  }

  /** @internal Where packets go; undefined while the direction does not include sending. */
  setOutput(output: ((packet: Uint8Array) => boolean) | undefined): void {
    const ended = this.#output !== undefined && output === undefined;
    this.#output = output;
    if (ended) this.onStreamEnd?.();
  }

  /** @internal The negotiated id of a header extension, by URI. */
  extensionId(uri: string): number | undefined {
    return this.#extensions.find((e) => e.uri === uri)?.id;
  }

  /** @internal The negotiated header extensions (the same ids both ways in a bundle, RFC 8285 6). */
  get negotiatedExtensions(): readonly { uri: string; id: number }[] {
    return this.#extensions;
  }

  #setTrack(track: RtpTrack | null): void {
    this.#track?.detachSink(this.#sink);
    this.#track = track;
    track?.attachSink(this.#sink);
  }
}
