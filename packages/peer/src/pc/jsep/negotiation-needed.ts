import type { RTCRtpTransceiver } from '../media/transceiver.js';
import type { MLine } from './m-line.js';

export interface NegotiationInputs {
  iceRestartWanted: boolean;
  dataWanted: boolean;
  lines: readonly MLine[];
  transceivers: readonly RTCRtpTransceiver[];
}

/**
 * W3C webrtc-pc 4.7.3 "check if negotiation is needed", for what this stack negotiates: an ICE
 * restart asked for, a first data channel without a data section, a transceiver without a
 * section, a stopped one whose section is still live, a direction changed since the last answer.
 */
export function isNegotiationNeeded(inputs: NegotiationInputs): boolean {
  const { lines } = inputs;
  if (inputs.iceRestartWanted) return true;
  if (inputs.dataWanted && !lines.some((l) => l.data && !l.rejected)) return true;
  for (const t of inputs.transceivers) {
    const line = lines.find((l) => l.transceiver === t);
    if (t.stopped) {
      if (line && !line.rejected) return true;
      continue;
    }
    if (!line) return true;
    if (t.negotiatedDirection !== undefined && t.negotiatedDirection !== t.direction) return true;
  }
  return false;
}
