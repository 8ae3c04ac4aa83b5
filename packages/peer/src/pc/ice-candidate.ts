import { parseCandidate } from '../sdp/candidate.js';
import type { SdpCandidate } from '../sdp/model.js';

/** W3C webrtc-pc 4.8.2 RTCIceCandidateInit. */
export interface RTCIceCandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export type RTCIceCandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** W3C webrtc-pc 4.8.2 RTCIceCandidate: the candidate line plus its fields, read-only. */
export class RTCIceCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
  readonly foundation: string | null = null;
  readonly component: 'rtp' | 'rtcp' | null = null;
  readonly priority: number | null = null;
  readonly address: string | null = null;
  readonly protocol: 'udp' | 'tcp' | null = null;
  readonly port: number | null = null;
  readonly type: RTCIceCandidateType | null = null;
  readonly tcpType: string | null = null;
  readonly relatedAddress: string | null = null;
  readonly relatedPort: number | null = null;

  /** Throws TypeError when both sdpMid and sdpMLineIndex are null (W3C 4.8.2 constructor). */
  constructor(init: RTCIceCandidateInit = {}) {
    const sdpMid = init.sdpMid ?? null;
    const sdpMLineIndex = init.sdpMLineIndex ?? null;
    if (sdpMid === null && sdpMLineIndex === null) {
      throw new TypeError('sdpMid and sdpMLineIndex are both null');
    }
    this.candidate = init.candidate ?? '';
    this.sdpMid = sdpMid;
    this.sdpMLineIndex = sdpMLineIndex;
    this.usernameFragment = init.usernameFragment ?? null;
    let parsed: SdpCandidate | undefined;
    try {
      parsed = this.candidate === '' ? undefined : parseCandidate(this.candidate);
    } catch {
      parsed = undefined;
    }
    if (parsed) {
      this.foundation = parsed.foundation;
      this.component = parsed.component === 1 ? 'rtp' : 'rtcp';
      this.priority = parsed.priority;
      this.address = parsed.address;
      const protocol = parsed.transport.toLowerCase();
      this.protocol = protocol === 'tcp' ? 'tcp' : 'udp';
      this.port = parsed.port;
      this.type = (['host', 'srflx', 'prflx', 'relay'] as const).find((t) => t === parsed.type) ?? null;
      this.tcpType = parsed.tcpType ?? null;
      this.relatedAddress = parsed.relatedAddress ?? null;
      this.relatedPort = parsed.relatedPort ?? null;
      if (this.usernameFragment === null && parsed.ufrag !== undefined) this.usernameFragment = parsed.ufrag;
    }
  }

  toJSON(): RTCIceCandidateInit {
    return {
      candidate: this.candidate,
      sdpMid: this.sdpMid,
      sdpMLineIndex: this.sdpMLineIndex,
      usernameFragment: this.usernameFragment,
    };
  }
}
