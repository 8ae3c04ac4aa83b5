import type { RTCPeerConnection } from '@purertc/peer';
import { RtpTrack } from '@purertc/peer';
import { describe, expect, it } from 'vitest';
import { type ChromeStats, connect, echoRtp, freshPair, ROLES, type Role, useLab } from './lab.js';
import { chromiumAvailable, requireChromiumInCi } from './launch.js';

requireChromiumInCi();

interface Echoed {
  framesDecoded: number;
  audioPackets: number;
}

function echoedFigures(stats: ChromeStats[]): Echoed {
  const inbound = stats.filter((s) => s.type === 'inbound-rtp');
  const video = inbound.find((s) => s.kind === 'video');
  const audio = inbound.find((s) => s.kind === 'audio');
  return {
    framesDecoded: Number(video?.framesDecoded ?? 0),
    audioPackets: Number(audio?.packetsReceived ?? 0),
  };
}

describe.skipIf(!chromiumAvailable)('media with Chromium: purertc echoes the camera and microphone', () => {
  const lab = useLab();

  async function pollChrome(until: (e: Echoed) => boolean, what: string): Promise<Echoed> {
    const deadline = performance.now() + 20_000;
    for (;;) {
      const figures = echoedFigures(await lab.chrome.page.evaluate(() => window.lab.stats()));
      if (until(figures)) return figures;
      if (performance.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(figures)}`);
      await lab.chrome.page.waitForTimeout(250);
    }
  }

  async function setUp(role: Role): Promise<RTCPeerConnection> {
    const pc = await freshPair(lab.chrome, role, { media: true });
    lab.ours = pc;
    if (role === 'offerer') {
      // purertc offers sendrecv audio and video; Chrome's camera and microphone take them.
      for (const kind of ['audio', 'video'] as const) {
        echoRtp(pc, pc.addTransceiver(new RtpTrack(kind), { direction: 'sendrecv' }));
      }
    } else {
      // Chrome offers its tracks; each transceiver the offer creates becomes sendrecv and echoes.
      pc.addEventListener('signalingstatechange', () => {
        if (pc.signalingState !== 'have-remote-offer') return;
        for (const t of pc.getTransceivers()) {
          if (t.sender.track) continue;
          t.direction = 'sendrecv';
          echoRtp(pc, t);
        }
      });
    }
    return pc;
  }

  for (const role of ROLES) {
    it(`purertc ${role}: echoed video frames decode and echoed audio arrives in Chrome`, async () => {
      const pc = await setUp(role);
      const received = { audio: 0, video: 0 };
      pc.addEventListener('track', (e) => {
        const track = (e as unknown as { track: RtpTrack }).track;
        track.addEventListener('rtp', () => received[track.kind]++);
      });
      await connect(lab.chrome.page, pc, role);
      expect(pc.getTransceivers().map((t) => [t.kind, t.currentDirection])).toEqual([
        ['audio', 'sendrecv'],
        ['video', 'sendrecv'],
      ]);
      const first = await pollChrome((e) => e.framesDecoded > 0 && e.audioPackets > 0, 'first echoed media');
      const later = await pollChrome(
        (e) => e.framesDecoded >= first.framesDecoded + 10 && e.audioPackets >= first.audioPackets + 25,
        'echoed media growing',
      );
      expect(later.framesDecoded).toBeGreaterThan(first.framesDecoded);
      expect(later.audioPackets).toBeGreaterThan(first.audioPackets);
      expect(received.audio).toBeGreaterThan(0);
      expect(received.video).toBeGreaterThan(0);
      const ourStats = [...(await pc.getStats()).values()];
      expect(
        ourStats
          .filter((s) => s.type === 'outbound-rtp')
          .map((s) => s.kind)
          .sort(),
      ).toEqual(['audio', 'video']);
      console.log(
        `purertc ${role}: Chrome decoded ${later.framesDecoded} echoed frames, ${later.audioPackets} audio packets`,
      );
    });
  }
});
