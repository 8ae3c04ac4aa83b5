import { parseRtcp, parseRtp, serializeRtcp, serializeRtp } from '@purertc/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RtcpSection, RtcpSession } from '../../src/rtp/rtcp-session.js';
import type { SdpCodec } from '../../src/sdp/codecs.js';
import { drainRtcp, rtpBytes } from '../helpers/rtp-packets.js';

const VP8: SdpCodec = {
  payloadType: 96,
  name: 'VP8',
  clockRate: 90000,
  feedback: [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }],
};
const RTX: SdpCodec = { payloadType: 97, name: 'rtx', clockRate: 90000, parameters: 'apt=96', feedback: [] };

function section(codecs: SdpCodec[], requests: string[] = []): RtcpSection {
  return { kind: 'video', codecs, ssrc: 0x1000, rtxSsrc: 0x2000, onKeyFrameRequest: (m) => requests.push(m) };
}

function rtp(seq: number, ssrc = 0x1000, pt = 96): Uint8Array {
  return rtpBytes({ seq, ssrc, payloadType: pt, payload: [seq & 0xff, 1, 2] });
}

describe('RtcpSession', () => {
  it('sends an SR with extrapolated RTP timestamp and SDES CNAME on the video interval', () => {
    const s = new RtcpSession('cname-x', 42, () => 0.5);
    s.setSections([section([VP8])]);
    s.onRtpSent(rtp(1), 0);
    const due = s.nextDeadline()!;
    expect(due).toBe(500);
    s.handleTimeout(due, 1_700_000_000_000);
    const [out] = drainRtcp(s);
    const [sr, sdes] = parseRtcp(out!.packet);
    expect(sr?.type).toBe('sr');
    if (sr?.type !== 'sr' || sdes?.type !== 'sdes') throw new Error('not SR + SDES');
    expect(sr.ssrc).toBe(0x1000);
    expect(sr.packetCount).toBe(1);
    expect(sr.rtpTimestamp).toBe(3000 + 500 * 90);
    expect(Buffer.from(sdes.chunks[0]!.items[0]!.value).toString()).toBe('cname-x');
    expect(s.nextDeadline()).toBe(1500);
  });

  it('answers a NACK with the same packet when RTX was not negotiated', () => {
    const s = new RtcpSession('c', 42);
    s.setSections([section([VP8])]);
    for (let i = 0; i < 5; i++) s.onRtpSent(rtp(i), i);
    s.onRtcp(
      serializeRtcp([
        { type: 'nack', senderSsrc: 9, mediaSsrc: 0x1000, items: [{ packetId: 2, lostBitmask: 1 }] },
      ]),
      10,
      0,
    );
    const out = drainRtcp(s).filter((o) => o.type === 'rtp');
    expect(out.map((o) => parseRtp(o.packet).sequenceNumber)).toEqual([2, 3]);
    expect(s.outbound(0x1000)!.retransmittedPacketsSent).toBe(2);
    // The same NACK again 1 ms later (before our answer could have arrived) is not answered twice.
    const again = serializeRtcp([
      { type: 'nack', senderSsrc: 9, mediaSsrc: 0x1000, items: [{ packetId: 2, lostBitmask: 0 }] },
    ]);
    s.onRtcp(again, 11, 0);
    expect(drainRtcp(s)).toEqual([]);
    s.onRtcp(again, 100, 0);
    expect(drainRtcp(s).length).toBe(1);
  });

  it('requests a keyframe by FIR when only ccm fir was negotiated, and surfaces a received FIR', () => {
    const requests: string[] = [];
    const sec = section([VP8], requests);
    const s = new RtcpSession('c', 42);
    s.setSections([sec]);
    expect(s.requestKeyFrame(sec)).toBe(false); // nothing received yet
    s.onRtpReceived(rtp(1, 0xbeef), sec, 0);
    drainRtcp(s);
    expect(s.requestKeyFrame(sec)).toBe(true);
    const fir = parseRtcp(drainRtcp(s)[0]!.packet).find((p) => p.type === 'fir');
    expect(fir?.type === 'fir' && fir.entries[0]).toEqual({ ssrc: 0xbeef, sequenceNumber: 1 });
    s.onRtcp(
      serializeRtcp([
        { type: 'fir', senderSsrc: 1, mediaSsrc: 0, entries: [{ ssrc: 0x1000, sequenceNumber: 3 }] },
      ]),
      0,
      0,
    );
    expect(requests).toEqual(['fir']);
  });

  it('unwraps RTX into the gap once and drops a second copy', () => {
    const sec = section([VP8, RTX]);
    const s = new RtcpSession('c', 42);
    s.setSections([sec]);
    s.onRtpReceived(rtp(1, 0xbeef), sec, 0);
    s.onRtpReceived(rtp(3, 0xbeef), sec, 0);
    const nack = drainRtcp(s)
      .flatMap((o) => parseRtcp(o.packet))
      .find((p) => p.type === 'nack');
    expect(nack?.type === 'nack' && nack.items).toEqual([{ packetId: 2, lostBitmask: 0 }]);
    const rtx = serializeRtp({ ...parseRtp(rtp(7, 0xcafe, 97)), payload: new Uint8Array([0, 2, 2, 1, 2]) });
    const recovered = s.onRtpReceived(rtx, sec, 30)!;
    expect(parseRtp(recovered).sequenceNumber).toBe(2);
    expect(parseRtp(recovered).ssrc).toBe(0xbeef);
    expect(s.onRtpReceived(rtx, sec, 40)).toBeUndefined();
    expect(s.inbound(0xbeef)!.stats.packetsLost).toBe(0);
  });

  it('with rtcp-rsize (RFC 5506) feedback goes alone, without RR and SDES', () => {
    const sec = section([{ ...VP8, feedback: [{ type: 'nack', parameter: 'pli' }] }]);
    const s = new RtcpSession('c', 42);
    s.setSections([sec]);
    s.reducedSize = true;
    s.onRtpReceived(rtp(1, 0xbeef), sec, 0);
    expect(s.requestKeyFrame(sec)).toBe(true);
    const packets = parseRtcp(drainRtcp(s)[0]!.packet);
    expect(packets).toEqual([{ type: 'pli', senderSsrc: 0x1000, mediaSsrc: 0xbeef }]);
  });

  it('a signalled FID pair picks the media SSRC an RTX packet repairs (RFC 4588 8.1)', () => {
    const sec = section([VP8, RTX]);
    const s = new RtcpSession('c', 42);
    s.setSections([sec]);
    s.setRtxPair(0xcafe, 0xbeef);
    s.onRtpReceived(rtp(1, 0xbeef), sec, 0);
    s.onRtpReceived(rtp(3, 0xbeef), sec, 0);
    s.onRtpReceived(rtp(50, 0xdead), sec, 0); // another stream on the section arrives last
    const rtx = serializeRtp({ ...parseRtp(rtp(9, 0xcafe, 97)), payload: new Uint8Array([0, 2, 7]) });
    const recovered = parseRtp(s.onRtpReceived(rtx, sec, 10)!);
    expect(recovered.ssrc).toBe(0xbeef);
    expect(recovered.sequenceNumber).toBe(2);
    expect(s.inbound(0xbeef)!.stats.packetsLost).toBe(0);
  });

  it('never throws on arbitrary RTCP bytes', () => {
    const s = new RtcpSession('c', 42);
    s.setSections([section([VP8, RTX])]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        s.onRtcp(bytes, 0, 0);
      }),
    );
    expect(s.malformedRtcp).toBeGreaterThan(0);
  });
});
