import { invalidModificationError, invalidStateError } from '../../errors.js';
import { RID_ID } from '../../sdp/attributes/rid.js';
import type { SdpCodec } from '../../sdp/codecs.js';
import type { MediaDirection } from '../../sdp/model.js';
import { codecToCapability, defaultCodecs, type RTCRtpCodec } from './default-codecs.js';
import { RTCRtpReceiver } from './receiver.js';
import type { RTCRtpSender } from './sender.js';

export type RTCRtpTransceiverDirection = MediaDirection | 'stopped';

/** W3C webrtc-pc 5.4 RTCRtpTransceiver. */
export class RTCRtpTransceiver {
  readonly sender: RTCRtpSender;
  readonly receiver: RTCRtpReceiver;
  readonly kind: 'audio' | 'video';
  #mid: string | null = null;
  #direction: RTCRtpTransceiverDirection;
  #currentDirection: RTCRtpTransceiverDirection | null = null;
  #codecPreferences: SdpCodec[] = [];
  #stopped = false;
  #simulcastReceive: readonly string[] = [];
  readonly #onChange: () => void;
  /** @internal The track event fired for the current remote sending period. */
  trackFired = false;
  /** @internal Negotiated receive payload types and mid extension id. */
  negotiatedCodecs: SdpCodec[] = [];
  midExtensionId: number | undefined;
  /** @internal The direction the last completed negotiation was based on. */
  negotiatedDirection: RTCRtpTransceiverDirection | undefined;
  /** @internal Created by setRemoteDescription (removed again by a rollback). */
  createdByRemote = false;
  /** @internal W3C [[Sender]].[[LastStableStateSenderTransport]]: whether it ever sent. */
  get usedToSend(): boolean {
    return this.currentDirection === 'sendrecv' || this.currentDirection === 'sendonly';
  }

  constructor(
    kind: 'audio' | 'video',
    direction: MediaDirection,
    sender: RTCRtpSender,
    onChange: () => void,
  ) {
    this.kind = kind;
    this.#direction = direction;
    this.sender = sender;
    this.receiver = new RTCRtpReceiver(kind);
    this.#onChange = onChange;
  }

  get mid(): string | null {
    return this.#mid;
  }
  get direction(): RTCRtpTransceiverDirection {
    return this.#direction;
  }
  /** Changing the direction makes negotiation needed (W3C 5.4). */
  set direction(value: RTCRtpTransceiverDirection) {
    if (this.#stopped) throw invalidStateError('the transceiver is stopped');
    if (value === 'stopped') throw new TypeError('use stop() to stop a transceiver');
    if (!['sendrecv', 'sendonly', 'recvonly', 'inactive'].includes(value)) {
      throw new TypeError(`invalid direction ${String(value)}`);
    }
    if (value === this.#direction) return;
    this.#direction = value;
    this.#onChange();
  }
  get currentDirection(): RTCRtpTransceiverDirection | null {
    return this.#currentDirection;
  }
  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#direction = 'stopped';
    this.sender.setOutput(undefined);
    this.receiver.endTracks();
    this.#onChange();
  }

  /**
   * Node-only: ask the remote to send simulcast on this transceiver, one layer per RID (RFC 8853
   * 5.2: our offer carries `a=rid:<id> recv` and `a=simulcast:recv`). Call before createOffer;
   * the layers the answer accepts become `receiver.tracks`, one `track` event each. An empty list
   * asks for no simulcast. TypeError for a malformed or repeated RID (RFC 8851 10).
   */
  setSimulcastReceive(rids: readonly string[]): void {
    if (this.#stopped) throw invalidStateError('the transceiver is stopped');
    for (const [i, rid] of rids.entries()) {
      if (typeof rid !== 'string' || !RID_ID.test(rid) || rids.indexOf(rid) !== i) {
        throw new TypeError(`invalid or repeated rid ${String(rid)}`);
      }
    }
    this.#simulcastReceive = [...rids];
    this.#onChange();
  }

  /** Node-only: the RIDs `setSimulcastReceive` asked for. */
  get simulcastReceive(): readonly string[] {
    return this.#simulcastReceive;
  }

  /** W3C 5.4 setCodecPreferences: codecs from getCapabilities in the preferred order; [] resets. */
  setCodecPreferences(codecs: readonly RTCRtpCodec[]): void {
    const supported = defaultCodecs(this.kind);
    const chosen: SdpCodec[] = [];
    for (const wanted of codecs) {
      const match = supported.find(
        (c) =>
          codecToCapability(this.kind, c).mimeType.toLowerCase() === wanted.mimeType.toLowerCase() &&
          c.clockRate === wanted.clockRate &&
          (wanted.sdpFmtpLine === undefined || wanted.sdpFmtpLine === c.parameters),
      );
      if (!match) throw invalidModificationError(`codec ${wanted.mimeType} is not supported`);
      if (!chosen.includes(match)) chosen.push(match);
    }
    this.#codecPreferences = chosen;
  }

  /** @internal What we offer or accept: preferences, else every supported codec. */
  localCodecs(): readonly SdpCodec[] {
    return this.#codecPreferences.length > 0 ? this.#codecPreferences : defaultCodecs(this.kind);
  }

  /** @internal */
  setMid(mid: string | null): void {
    this.#mid = mid;
  }

  /** @internal */
  setCurrentDirection(direction: RTCRtpTransceiverDirection | null): void {
    this.#currentDirection = direction;
  }

  /** @internal A transceiver stopped by the remote (port 0). */
  markStopped(): void {
    this.#stopped = true;
    this.#direction = 'stopped';
    this.#currentDirection = 'stopped';
    this.sender.setOutput(undefined);
    this.receiver.endTracks();
  }
}

/** W3C webrtc-pc 5.2 RTCRtpSender.getCapabilities / RTCRtpReceiver.getCapabilities. */
export function getRtpCapabilities(
  kind: string,
): { codecs: RTCRtpCodec[]; headerExtensions: { uri: string }[] } | null {
  if (kind !== 'audio' && kind !== 'video') return null;
  return { codecs: defaultCodecs(kind).map((c) => codecToCapability(kind, c)), headerExtensions: [] };
}
