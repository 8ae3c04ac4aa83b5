import type { RTCDataChannel } from './data-channel.js';
import type { RTCIceCandidate } from './ice-candidate.js';
import type { RTCRtpReceiver } from './media/receiver.js';
import type { MediaStream, RtpTrack } from './media/track.js';
import type { RTCRtpTransceiver } from './media/transceiver.js';

/** W3C webrtc-pc 4.8.3: `icecandidate`; a null candidate marks the end of gathering. */
export class RTCPeerConnectionIceEvent extends Event {
  readonly candidate: RTCIceCandidate | null;
  readonly url: string | null;

  constructor(type: string, init: { candidate?: RTCIceCandidate | null; url?: string | null } = {}) {
    super(type);
    this.candidate = init.candidate ?? null;
    this.url = init.url ?? null;
  }
}

/** W3C webrtc-pc 4.8.4: `icecandidateerror`, a STUN/TURN server that could not be used. */
export class RTCPeerConnectionIceErrorEvent extends Event {
  readonly address: string | null;
  readonly port: number | null;
  readonly url: string;
  readonly errorCode: number;
  readonly errorText: string;

  constructor(
    type: string,
    init: {
      address?: string | null;
      port?: number | null;
      url: string;
      errorCode: number;
      errorText?: string;
    },
  ) {
    super(type);
    this.address = init.address ?? null;
    this.port = init.port ?? null;
    this.url = init.url;
    this.errorCode = init.errorCode;
    this.errorText = init.errorText ?? '';
  }
}

/** W3C webrtc-pc 6.2: `datachannel`. */
export class RTCDataChannelEvent extends Event {
  readonly channel: RTCDataChannel;

  constructor(type: string, init: { channel: RTCDataChannel }) {
    super(type);
    this.channel = init.channel;
  }
}

/** W3C webrtc-pc 5.7: `track`. */
export class RTCTrackEvent extends Event {
  readonly receiver: RTCRtpReceiver;
  readonly track: RtpTrack;
  readonly streams: readonly MediaStream[];
  readonly transceiver: RTCRtpTransceiver;

  constructor(
    type: string,
    init: {
      receiver: RTCRtpReceiver;
      track: RtpTrack;
      streams?: readonly MediaStream[];
      transceiver: RTCRtpTransceiver;
    },
  ) {
    super(type);
    this.receiver = init.receiver;
    this.track = init.track;
    this.streams = init.streams ?? [];
    this.transceiver = init.transceiver;
  }
}

/** W3C webrtc-pc 6.2 RTCErrorEvent (data channel `error`). */
export class RTCErrorEvent extends Event {
  readonly error: DOMException;

  constructor(type: string, init: { error: DOMException }) {
    super(type);
    this.error = init.error;
  }
}
