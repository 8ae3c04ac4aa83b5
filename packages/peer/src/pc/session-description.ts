import type { RTCSdpType } from '../sdp/signaling-state.js';

/** W3C webrtc-pc 4.8.1 RTCSessionDescriptionInit. */
export interface RTCSessionDescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}

/** W3C webrtc-pc 4.8.1 RTCSessionDescription. */
export class RTCSessionDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;

  constructor(init: RTCSessionDescriptionInit) {
    this.type = init.type;
    this.sdp = init.sdp ?? '';
  }

  toJSON(): RTCSessionDescriptionInit {
    return { type: this.type, sdp: this.sdp };
  }
}
