import { PacketParseError } from '../parse-error.js';
import { ByteReader, ByteWriter } from './bytes.js';

/**
 * Packet status symbols of draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1.1:
 * 0 not received, 1 received with a small delta, 2 received with a large or negative delta.
 */
export type TransportCcStatus = 0 | 1 | 2 | 3;

export interface TransportCcPacketStatus {
  sequenceNumber: number;
  status: TransportCcStatus;
  /** Receive delta in 250 microsecond units; present for statuses 1 and 2. */
  delta?: number;
}

/** The FCI of a transport-wide congestion control feedback message (RTPFB FMT 15). */
export interface TransportCcFeedback {
  baseSequenceNumber: number;
  /** Signed, in multiples of 64 ms. */
  referenceTime: number;
  feedbackPacketCount: number;
  packets: TransportCcPacketStatus[];
}

export function decodeTransportCc(fci: Uint8Array): TransportCcFeedback {
  const r = new ByteReader(fci);
  const baseSequenceNumber = r.u16();
  const count = r.u16();
  const rawRef = r.u24();
  const referenceTime = rawRef & 0x800000 ? rawRef - 0x1000000 : rawRef;
  const feedbackPacketCount = r.u8();
  const statuses: TransportCcStatus[] = [];
  // Section 3.1.2-3.1.4: chunks until every announced packet has a status.
  while (statuses.length < count) {
    const chunk = r.u16();
    if ((chunk & 0x8000) === 0) {
      const status = ((chunk >> 13) & 3) as TransportCcStatus;
      const run = chunk & 0x1fff;
      if (run === 0) throw new PacketParseError('bad-field', 'transport-cc run length of 0');
      for (let i = 0; i < run && statuses.length < count; i++) statuses.push(status);
    } else if ((chunk & 0x4000) === 0) {
      for (let i = 13; i >= 0 && statuses.length < count; i--)
        statuses.push(((chunk >> i) & 1) as TransportCcStatus);
    } else {
      for (let i = 12; i >= 0 && statuses.length < count; i -= 2) {
        statuses.push(((chunk >> i) & 3) as TransportCcStatus);
      }
    }
  }
  const packets: TransportCcPacketStatus[] = statuses.map((status, i) => {
    const sequenceNumber = (baseSequenceNumber + i) & 0xffff;
    if (status === 1) return { sequenceNumber, status, delta: r.u8() };
    if (status === 2) return { sequenceNumber, status, delta: r.i16() };
    return { sequenceNumber, status };
  });
  return { baseSequenceNumber, referenceTime, feedbackPacketCount, packets };
}

/** Encodes with run-length chunks for runs of 7 or more and two-bit vectors otherwise. */
export function encodeTransportCc(fb: TransportCcFeedback): Uint8Array {
  const w = new ByteWriter();
  const n = fb.packets.length;
  if (n > 0xffff) throw new RangeError('too many transport-cc statuses');
  w.u16(fb.baseSequenceNumber)
    .u16(n)
    .u24(fb.referenceTime & 0xffffff)
    .u8(fb.feedbackPacketCount);
  const s = fb.packets.map((p) => p.status);
  let i = 0;
  while (i < n) {
    let run = 1;
    while (i + run < n && s[i + run] === s[i] && run < 0x1fff) run++;
    if (run >= 7 || i + run === n) {
      w.u16((s[i]! << 13) | run);
      i += run;
      continue;
    }
    let chunk = 0xc000;
    for (let k = 0; k < 7; k++) chunk |= (i + k < n ? s[i + k]! : 0) << (12 - 2 * k);
    w.u16(chunk);
    i += 7;
  }
  for (const p of fb.packets) {
    if (p.status === 1) w.u8(p.delta ?? 0);
    else if (p.status === 2) w.i16(p.delta ?? 0);
  }
  return w.padTo4().finish();
}
