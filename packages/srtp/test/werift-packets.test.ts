import { describe, expect, it } from 'vitest';
import {
  GenericNack,
  ReceiverEstimatedMaxBitrate,
  RtcpPacketConverter,
  RtcpPayloadSpecificFeedback,
  RtcpRrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
  type TransportWideCC,
} from 'werift';
import {
  parseExtensionElements,
  parseRtcp,
  parseRtp,
  serializeExtensionElements,
  serializeRtcp,
  serializeRtp,
} from '../src/index.js';

/** Our parsers read what werift writes, and werift reads what we write. */
describe('RTP and RTCP packets against werift', () => {
  it('parses werift RTP packets with one-byte and two-byte header extensions', () => {
    for (const extensionProfile of [0xbede, 0x1000] as const) {
      const header = new RtpHeader({
        sequenceNumber: 4242,
        timestamp: 123456,
        ssrc: 0xdeadbeef,
        payloadType: 111,
        marker: true,
        extension: true,
        extensionProfile,
        extensions: [
          { id: 3, payload: Buffer.from([0x12, 0x34]) },
          { id: 5, payload: Buffer.from('abc') },
        ],
      });
      const bytes = new RtpPacket(header, Buffer.from('payload')).serialize();
      const p = parseRtp(bytes);
      expect(p.sequenceNumber).toBe(4242);
      expect(p.marker).toBe(true);
      expect(Buffer.from(p.payload).toString()).toBe('payload');
      const elements = parseExtensionElements(p.extension!.profile, p.extension!.data)!;
      expect(elements.map((e) => [e.id, Buffer.from(e.data).toString('hex')])).toEqual([
        [3, '1234'],
        [5, '616263'],
      ]);
    }
  });

  it('werift parses our RTP packets with extensions', () => {
    const ext = serializeExtensionElements([
      { id: 1, data: Uint8Array.of(9) },
      { id: 2, data: Uint8Array.of(1, 2, 3) },
    ]);
    const bytes = serializeRtp({
      marker: false,
      payloadType: 96,
      sequenceNumber: 7,
      timestamp: 99,
      ssrc: 5,
      csrcs: [11, 12],
      extension: ext,
      payload: Uint8Array.of(1, 2, 3, 4),
      paddingLength: 0,
    });
    const w = RtpPacket.deSerialize(Buffer.from(bytes));
    expect(w.header.csrc).toEqual([11, 12]);
    expect(w.header.extensions.map((e) => [e.id, [...e.payload]])).toEqual([
      [1, [9]],
      [2, [1, 2, 3]],
    ]);
    expect([...w.payload]).toEqual([1, 2, 3, 4]);
  });

  // werift's public entry does not export its PLI and FIR classes; those have RFC fixtures instead.
  it('parses werift NACK, REMB and RR', () => {
    const nack = new RtcpTransportLayerFeedback({
      feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: 2, lost: [100, 101, 103, 120] }),
    }).serialize();
    const remb = new RtcpPayloadSpecificFeedback({
      feedback: new ReceiverEstimatedMaxBitrate({
        senderSsrc: 1,
        mediaSsrc: 0,
        brExp: 2,
        brMantissa: 250000,
        ssrcNum: 1,
        ssrcFeedbacks: [2],
      }),
    }).serialize();
    const rr = new RtcpRrPacket({ ssrc: 77, reports: [] }).serialize();
    const packets = parseRtcp(Buffer.concat([rr, nack, remb]));
    expect(packets.map((p) => p.type)).toEqual(['rr', 'nack', 'remb']);
    const n = packets[1]!;
    if (n.type !== 'nack') throw new Error('not nack');
    // RFC 4585 6.2.1: PID 100, BLP bits for 101 (bit 0), 103 (bit 2); 120 (bit 19) needs a second item.
    const lost = n.items.flatMap((i) => [
      i.packetId,
      ...[...Array(16).keys()].filter((b) => i.lostBitmask & (1 << b)).map((b) => i.packetId + b + 1),
    ]);
    expect(lost.sort((a, b) => a - b)).toEqual([100, 101, 103, 120]);
    expect(packets[2]).toMatchObject({ type: 'remb', bitrate: 1_000_000, ssrcs: [2] });
  });

  it('werift parses our transport-wide CC, NACK and REMB', () => {
    const ours = serializeRtcp([
      {
        type: 'twcc',
        senderSsrc: 1,
        mediaSsrc: 2,
        baseSequenceNumber: 500,
        referenceTime: 1000,
        feedbackPacketCount: 3,
        packets: [
          { sequenceNumber: 500, status: 1, delta: 10 },
          { sequenceNumber: 501, status: 0 },
          { sequenceNumber: 502, status: 2, delta: -20 },
          ...Array.from({ length: 10 }, (_, i) => ({
            sequenceNumber: 503 + i,
            status: 1 as const,
            delta: 4,
          })),
        ],
      },
      { type: 'remb', senderSsrc: 1, mediaSsrc: 0, bitrate: 2_500_000, ssrcs: [2, 3] },
    ]);
    const [twcc, remb] = RtcpPacketConverter.deSerialize(Buffer.from(ours));
    // werift's NACK reader runs to the end of the datagram, so the NACK goes in its own.
    const [nack] = RtcpPacketConverter.deSerialize(
      Buffer.from(
        serializeRtcp([
          { type: 'nack', senderSsrc: 1, mediaSsrc: 2, items: [{ packetId: 10, lostBitmask: 0b101 }] },
        ]),
      ),
    );
    const tw = (twcc as RtcpTransportLayerFeedback).feedback as TransportWideCC;
    expect(tw.baseSequenceNumber).toBe(500);
    expect(tw.packetStatusCount).toBe(13);
    expect(tw.referenceTime).toBe(1000);
    expect(tw.fbPktCount).toBe(3);
    const statuses = tw.packetChunks.flatMap((c) =>
      c instanceof Object && 'symbolList' in c ? c.symbolList : Array(c.runLength).fill(c.packetStatus),
    );
    expect(statuses.slice(0, 13)).toEqual([1, 0, 2, ...Array(10).fill(1)]);
    // Deltas are in 250 microsecond units on the wire; werift reports microseconds.
    expect(tw.recvDeltas.map((d) => d.delta)).toEqual([2500, -5000, ...Array(10).fill(1000)]);
    const nk = (nack as RtcpTransportLayerFeedback).feedback as GenericNack;
    expect(nk.lost).toEqual([10, 11, 13]);
    const rb = (remb as RtcpPayloadSpecificFeedback).feedback as ReceiverEstimatedMaxBitrate;
    expect(rb.bitrate).toBe(2_500_000n);
    expect(rb.ssrcFeedbacks).toEqual([2, 3]);
  });
});
