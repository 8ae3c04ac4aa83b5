import { type RtpHeaderExtension, type RtpPacket, serializeRtp } from '@purertc/srtp';
import type { RtcpOutput, RtcpSession } from '../../src/rtp/rtcp-session.js';

export interface TestRtp {
  seq?: number;
  ssrc?: number;
  payloadType?: number;
  /** Defaults to seq * 3000 (90 kHz video at 30 fps). */
  timestamp?: number;
  payload?: ArrayLike<number>;
  extension?: RtpHeaderExtension;
}

/** An RTP packet object for tests: the fields not given take dull defaults. */
export function rtpPacket(o: TestRtp = {}): RtpPacket {
  const seq = o.seq ?? 1;
  return {
    marker: false,
    payloadType: o.payloadType ?? 96,
    sequenceNumber: seq,
    timestamp: o.timestamp ?? seq * 3000,
    ssrc: o.ssrc ?? 0xabc,
    csrcs: [],
    extension: o.extension,
    payload: Uint8Array.from(o.payload ?? [1]),
    paddingLength: 0,
  };
}

/** The same, serialized. */
export function rtpBytes(o: TestRtp = {}): Uint8Array {
  return serializeRtp(rtpPacket(o));
}

/** Everything an RTCP session has queued for sending. */
export function drainRtcp(s: RtcpSession): RtcpOutput[] {
  const out: RtcpOutput[] = [];
  for (let o = s.pollOutput(); o; o = s.pollOutput()) out.push(o);
  return out;
}
