import { parseRtcp, serializeExtensionElements, serializeRtcp, serializeRtp } from '@purertc/srtp';
import { describe, expect, it } from 'vitest';
import { type RtcpOutput, type RtcpSection, RtcpSession } from '../../src/rtp/rtcp-session.js';
import type { SdpCodec } from '../../src/sdp/codecs.js';
import { drainRtcp, rtpBytes } from '../helpers/rtp-packets.js';

const VP8_TWCC: SdpCodec = {
  payloadType: 96,
  name: 'VP8',
  clockRate: 90000,
  feedback: [{ type: 'nack' }, { type: 'transport-cc' }],
};
const VP8_NO_TWCC: SdpCodec = { ...VP8_TWCC, feedback: [{ type: 'nack' }] };
const RTX: SdpCodec = { payloadType: 97, name: 'rtx', clockRate: 90000, parameters: 'apt=96', feedback: [] };
const TWCC_ID = 3;

function section(codecs: SdpCodec[], byes: number[] = [], twccId: number | null = TWCC_ID): RtcpSection {
  return {
    kind: 'video',
    codecs,
    ssrc: 0x1000,
    rtxSsrc: 0x2000,
    transportCcExtensionId: twccId ?? undefined,
    onKeyFrameRequest: () => {},
    onRemoteBye: (ssrc) => byes.push(ssrc),
  };
}

function rtp(seq: number, transportSeq: number | undefined, ssrc = 0xabc): Uint8Array {
  const ext =
    transportSeq === undefined
      ? undefined
      : serializeExtensionElements([
          { id: 1, data: new Uint8Array([7]) },
          { id: TWCC_ID, data: new Uint8Array([transportSeq >> 8, transportSeq & 0xff]) },
        ]);
  return rtpBytes({ seq, ssrc, payload: [1, 2, 3], ...(ext ? { extension: ext } : {}) });
}

function rtcpPackets(out: RtcpOutput[]) {
  return out.filter((o) => o.type === 'rtcp').flatMap((o) => parseRtcp(o.packet));
}

describe('RtcpSession transport-cc feedback', () => {
  it('sends RTPFB FMT 15 for received transport-wide sequence numbers when negotiated', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const sec = section([VP8_TWCC]);
    s.setSections([sec]);
    for (let i = 0; i < 10; i++) s.onRtpReceived(rtp(500 + i, 7000 + i), sec, 1000 + i * 2);
    expect(s.nextDeadline()).toBe(1100);
    s.handleTimeout(1100, 1_700_000_000_000);
    const twcc = rtcpPackets(drainRtcp(s)).filter((p) => p.type === 'twcc');
    expect(twcc).toHaveLength(1);
    const fb = twcc[0]!;
    if (fb.type !== 'twcc') throw new Error('unreachable');
    expect(fb.senderSsrc).toBe(0x1000);
    expect(fb.mediaSsrc).toBe(0xabc);
    expect(fb.baseSequenceNumber).toBe(7000);
    expect(fb.packets.map((p) => p.status)).toEqual(new Array(10).fill(1));
    expect(fb.packets.slice(1).map((p) => p.delta)).toEqual(new Array(9).fill(8));
    expect(s.transportCc.feedbackSent).toBe(1);
  });

  it('sends none without the transport-cc rtcp-fb, without the extension id, or for packets without it', () => {
    for (const sec of [section([VP8_NO_TWCC]), section([VP8_TWCC], [], null)]) {
      const s = new RtcpSession('c', 42, () => 0.5);
      s.setSections([sec]);
      s.onRtpReceived(rtp(1, 1), sec, 0);
      s.handleTimeout(10_000, 0);
      expect(rtcpPackets(drainRtcp(s)).some((p) => p.type === 'twcc')).toBe(false);
    }
    const s = new RtcpSession('c', 42, () => 0.5);
    const sec = section([VP8_TWCC]);
    s.setSections([sec]);
    s.onRtpReceived(rtp(1, undefined), sec, 0);
    expect(s.transportCc.feedbackSent).toBe(0);
    s.handleTimeout(10_000, 0);
    expect(rtcpPackets(drainRtcp(s)).some((p) => p.type === 'twcc')).toBe(false);
  });

  it('RTX packets carry their own transport-wide number and are reported too', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const sec = section([VP8_TWCC, RTX]);
    s.setSections([sec]);
    s.setRtxPair(0xdef, 0xabc);
    s.onRtpReceived(rtp(1, 10), sec, 0);
    const rtx = serializeRtp({
      marker: false,
      payloadType: 97,
      sequenceNumber: 1,
      timestamp: 0,
      ssrc: 0xdef,
      csrcs: [],
      extension: serializeExtensionElements([{ id: TWCC_ID, data: new Uint8Array([0, 11]) }]),
      payload: new Uint8Array([0, 2, 9, 9]),
      paddingLength: 0,
    });
    s.onRtpReceived(rtx, sec, 5);
    s.handleTimeout(100, 0);
    const [fb] = rtcpPackets(drainRtcp(s)).filter((p) => p.type === 'twcc');
    if (fb?.type !== 'twcc') throw new Error('no feedback');
    expect(fb.packets.map((p) => p.sequenceNumber)).toEqual([10, 11]);
  });
});

