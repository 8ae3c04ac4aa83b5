import { PacketParseError } from '../parse-error.js';
import { ByteReader } from './bytes.js';
import type { RtcpPacket, RtcpReportBlock, RtcpSdesItem } from './rtcp-types.js';
import { decodeTransportCc } from './transport-cc.js';

const REMB_ID = 0x52454d42; // "REMB"

/**
 * Parses an RTCP compound (RFC 3550 6.1) into its packets. Reduced-size RTCP (RFC 5506) is
 * accepted: the first packet need not be SR/RR and a single feedback packet is a valid datagram.
 * Throws only {@link PacketParseError}.
 */
export function parseRtcp(bytes: Uint8Array): RtcpPacket[] {
  if (bytes.length < 4) throw new PacketParseError('too-short', 'RTCP packet under 4 bytes');
  const out: RtcpPacket[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 4) throw new PacketParseError('too-short', 'trailing bytes after RTCP packet');
    const b0 = bytes[at]!;
    if (b0 >> 6 !== 2) throw new PacketParseError('bad-version', 'RTCP version is not 2');
    const length = (((bytes[at + 2]! << 8) | bytes[at + 3]!) + 1) * 4;
    const end = at + length;
    if (end > bytes.length) throw new PacketParseError('length-overrun', 'RTCP length overruns the datagram');
    let bodyEnd = end;
    if (b0 & 0x20) {
      // RFC 3550 6.4.1: the last octet counts padding octets, itself included.
      const pad = bytes[end - 1]!;
      if (pad === 0 || pad > length - 4) throw new PacketParseError('bad-padding', 'RTCP padding invalid');
      bodyEnd = end - pad;
    }
    out.push(parseOne(bytes[at + 1]!, b0 & 0x1f, new ByteReader(bytes, at + 4, bodyEnd)));
    at = end;
  }
  return out;
}

function parseOne(packetType: number, count: number, r: ByteReader): RtcpPacket {
  switch (packetType) {
    case 200: {
      const ssrc = r.u32();
      const ntpSeconds = r.u32();
      const ntpFraction = r.u32();
      const rtpTimestamp = r.u32();
      const packetCount = r.u32();
      const octetCount = r.u32();
      const reports = readReports(r, count);
      return {
        type: 'sr',
        ssrc,
        ntpSeconds,
        ntpFraction,
        rtpTimestamp,
        packetCount,
        octetCount,
        reports,
        profileExtension: r.rest(),
      };
    }
    case 201: {
      const ssrc = r.u32();
      const reports = readReports(r, count);
      return { type: 'rr', ssrc, reports, profileExtension: r.rest() };
    }
    case 202:
      return { type: 'sdes', chunks: readSdesChunks(r, count) };
    case 203: {
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(r.u32());
      const reason = r.remaining > 0 ? r.take(r.u8()) : undefined;
      return { type: 'bye', ssrcs, reason };
    }
    case 204: {
      const ssrc = r.u32();
      const name = r.take(4);
      return { type: 'app', subtype: count, ssrc, name, data: r.rest() };
    }
    case 205:
      return parseTransportFeedback(count, r);
    case 206:
      return parsePayloadFeedback(count, r);
    case 207: {
      const ssrc = r.u32();
      const blocks = [];
      while (r.remaining > 0) {
        const blockType = r.u8();
        const typeSpecific = r.u8();
        const words = r.u16();
        blocks.push({ blockType, typeSpecific, data: r.take(words * 4) });
      }
      return { type: 'xr', ssrc, blocks };
    }
    default:
      return { type: 'unknown', packetType, count, body: r.rest() };
  }
}

function readReports(r: ByteReader, count: number): RtcpReportBlock[] {
  const reports: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const ssrc = r.u32();
    const fractionLost = r.u8();
    const rawLost = r.u24();
    reports.push({
      ssrc,
      fractionLost,
      packetsLost: rawLost & 0x800000 ? rawLost - 0x1000000 : rawLost,
      highestSequence: r.u32(),
      jitter: r.u32(),
      lastSenderReport: r.u32(),
      delaySinceLastSenderReport: r.u32(),
    });
  }
  return reports;
}

function readSdesChunks(r: ByteReader, count: number): { ssrc: number; items: RtcpSdesItem[] }[] {
  const chunks = [];
  for (let i = 0; i < count; i++) {
    const start = r.offset;
    const ssrc = r.u32();
    const items: RtcpSdesItem[] = [];
    for (;;) {
      const itemType = r.u8();
      // RFC 3550 6.5: a null item ends the list; the chunk then pads to a 32-bit boundary.
      if (itemType === 0) break;
      items.push({ itemType, value: r.take(r.u8()) });
    }
    const used = r.offset - start;
    r.take((4 - (used % 4)) % 4);
    chunks.push({ ssrc, items });
  }
  return chunks;
}

function parseTransportFeedback(format: number, r: ByteReader): RtcpPacket {
  const senderSsrc = r.u32();
  const mediaSsrc = r.u32();
  if (format === 1) {
    // RFC 4585 6.2.1.
    const items = [];
    while (r.remaining > 0) items.push({ packetId: r.u16(), lostBitmask: r.u16() });
    return { type: 'nack', senderSsrc, mediaSsrc, items };
  }
  if (format === 15) return { type: 'twcc', senderSsrc, mediaSsrc, ...decodeTransportCc(r.rest()) };
  return { type: 'rtpfb', format, senderSsrc, mediaSsrc, fci: r.rest() };
}

function parsePayloadFeedback(format: number, r: ByteReader): RtcpPacket {
  const senderSsrc = r.u32();
  const mediaSsrc = r.u32();
  // RFC 4585 6.3.1: PLI has no FCI.
  if (format === 1 && r.remaining === 0) return { type: 'pli', senderSsrc, mediaSsrc };
  if (format === 4) {
    // RFC 5104 4.3.1.1: SSRC, seq nr, 24 reserved bits per entry.
    const entries = [];
    while (r.remaining > 0) {
      const ssrc = r.u32();
      const sequenceNumber = r.u8();
      r.u24();
      entries.push({ ssrc, sequenceNumber });
    }
    return { type: 'fir', senderSsrc, mediaSsrc, entries };
  }
  if (format === 15 && r.remaining >= 8) {
    const fci = r.bytes.subarray(r.offset, r.end);
    const probe = new ByteReader(r.bytes, r.offset, r.end);
    if (probe.u32() === REMB_ID) {
      const numSsrc = probe.u8();
      const expMantissa = probe.u24();
      const bitrate = (expMantissa & 0x3ffff) * 2 ** (expMantissa >>> 18);
      const ssrcs: number[] = [];
      for (let i = 0; i < numSsrc; i++) ssrcs.push(probe.u32());
      return { type: 'remb', senderSsrc, mediaSsrc, bitrate, ssrcs };
    }
    return { type: 'psfb', format, senderSsrc, mediaSsrc, fci };
  }
  return { type: 'psfb', format, senderSsrc, mediaSsrc, fci: r.rest() };
}
