import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, type RtpPacketEvent, RtpTrack } from '../../src/index.js';
import { ReceptionStats } from '../../src/pc/media/reception-stats.js';
import { LOOPBACK, negotiate, trickle, waitFor, within } from '../helpers/peers.js';

describe('ReceptionStats (RFC 3550 A.3)', () => {
  it('counts gaps as lost and follows the sequence number across the 16-bit wrap', () => {
    const r = new ReceptionStats();
    for (const seq of [65533, 65534, 0, 1, 3]) r.record(seq); // 65535 and 2 missing
    expect(r.packetsReceived).toBe(5);
    expect(r.extendedHighestSequenceNumber).toBe(0x10000 + 3);
    expect(r.packetsLost).toBe(2);
  });

  it('a late packet fills its gap without moving the highest number back', () => {
    const r = new ReceptionStats();
    for (const seq of [10, 12, 11]) r.record(seq);
    expect(r.extendedHighestSequenceNumber).toBe(12);
    expect(r.packetsLost).toBe(0);
  });

  it('in-order runs with gaps lose exactly the skipped numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 300 }),
        (start, steps) => {
          const r = new ReceptionStats();
          let seq = start;
          r.record(seq);
          let skipped = 0;
          for (const step of steps) {
            seq = (seq + step) & 0xffff;
            skipped += step - 1;
            r.record(seq);
          }
          expect(r.packetsLost).toBe(skipped);
          expect(r.packetsReceived).toBe(steps.length + 1);
        },
      ),
    );
  });
});

describe('getStats figures a monitoring page needs', () => {
  const open: RTCPeerConnection[] = [];
  afterEach(() => {
    for (const pc of open.splice(0)) pc.close();
  });

  it('candidate pairs carry round-trip times in seconds; inbound-rtp counts packets lost', async () => {
    const a = new RTCPeerConnection(LOOPBACK);
    const b = new RTCPeerConnection(LOOPBACK);
    open.push(a, b);
    trickle(a, b);
    const track = new RtpTrack('video');
    const sender = a.addTrack(track);
    let got = 0;
    const all = new Promise<void>((resolve) => {
      b.ontrack = (e) =>
        e.track.addEventListener('rtp', (ev) => {
          if ((ev as RtpPacketEvent).packet) got++;
          if (got === 8) resolve();
        });
    });
    await negotiate(a, b);
    await within(
      waitFor(a, 'connectionstatechange', () => a.connectionState === 'connected'),
      10_000,
      'connected',
    );
    const pt = sender.getParameters().codecs[0]!.payloadType;
    for (const seq of [1, 2, 3, 5, 6, 8, 9, 10]) {
      track.writeRtp({
        marker: false,
        payloadType: pt,
        sequenceNumber: seq,
        timestamp: seq * 3000,
        ssrc: 0,
        csrcs: [],
        extension: undefined,
        payload: Buffer.from([seq]),
        paddingLength: 0,
      });
    }
    await within(all, 5000, '8 RTP packets');
    const stats = [...(await b.getStats()).values()];
    const inbound = stats.find((s) => s.type === 'inbound-rtp');
    expect(inbound?.packetsReceived).toBe(8);
    expect(inbound?.packetsLost).toBe(2);
    const transport = stats.find((s) => s.type === 'transport');
    // IANA DTLS-SRTP registry names, as Chrome reports them (our default prefers AES-128-GCM).
    expect(transport?.srtpCipher).toBe('SRTP_AEAD_AES_128_GCM');
    const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
    expect(pair?.type).toBe('candidate-pair');
    expect(pair?.responsesReceived).toBeGreaterThan(0);
    expect(typeof pair?.currentRoundTripTime).toBe('number');
    expect(pair!.currentRoundTripTime as number).toBeGreaterThanOrEqual(0);
    expect(pair!.currentRoundTripTime as number).toBeLessThan(5);
    expect(pair!.totalRoundTripTime as number).toBeGreaterThanOrEqual(pair!.currentRoundTripTime as number);
  });
});