describe('RtcpSession BYE (RFC 3550 6.6)', () => {
  it('a stopping stream sends SR + SDES + BYE, then no more SRs name it', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    s.setSections([section([VP8_TWCC])]);
    s.onRtpSent(rtp(1, undefined, 0x1000), 0);
    s.bye(10, 1_700_000_000_000, [0x1000]);
    const packets = rtcpPackets(drainRtcp(s));
    expect(packets.map((p) => p.type)).toEqual(['sr', 'sdes', 'bye']);
    const bye = packets[2]!;
    if (bye.type !== 'bye') throw new Error('unreachable');
    expect(bye.ssrcs).toEqual([0x1000]);
    s.bye(20, 0, [0x1000]);
    expect(drainRtcp(s)).toEqual([]);
    s.handleTimeout(s.nextDeadline()!, 1_700_000_001_000);
    expect(rtcpPackets(drainRtcp(s)).map((p) => p.type)).toEqual(['rr', 'sdes']);
  });

  it('no BYE for a stream that never sent; RTX SSRC included once retransmissions went over RTX', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    s.setSections([section([VP8_TWCC, RTX])]);
    s.bye(0, 0);
    expect(drainRtcp(s)).toEqual([]);
    s.onRtpSent(rtp(5, undefined, 0x1000), 0);
    s.onRtcp(
      serializeRtcp([
        { type: 'nack', senderSsrc: 9, mediaSsrc: 0x1000, items: [{ packetId: 5, lostBitmask: 0 }] },
      ]),
      1,
      0,
    );
    expect(drainRtcp(s).some((o) => o.type === 'rtp')).toBe(true);
    s.bye(2, 0);
    const bye = rtcpPackets(drainRtcp(s)).find((p) => p.type === 'bye');
    if (bye?.type !== 'bye') throw new Error('no BYE');
    expect(bye.ssrcs).toEqual([0x1000, 0x2000]);
  });

  it('a received BYE for a stream we receive reaches its section once; unknown SSRCs are ignored', () => {
    const byes: number[] = [];
    const s = new RtcpSession('c', 42, () => 0.5);
    const sec = section([VP8_TWCC], byes);
    s.setSections([sec]);
    s.onRtpReceived(rtp(1, undefined, 0xabc), sec, 0);
    s.onRtcp(serializeRtcp([{ type: 'bye', ssrcs: [0xabc, 0x999], reason: undefined }]), 1, 0);
    expect(byes).toEqual([0xabc]);
    expect(s.inbound(0xabc)).toBeUndefined();
    s.onRtcp(serializeRtcp([{ type: 'bye', ssrcs: [0xabc], reason: undefined }]), 2, 0);
    expect(byes).toEqual([0xabc]);
  });
});
