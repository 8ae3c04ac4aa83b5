import { parseRtp } from '@purertc/srtp';
import { describe, expect, it } from 'vitest';
import {
  GenericNack,
  RtcpPacketConverter,
  RtcpRrPacket,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
} from 'werift';
import { type RtcpSection, RtcpSession } from '../../src/rtp/rtcp-session.js';
import { drainRtcp, rtpBytes } from '../helpers/rtp-packets.js';

// werift's own RTCP codec reads what our RTCP session writes, and writes the NACK we answer.
const section: RtcpSection = {
  kind: 'video',
  codecs: [
    {
      payloadType: 96,
      name: 'VP8',
      clockRate: 90000,
      feedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
    },
    { payloadType: 97, name: 'rtx', clockRate: 90000, parameters: 'apt=96', feedback: [] },
  ],
  ssrc: 0x1000,
  rtxSsrc: 0x2000,
  onKeyFrameRequest: () => {},
};

function rtp(seq: number, ssrc: number): Uint8Array {
  return rtpBytes({ seq, ssrc, payload: [1, 2, 3, seq & 0xff] });
}

describe('our RTCP through werift 0.25.2 RTCP codec', () => {
  it('werift parses our SR (with report block) + SDES and our RR + NACK feedback', () => {
    const s = new RtcpSession('interop', 7);
    s.setSections([section]);
    for (let i = 0; i < 10; i++) if (i !== 4) s.onRtpReceived(rtp(i, 0xabc), section, i * 33);
    s.onRtpSent(rtp(1, 0x1000), 0);
    const feedback = drainRtcp(s);
    const nackCompound = RtcpPacketConverter.deSerialize(Buffer.from(feedback[0]!.packet));
    expect(nackCompound[0]).toBeInstanceOf(RtcpRrPacket);
    const fb = nackCompound.find((p) => p instanceof RtcpTransportLayerFeedback);
    expect(fb?.feedback).toBeInstanceOf(GenericNack);
    expect((fb!.feedback as GenericNack).lost).toEqual([4]);

    s.handleTimeout(600, 1_700_000_000_000); // the first report is due 500 ms after media
    const packets = drainRtcp(s)
      .filter((o) => o.type === 'rtcp')
      .map((o) => RtcpPacketConverter.deSerialize(Buffer.from(o.packet)))
      .find((compound) => compound[0] instanceof RtcpSrPacket)!;
    const sr = packets[0];
    expect(sr).toBeInstanceOf(RtcpSrPacket);
    const parsed = sr as RtcpSrPacket;
    expect(parsed.ssrc).toBe(0x1000);
    expect(parsed.senderInfo.packetCount).toBe(1);
    expect(parsed.reports[0]!.ssrc).toBe(0xabc);
    expect(parsed.reports[0]!.highestSequence).toBe(9);
    expect(parsed.reports[0]!.packetsLost).toBe(1);
    expect(parsed.reports[0]!.fractionLost).toBe(Math.floor(256 / 10));
  });

  it('a NACK serialized by werift is answered with an RTX packet carrying the OSN', () => {
    const s = new RtcpSession('interop', 7);
    s.setSections([section]);
    for (let i = 100; i < 110; i++) s.onRtpSent(rtp(i, 0x1000), i);
    const nack = new GenericNack({ senderSsrc: 5, mediaSourceSsrc: 0x1000, lost: [103, 105] });
    const bytes = new RtcpTransportLayerFeedback({ feedback: nack }).serialize();
    s.onRtcp(bytes, 200, 0);
    const rtx = drainRtcp(s)
      .filter((o) => o.type === 'rtp')
      .map((o) => parseRtp(o.packet));
    expect(rtx.map((p) => p.ssrc)).toEqual([0x2000, 0x2000]);
    expect(rtx.map((p) => p.payloadType)).toEqual([97, 97]);
    expect(rtx.map((p) => (p.payload[0]! << 8) | p.payload[1]!)).toEqual([103, 105]);
  });
});
