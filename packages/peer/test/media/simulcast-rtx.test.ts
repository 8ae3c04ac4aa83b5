import { parseRtcp, type RtpPacket, serializeExtensionElements, serializeRtp } from '@purertc/srtp';
import { describe, expect, it } from 'vitest';
import { bindTransceiverRtcp, receiveRoutedRtp } from '../../src/pc/media/rtcp-binding.js';
import { RTCRtpSender } from '../../src/pc/media/sender.js';
import type { RtpPacketEvent } from '../../src/pc/media/track.js';
import { RTCRtpTransceiver } from '../../src/pc/media/transceiver.js';
import { RtcpSession } from '../../src/rtp/rtcp-session.js';
import type { SdpCodec } from '../../src/sdp/codecs.js';

const VP8: SdpCodec = {
  payloadType: 96,
  name: 'VP8',
  clockRate: 90000,
  feedback: [{ type: 'nack' }, { type: 'transport-cc' }],
};
const TWCC = 3;
const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const RTX: SdpCodec = { payloadType: 97, name: 'rtx', clockRate: 90000, parameters: 'apt=96', feedback: [] };
const RID = 10;
const RRID = 11;

function packet(
  ssrc: number,
  seq: number,
  pt: number,
  ext: [number, string | Uint8Array][],
  payload: number[],
): Uint8Array {
  return serializeRtp({
    marker: false,
    payloadType: pt,
    sequenceNumber: seq,
    timestamp: 1000,
    ssrc,
    csrcs: [],
    extension:
      ext.length === 0
        ? undefined
        : serializeExtensionElements(
            ext.map(([id, v]) => ({ id, data: typeof v === 'string' ? new TextEncoder().encode(v) : v })),
          ),
    payload: new Uint8Array(payload),
    paddingLength: 0,
  });
}

function simulcastTransceiver() {
  const t = new RTCRtpTransceiver('video', 'recvonly', new RTCRtpSender('video', 'cname'), () => {});
  t.negotiatedCodecs = [VP8, RTX];
  t.sender.setNegotiated([VP8, RTX], [{ id: TWCC, uri: TWCC_URI }]);
  t.receiver.setSimulcast(['q', 'h'], { rid: RID, repairedRid: RRID });
  const rtcp = new RtcpSession('c', 1, () => 0.5);
  const section = bindTransceiverRtcp(t, rtcp, { now: () => 0, wallClock: () => 0 }, () => {});
  rtcp.setSections([section]);
  const got: Record<string, RtpPacket[]> = { q: [], h: [] };
  for (const rid of ['q', 'h'] as const) {
    t.receiver
      .getTrackByRid(rid)!
      .addEventListener('rtp', (e) => got[rid]!.push((e as RtpPacketEvent).packet));
  }
  const receive = (p: Uint8Array, now = 0) => receiveRoutedRtp(t, section, rtcp, p, now);
  return { t, rtcp, got, receive };
}

describe('simulcast RTX (RFC 8852 3.2, RFC 4588)', () => {
  it('RTX named by repaired-rid is unwrapped onto its own layer; unnamed RTX is dropped, not guessed', () => {
    const { got, receive } = simulcastTransceiver();
    receive(packet(1, 100, 96, [[RID, 'q']], [1]));
    receive(packet(2, 200, 96, [[RID, 'h']], [2]));
    receive(packet(2, 202, 96, [], [4]));
    // An RTX stream nobody named: with two layers it could repair either.
    receive(packet(9, 1, 97, [], [0, 201, 3]));
    expect(got.q!.map((p) => p.sequenceNumber)).toEqual([100]);
    expect(got.h!.map((p) => p.sequenceNumber)).toEqual([200, 202]);
    // Repaired-rid ties SSRC 8 to layer h: the OSN 201 comes back on SSRC 2.
    receive(packet(8, 1, 97, [[RRID, 'h']], [0, 201, 3]));
    expect(got.h!.map((p) => [p.ssrc, p.sequenceNumber, p.payloadType])).toEqual([
      [2, 200, 96],
      [2, 202, 96],
      [2, 201, 96],
    ]);
    expect(got.q).toHaveLength(1);
  });

  it('a dropped RTX packet (a padding probe, say) is still reported in transport-cc feedback', () => {
    const { rtcp, receive } = simulcastTransceiver();
    receive(
      packet(
        1,
        100,
        96,
        [
          [RID, 'q'],
          [TWCC, new Uint8Array([0, 50])],
        ],
        [1],
      ),
    );
    receive(packet(9, 1, 97, [[TWCC, new Uint8Array([0, 51])]], []));
    rtcp.handleTimeout(1000, 0);
    const feedback = [];
    for (let o = rtcp.pollOutput(); o; o = rtcp.pollOutput()) {
      if (o.type === 'rtcp') feedback.push(...parseRtcp(o.packet).filter((p) => p.type === 'twcc'));
    }
    const [fb] = feedback;
    if (fb?.type !== 'twcc') throw new Error('no transport-cc feedback');
    expect(fb.packets.map((p) => [p.sequenceNumber, p.status !== 0])).toEqual([
      [50, true],
      [51, true],
    ]);
  });
});
