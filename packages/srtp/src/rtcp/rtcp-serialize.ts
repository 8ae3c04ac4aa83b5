import { ByteWriter } from './bytes.js';
import type { RtcpPacket, RtcpReportBlock } from './rtcp-types.js';
import { encodeTransportCc } from './transport-cc.js';

/** Serializes packets into one compound datagram (RFC 3550 6.1), without padding. */
export function serializeRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const w = new ByteWriter();
  for (const p of packets) writeOne(w, p);
  return w.finish();
}

function header(w: ByteWriter, count: number, packetType: number): number {
  if (count < 0 || count > 31) throw new RangeError(`RTCP count ${count} does not fit 5 bits`);
  const start = w.length;
  w.u8(0x80 | count)
    .u8(packetType)
    .u16(0);
  return start;
}

function finishLength(w: ByteWriter, start: number): void {
  const unaligned = (w.length - start) % 4;
  if (unaligned !== 0) {
    // An opaque field of odd length: RFC 3550 6.4.1 padding keeps its length exact on re-parse.
    const pad = 4 - unaligned;
    for (let i = 1; i < pad; i++) w.u8(0);
    w.u8(pad);
    w.setU8At(start, 0xa0 | (w.byteAt(start) & 0x1f));
  }
  const words = (w.length - start) / 4 - 1;
  if (words > 0xffff) throw new RangeError('RTCP packet too long');
  w.setU16At(start + 2, words);
}

function writeReports(w: ByteWriter, reports: readonly RtcpReportBlock[]): void {
  for (const r of reports) {
    w.u32(r.ssrc)
      .u8(r.fractionLost)
      .u24(r.packetsLost & 0xffffff)
      .u32(r.highestSequence)
      .u32(r.jitter)
      .u32(r.lastSenderReport)
      .u32(r.delaySinceLastSenderReport);
  }
}

function writeOne(w: ByteWriter, p: RtcpPacket): void {
  let start: number;
  switch (p.type) {
    case 'sr':
      start = header(w, p.reports.length, 200);
      w.u32(p.ssrc)
        .u32(p.ntpSeconds)
        .u32(p.ntpFraction)
        .u32(p.rtpTimestamp)
        .u32(p.packetCount)
        .u32(p.octetCount);
      writeReports(w, p.reports);
      w.bytes(p.profileExtension);
      break;
    case 'rr':
      start = header(w, p.reports.length, 201);
      w.u32(p.ssrc);
      writeReports(w, p.reports);
      w.bytes(p.profileExtension);
      break;
    case 'sdes':
      start = header(w, p.chunks.length, 202);
      for (const chunk of p.chunks) {
        w.u32(chunk.ssrc);
        for (const item of chunk.items) {
          if (item.itemType < 1 || item.value.length > 255) throw new RangeError('SDES item not encodable');
          w.u8(item.itemType).u8(item.value.length).bytes(item.value);
        }
        // RFC 3550 6.5: at least one null octet ends the list, then pad to 32 bits.
        w.u8(0).padTo4();
      }
      break;
    case 'bye':
      start = header(w, p.ssrcs.length, 203);
      for (const s of p.ssrcs) w.u32(s);
      if (p.reason) {
        if (p.reason.length > 255) throw new RangeError('BYE reason over 255 bytes');
        w.u8(p.reason.length).bytes(p.reason);
      }
      break;
    case 'app':
      if (p.name.length !== 4) throw new RangeError('APP name must be 4 bytes');
      start = header(w, p.subtype, 204);
      w.u32(p.ssrc).bytes(p.name).bytes(p.data);
      break;
    case 'nack':
      start = header(w, 1, 205);
      w.u32(p.senderSsrc).u32(p.mediaSsrc);
      for (const item of p.items) w.u16(item.packetId).u16(item.lostBitmask);
      break;
    case 'twcc':
      start = header(w, 15, 205);
      w.u32(p.senderSsrc).u32(p.mediaSsrc).bytes(encodeTransportCc(p));
      break;
    case 'pli':
      start = header(w, 1, 206);
      w.u32(p.senderSsrc).u32(p.mediaSsrc);
      break;
    case 'fir':
      start = header(w, 4, 206);
      w.u32(p.senderSsrc).u32(p.mediaSsrc);
      for (const e of p.entries) w.u32(e.ssrc).u8(e.sequenceNumber).u24(0);
      break;
    case 'remb': {
      start = header(w, 15, 206);
      let mantissa = Math.floor(p.bitrate);
      let exp = 0;
      while (mantissa > 0x3ffff) {
        mantissa = Math.floor(mantissa / 2);
        exp++;
      }
      if (exp > 63 || p.ssrcs.length > 255) throw new RangeError('REMB not encodable');
      w.u32(p.senderSsrc)
        .u32(p.mediaSsrc)
        .u32(0x52454d42)
        .u8(p.ssrcs.length)
        .u24((exp << 18) | mantissa);
      for (const s of p.ssrcs) w.u32(s);
      break;
    }
    case 'rtpfb':
    case 'psfb':
      start = header(w, p.format, p.type === 'rtpfb' ? 205 : 206);
      w.u32(p.senderSsrc).u32(p.mediaSsrc).bytes(p.fci);
      break;
    case 'xr':
      start = header(w, 0, 207);
      w.u32(p.ssrc);
      for (const b of p.blocks) {
        if (b.data.length % 4 !== 0) throw new RangeError('XR block data must be whole words');
        w.u8(b.blockType)
          .u8(b.typeSpecific)
          .u16(b.data.length / 4)
          .bytes(b.data);
      }
      break;
    case 'unknown':
      start = header(w, p.count, p.packetType);
      w.bytes(p.body);
      break;
  }
  finishLength(w, start);
}
