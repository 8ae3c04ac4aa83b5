import { parseRtcp, serializeRtcp } from '@purertc/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactNtp, msToCompact, ntpFromUnixMs } from '../../src/rtp/ntp.js';
import { type RtcpSection, RtcpSession } from '../../src/rtp/rtcp-session.js';
import { dlrrBlock, readDlrr, readRrtr, rrtrBlock, XR_DLRR, XR_RRTR } from '../../src/rtp/xr.js';
import { drainRtcp, rtpBytes } from '../helpers/rtp-packets.js';

const section: RtcpSection = {
  kind: 'video',
  codecs: [{ payloadType: 96, name: 'VP8', clockRate: 90000, feedback: [] }],
  ssrc: 0x1000,
  rtxSsrc: 0x2000,
  onKeyFrameRequest: () => {},
};

function rtp(seq: number, ssrc = 0xabc): Uint8Array {
  return rtpBytes({ seq, ssrc });
}

const WALL = 1_700_000_000_000;

describe('RTCP XR receiver RTT (RFC 3611 4.4, 4.5)', () => {
  it('RRTR and DLRR blocks have the RFC layout and round-trip through the srtp codec', () => {
    const ntp = ntpFromUnixMs(WALL);
    const rrtr = rrtrBlock(ntp);
    expect(rrtr.blockType).toBe(XR_RRTR);
    expect(rrtr.data.length).toBe(8);
    const items = [
      { ssrc: 1, lastReceiverReport: 0x12345678, delaySinceLastReceiverReport: 65536 },
      { ssrc: 0xffffffff, lastReceiverReport: 2, delaySinceLastReceiverReport: 3 },
    ];
    const bytes = serializeRtcp([{ type: 'xr', ssrc: 9, blocks: [rrtr, dlrrBlock(items)] }]);
    // 4-byte header + SSRC, RRTR 4 + 8, DLRR 4 + 24 bytes.
    expect(bytes.length).toBe(8 + 12 + 28);
    const [xr] = parseRtcp(bytes);
    if (xr?.type !== 'xr') throw new Error('not XR');
    expect(readRrtr(xr.blocks[0]!)).toEqual(ntp);
    expect(xr.blocks[1]!.blockType).toBe(XR_DLRR);
    expect(readDlrr(xr.blocks[1]!)).toEqual(items);
  });

  it('property: readers never throw and reject wrong lengths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }), (blockType, data) => {
        const block = { blockType, typeSpecific: 0, data };
        const rrtr = readRrtr(block);
        if (rrtr) expect(blockType === XR_RRTR && data.length === 8).toBe(true);
        const dlrr = readDlrr(block);
        expect(dlrr.length).toBe(blockType === XR_DLRR && data.length % 12 === 0 ? data.length / 12 : 0);
      }),
    );
  });

  it('a receive-only session adds an RRTR to its reports and takes an RTT from the DLRR answer', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    s.setSections([section]);
    s.onRtpReceived(rtp(1), section, 0);
    s.handleTimeout(500, WALL);
    const [report] = drainRtcp(s);
    const packets = parseRtcp(report!.packet);
    expect(packets.map((p) => p.type)).toEqual(['rr', 'sdes', 'xr']);
    const xr = packets[2]!;
    if (xr.type !== 'xr') throw new Error('unreachable');
    const rrtr = readRrtr(xr.blocks[0]!)!;
    expect(rrtr).toEqual(ntpFromUnixMs(WALL));
    // The remote held it 20 ms and the answer took 30 ms more on the wire: RTT 30 ms.
    const dlrr = dlrrBlock([
      { ssrc: 0x1000, lastReceiverReport: compactNtp(rrtr), delaySinceLastReceiverReport: msToCompact(20) },
    ]);
    s.onRtcp(serializeRtcp([{ type: 'xr', ssrc: 0xabc, blocks: [dlrr] }]), 550, WALL + 50);
    expect(s.roundTripTimeMs).toBeCloseTo(30, 0);
    expect(s.inbound(0xabc)!.receiverRtt?.roundTripTimeMeasurements).toBe(1);
    expect(s.inbound(0xabc)!.receiverRtt?.roundTripTime).toBeCloseTo(0.03, 3);
  });

  it("answers the remote's RRTR once with a DLRR naming its SSRC and the time it was held", () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    s.setSections([section]);
    s.onRtpSent(rtp(1, 0x1000), 0);
    const ntp = ntpFromUnixMs(WALL);
    s.onRtcp(serializeRtcp([{ type: 'xr', ssrc: 0xabc, blocks: [rrtrBlock(ntp)] }]), 100, WALL);
    s.handleTimeout(500, WALL + 400);
    const packets = parseRtcp(drainRtcp(s)[0]!.packet);
    expect(packets.map((p) => p.type)).toEqual(['sr', 'sdes', 'xr']);
    const xr = packets[2]!;
    if (xr.type !== 'xr') throw new Error('unreachable');
    expect(readDlrr(xr.blocks[0]!)).toEqual([
      { ssrc: 0xabc, lastReceiverReport: compactNtp(ntp), delaySinceLastReceiverReport: msToCompact(400) },
    ]);
    s.handleTimeout(s.nextDeadline()!, WALL + 2000);
    expect(parseRtcp(drainRtcp(s)[0]!.packet).map((p) => p.type)).toEqual(['sr', 'sdes']);
  });
});
