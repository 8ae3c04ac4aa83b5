import type { RTCRtpTransceiver } from '../media/transceiver.js';

/** One m= section position of the session, in order (RFC 9429 5.2.2: positions never move). */
export interface MLine {
  mid: string;
  kind: string;
  /** The RTP transceiver bound to this position, for audio and video. */
  transceiver?: RTCRtpTransceiver;
  /** The data section (RFC 8841). */
  data?: boolean;
  /** Port 0: the section is rejected or stopped and may be recycled. */
  rejected: boolean;
}

/** The transport half of every section we write. */
export interface LocalTransportParameters {
  ufrag: string;
  pwd: string;
  fingerprints: { algorithm: string; value: string }[];
}

/** RFC 9429 5.2.1: mids we generate are small decimal numbers not used before. */
export function nextMid(used: Iterable<string>): string {
  const taken = new Set(used);
  for (let i = 0; ; i++) if (!taken.has(String(i))) return String(i);
}
