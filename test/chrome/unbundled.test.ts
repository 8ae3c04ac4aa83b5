import type { RTCDataChannel, RTCPeerConnection, RtpPacketEvent } from '@purertc/peer';
import { RtpTrack } from '@purertc/peer';
import { parseExtensionElements } from '@purertc/srtp';
import { describe, expect, it } from 'vitest';
import {
  type ChromeStats,
  channelOpen,
  echoRtp,
  echoText,
  nextChannel,
  ROLES,
  type Role,
  useLab,
  within,
} from './lab.js';
import { chromiumAvailable, requireChromiumInCi } from './launch.js';
import {
  addPageAudio,
  bothConnected,
  candidatePortsBySection,
  connectedTransports,
  negotiateUnbundled,
  stopPageAudio,
  transportCcExtensionId,
  unbundlingPeer,
} from './unbundled-lab.js';

requireChromiumInCi();

/**
 * RFC 9143 refused: the offer reaches the answerer without `a=group:BUNDLE`, so the audio section
 * and the data section each run ICE, DTLS (and SRTP or SCTP) on a transport of their own.
 */
describe.skipIf(!chromiumAvailable)('Chromium without BUNDLE: one transport per m= section', () => {
  const lab = useLab((page) => stopPageAudio(page));

  const chromeAudioPackets = async (): Promise<number> => {
    const stats = await lab.chrome.page.evaluate(() => window.lab.stats());
    const inbound = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'audio');
    return Number(inbound?.packetsReceived ?? 0);
  };

  async function pollChromeAudio(atLeast: number): Promise<number> {
    const deadline = performance.now() + 20_000;
    for (;;) {
      const n = await chromeAudioPackets();
      if (n >= atLeast) return n;
      if (performance.now() > deadline) throw new Error(`Chrome received ${n} echoed audio packets`);
      await lab.chrome.page.waitForTimeout(250);
    }
  }

  async function pollChromeStats(until: (stats: ChromeStats[]) => boolean): Promise<boolean> {
    const deadline = performance.now() + 15_000;
    for (;;) {
      if (until(await lab.chrome.page.evaluate(() => window.lab.stats()))) return true;
      if (performance.now() > deadline) return false;
      await lab.chrome.page.waitForTimeout(250);
    }
  }

  async function setUp(role: Role): Promise<{ pc: RTCPeerConnection; channel: Promise<RTCDataChannel> }> {
    // Chrome's boot channel (answerer case) opens the data section; its microphone the audio one.
    await lab.chrome.page.evaluate(
      (o) => window.lab.create(o),
      role === 'answerer' ? { channel: 'boot' } : {},
    );
    await addPageAudio(lab.chrome.page);
    const pc = unbundlingPeer();
    lab.ours = pc;
    if (role === 'offerer') {
      echoRtp(pc, pc.addTransceiver(new RtpTrack('audio'), { direction: 'sendrecv' }));
      return { pc, channel: Promise.resolve(pc.createDataChannel('unbundled-echo')) };
    }
    pc.addEventListener('signalingstatechange', () => {
      if (pc.signalingState !== 'have-remote-offer') return;
      for (const t of pc.getTransceivers()) {
        if (t.sender.track) continue;
        t.direction = 'sendrecv';
        echoRtp(pc, t);
      }
    });
    return { pc, channel: within(nextChannel(pc), 15_000, "Chrome's boot channel") };
  }

  for (const role of ROLES) {
    it(`purertc ${role}: audio and data connect on two transports each side, echo data and carry RTP`, async () => {
      const { pc, channel } = await setUp(role);
      let audioReceived = 0;
      pc.addEventListener('track', (e) => {
        const track = (e as unknown as { track: RtpTrack }).track;
        track.addEventListener('rtp', () => audioReceived++);
      });
      const { offer, answer } = await negotiateUnbundled(lab.chrome.page, pc, role);
      for (const sdp of [offer, answer]) {
        expect(sdp).not.toMatch(/a=group:BUNDLE/);
        // Two sections, each with candidates on a port of its own.
        const ports = candidatePortsBySection(sdp);
        expect(ports).toHaveLength(2);
        expect(ports.every((p) => p.length > 0)).toBe(true);
        expect(new Set(ports.flat()).size).toBe(ports.flat().length);
      }
      await bothConnected(lab.chrome.page, pc, role);

      const ch = await channel;
      await within(channelOpen(ch), 15_000, 'data channel open');
      await echoText(ch, `unbundled hello from purertc ${role}`);
      await echoText(ch, 'x'.repeat(5000));

      // RTP: Chrome's microphone reaches our track; our echo of it reaches Chrome.
      await pollChromeAudio(25);
      expect(audioReceived).toBeGreaterThan(0);

      const ourStats = [...(await pc.getStats()).values()];
      const ourTransports = ourStats.filter((s) => s.type === 'transport');
      expect(ourTransports).toHaveLength(2);
      for (const t of ourTransports) {
        expect(t.dtlsState).toBe('connected');
        expect(t.selectedCandidatePairId).toBeDefined();
        expect(Number(t.packetsReceived)).toBeGreaterThan(0);
      }
      // The audio section's outbound stream names one of the two transports.
      const audioTransport = ourStats.find((s) => s.type === 'outbound-rtp')?.transportId;
      expect(audioTransport).toBeDefined();
      expect(ourTransports.map((t) => t.id)).toContain(audioTransport);
      const chromeStats: ChromeStats[] = await lab.chrome.page.evaluate(() => window.lab.stats());
      expect(connectedTransports(chromeStats)).toHaveLength(2);
      // Our receiver reports about Chrome's microphone reach Chrome over the audio transport.
      const reported = await pollChromeStats((stats) =>
        stats.some((x) => x.type === 'remote-inbound-rtp' && x.kind === 'audio'),
      );
      expect(reported).toBe(true);
      expect(pc.connectionState).toBe('connected');
      console.log(
        `purertc ${role} without BUNDLE: 2 transports each side; purertc got ${audioReceived} audio packets`,
      );
    });
  }

  it("Chrome's transport-wide sequence numbers form one space across its unbundled audio and video transports", async () => {
    // The fact purertc's transport-cc feedback is built around (transport-cc-receivers.ts): with
    // such a sender all transports share one feedback generator, nothing counts as a duplicate.
    await lab.chrome.page.evaluate(() => window.lab.create({ channel: 'boot', media: true }));
    const pc = unbundlingPeer();
    lab.ours = pc;
    const numbers = { audio: [] as number[], video: [] as number[] };
    let extensionId: number | undefined;
    let enoughArrived = (): void => {};
    const enough = new Promise<void>((resolve) => {
      enoughArrived = resolve;
    });
    pc.addEventListener('track', (e) => {
      const track = (e as unknown as { track: RtpTrack }).track;
      track.addEventListener('rtp', (ev) => {
        const ext = (ev as RtpPacketEvent).packet.extension;
        if (!ext || extensionId === undefined) return;
        const element = parseExtensionElements(ext.profile, ext.data)?.find((x) => x.id === extensionId);
        if (element && element.data.length === 2) {
          numbers[track.kind].push((element.data[0]! << 8) | element.data[1]!);
        }
        if (numbers.audio.length >= 30 && numbers.video.length >= 30) enoughArrived();
      });
    });
    const { offer } = await negotiateUnbundled(lab.chrome.page, pc, 'answerer');
    extensionId = transportCcExtensionId(offer);
    await bothConnected(lab.chrome.page, pc, 'answerer');
    const ourTransports = [...(await pc.getStats()).values()].filter((s) => s.type === 'transport');
    expect(ourTransports).toHaveLength(3);
    await within(enough, 20_000, '30 numbered packets on each media transport');
    // No number arrives on both transports, and both transports' numbers fall in one range.
    const audioNumbers = new Set(numbers.audio);
    expect(numbers.video.filter((n) => audioNumbers.has(n))).toEqual([]);
    const span = (xs: number[]) => [Math.min(...xs), Math.max(...xs)] as const;
    const [audioLow, audioHigh] = span(numbers.audio);
    const [videoLow, videoHigh] = span(numbers.video);
    expect(audioLow < videoHigh && videoLow < audioHigh).toBe(true);
    console.log(
      `Chrome without BUNDLE: audio numbers ${audioLow}..${audioHigh} (${numbers.audio.length}), video ${videoLow}..${videoHigh} (${numbers.video.length}): one space`,
    );
  });
});
