import type { RTCPeerConnection, RtpPacketEvent, RtpTrack } from '@purertc/peer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChromeStats, loopbackOnly, ourPeer, waitFor, within } from './lab.js';
import {
  type ChromeSession,
  chromiumAvailable,
  launchChrome,
  requireChromiumInCi,
  scriptPage,
} from './launch.js';

requireChromiumInCi();

interface SimPage {
  offer(): Promise<string>;
  answerSimulcast(sdp: string): Promise<{ sdp: string; rids: (string | null)[] }>;
  accept(sdp: string): Promise<void>;
  connected(): Promise<void>;
  stats(): Promise<ChromeStats[]>;
  close(): void;
}

declare global {
  interface Window {
    sim: SimPage;
  }
}

const HTML = scriptPage('purertc simulcast', 'simulcast-page.js');
const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

/** Drops transport-cc (extension and feedback) from an SDP, so neither side negotiates it. */
function withoutTransportCc(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((l) => !l.includes(TWCC_URI) && !/^a=rtcp-fb:\d+ transport-cc$/.test(l))
    .join('\r\n');
}

interface Layer {
  packets: number;
  ssrcs: Set<number>;
}

/** Counts, per rid, the packets and SSRCs each layer track of `pc` receives. */
function countLayers(pc: RTCPeerConnection): { layers: Map<string, Layer>; tracks: RtpTrack[] } {
  const layers = new Map<string, Layer>();
  const tracks: RtpTrack[] = [];
  pc.addEventListener('track', (e) => {
    const track = (e as unknown as { track: RtpTrack }).track;
    tracks.push(track);
    const layer: Layer = { packets: 0, ssrcs: new Set() };
    layers.set(track.rid ?? '', layer);
    track.addEventListener('rtp', (ev) => {
      layer.packets++;
      layer.ssrcs.add((ev as RtpPacketEvent).packet.ssrc);
    });
  });
  return { layers, tracks };
}

describe.skipIf(!chromiumAvailable)('simulcast from Chromium (rids q/h/f) into purertc', () => {
  let chrome: ChromeSession;
  let ours: RTCPeerConnection | undefined;
  beforeAll(async () => {
    chrome = await launchChrome({ html: HTML });
  });
  afterEach(async () => {
    ours?.close();
    ours = undefined;
    await chrome.page.evaluate(() => window.sim.close());
  });
  afterAll(async () => {
    await chrome?.close();
  });

  /** Chrome offers, purertc answers; returns the per-rid packet counts purertc's tracks see. */
  async function connect(mungeOffer: (sdp: string) => string = (s) => s) {
    const pc = ourPeer();
    ours = pc;
    const { layers, tracks } = countLayers(pc);
    const offer = mungeOffer(
      await within(
        chrome.page.evaluate(() => window.sim.offer()),
        15_000,
        'Chrome offer',
      ),
    );
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    await within(
      waitFor(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete'),
      10_000,
      'purertc gathering',
    );
    const answer = loopbackOnly(pc.localDescription!.sdp);
    await within(
      chrome.page.evaluate((sdp) => window.sim.accept(sdp), answer),
      10_000,
      'Chrome accept',
    );
    await within(
      Promise.all([
        waitFor(pc, 'connectionstatechange', () => pc.connectionState === 'connected'),
        chrome.page.evaluate(() => window.sim.connected()),
      ]),
      15_000,
      'connected',
    );
    return { pc, offer, answer, layers, tracks };
  }

  async function poll<T>(
    read: () => Promise<T> | T,
    done: (v: T) => boolean,
    what: string,
    ms = 20_000,
  ): Promise<T> {
    const deadline = performance.now() + ms;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      if (performance.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await chrome.page.waitForTimeout(250);
    }
  }

  async function availableOutgoingBitrate(): Promise<number> {
    const stats = await chrome.page.evaluate(() => window.sim.stats());
    const pair = stats.find(
      (s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded',
    );
    return Number(pair?.availableOutgoingBitrate ?? 0);
  }

  it('answers with rid recv + simulcast:recv, fires a track per rid, and each rid arrives on its own SSRC', async () => {
    const { pc, offer, answer, layers, tracks } = await connect();
    expect(offer).toMatch(/a=simulcast:send q;h;f/);
    expect(answer).toMatch(/a=rid:q recv/);
    expect(answer).toMatch(/a=rid:h recv/);
    expect(answer).toMatch(/a=rid:f recv/);
    expect(answer).toMatch(/a=simulcast:recv q;h;f/);
    expect(answer).toMatch(/sdes:rtp-stream-id/);
    expect(tracks.map((t) => t.rid)).toEqual(['q', 'h', 'f']);
    const receiver = pc.getTransceivers()[0]!.receiver;
    expect(receiver.tracks).toEqual(tracks);
    const flowing = await poll(
      () => [...layers].filter(([, l]) => l.packets > 20),
      (v) => v.length >= 2,
      'packets on at least two rids',
    );
    const ssrcs = flowing.map(([, l]) => [...l.ssrcs]);
    for (const s of ssrcs) expect(s).toHaveLength(1);
    expect(new Set(ssrcs.flat()).size).toBe(flowing.length);
    const known = receiver.getSimulcastLayers();
    for (const [rid, l] of flowing) expect(known.find((k) => k.rid === rid)?.ssrc).toBe([...l.ssrcs][0]);
    // RTX: Chrome probes bandwidth with RTX padding tied to a layer by repaired-rid.
    const hasRtx = /a=rtpmap:\d+ rtx\//.test(answer) && /repaired-rtp-stream-id/.test(answer);
    if (hasRtx) {
      const rtxLayers = await poll(
        () => receiver.getSimulcastLayers().filter((k) => k.rtxSsrc !== undefined),
        (v) => v.length >= 1,
        'an RTX SSRC bound by repaired-rid',
      );
      for (const k of rtxLayers) expect(k.rtxSsrc).not.toBe(k.ssrc);
    }
    const chromeOut = (await chrome.page.evaluate(() => window.sim.stats())).filter(
      (s) => s.type === 'outbound-rtp',
    );
    console.log(
      `simulcast: purertc got ${flowing.map(([rid, l]) => `${rid}=${l.packets}`).join(' ')}; Chrome sends ${chromeOut
        .map((s) => `${s.rid}:${s.frameWidth ?? '-'}x${s.frameHeight ?? '-'}`)
        .join(' ')}`,
    );
    // A per-layer keyframe request reaches Chrome as a PLI for that rid's SSRC only.
    const layer = flowing[0]![0];
    expect(receiver.requestKeyFrame(layer)).toBe(true);
    await poll(
      async () =>
        (await chrome.page.evaluate(() => window.sim.stats())).find(
          (s) => s.type === 'outbound-rtp' && s.rid === layer,
        )?.pliCount,
      (v) => Number(v ?? 0) >= 1,
      `Chrome's pliCount on rid ${layer}`,
      10_000,
    );
    const others = (await chrome.page.evaluate(() => window.sim.stats())).filter(
      (s) => s.type === 'outbound-rtp' && s.rid !== layer,
    );
    for (const o of others) expect(Number(o.pliCount ?? 0)).toBe(0);
    // Receive-only: our XR RRTR is answered by Chrome's DLRR (RFC 3611), giving an RTT.
    const remoteOut = await poll(
      async () =>
        [...(await pc.getStats()).values()].find(
          (s) => s.type === 'remote-outbound-rtp' && Number(s.roundTripTimeMeasurements ?? 0) > 0,
        ),
      (v) => v !== undefined,
      'remote-outbound-rtp roundTripTime from XR DLRR',
      10_000,
    );
    expect(Number(remoteOut!.roundTripTime)).toBeGreaterThanOrEqual(0);
    expect(Number(remoteOut!.roundTripTime)).toBeLessThan(1);
    const chromeRtt = (await chrome.page.evaluate(() => window.sim.stats()))
      .filter((s) => s.type === 'remote-inbound-rtp' && s.roundTripTime !== undefined)
      .map((s) => `${(Number(s.roundTripTime) * 1000).toFixed(2)} ms`);
    console.log(
      `receive-only RTT from Chrome's DLRR: ${(Number(remoteOut!.roundTripTime) * 1000).toFixed(2)} ms; Chrome's RTT from our RRs: ${chromeRtt.join(', ')}`,
    );
  });

  it('transport-cc feedback lets Chrome raise its estimate (availableOutgoingBitrate) above what it has without', async () => {
    await connect();
    const withFeedback = await poll(
      availableOutgoingBitrate,
      (v) => v > 700_000,
      'availableOutgoingBitrate > 700 kbps',
    );
    ours?.close();
    ours = undefined;
    await chrome.page.evaluate(() => window.sim.close());
    await connect(withoutTransportCc);
    // Let Chrome encode as long as it took to pass the floor with feedback (about 150 frames over
    // its layers); without feedback its estimate has nothing to grow on.
    await poll(
      async () =>
        (await chrome.page.evaluate(() => window.sim.stats()))
          .filter((s) => s.type === 'outbound-rtp')
          .reduce((sum, s) => sum + Number(s.framesEncoded ?? 0), 0),
      (frames) => frames >= 150,
      '150 frames encoded without transport-cc',
    );
    const without = await availableOutgoingBitrate();
    console.log(
      `Chrome availableOutgoingBitrate: ${withFeedback} bps with transport-cc feedback, ${without} bps without`,
    );
    expect(withFeedback).toBeGreaterThan(without);
  });
  it('purertc offers a=simulcast:recv (transceiver.setSimulcastReceive) and Chrome answers sending the layers', async () => {
    const pc = ourPeer();
    ours = pc;
    const { layers, tracks } = countLayers(pc);
    const t = pc.addTransceiver('video', { direction: 'recvonly' });
    t.setSimulcastReceive(['q', 'h', 'f']);
    await pc.setLocalDescription(await pc.createOffer());
    await within(
      waitFor(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete'),
      10_000,
      'purertc gathering',
    );
    const offer = loopbackOnly(pc.localDescription!.sdp);
    expect(offer).toContain('a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv q;h;f\r\n');
    const answer = await within(
      chrome.page.evaluate((sdp) => window.sim.answerSimulcast(sdp), offer),
      15_000,
      'Chrome answer',
    );
    expect(answer.rids).toEqual(['q', 'h', 'f']);
    expect(answer.sdp).toMatch(/a=simulcast:send q;h;f/);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    expect(tracks.map((x) => x.rid)).toEqual(['q', 'h', 'f']);
    await within(
      Promise.all([
        waitFor(pc, 'connectionstatechange', () => pc.connectionState === 'connected'),
        chrome.page.evaluate(() => window.sim.connected()),
      ]),
      15_000,
      'connected',
    );
    const flowing = await poll(
      () => [...layers].filter(([, l]) => l.packets > 20),
      (v) => v.length >= 2,
      'packets on at least two rids',
    );
    const ssrcs = flowing.map(([, l]) => [...l.ssrcs]);
    for (const s of ssrcs) expect(s).toHaveLength(1);
    expect(new Set(ssrcs.flat()).size).toBe(flowing.length);
    console.log(
      `simulcast (purertc offering): ${flowing.map(([rid, l]) => `${rid}=${l.packets}`).join(' ')}`,
    );
  });
  it("REMB from receiver.setRembLimit caps Chrome's send-side estimate", async () => {
    const { pc } = await connect();
    await poll(availableOutgoingBitrate, (v) => v > 700_000, 'availableOutgoingBitrate > 700 kbps');
    expect(pc.getTransceivers()[0]!.receiver.setRembLimit(250_000)).toBe(true);
    const capped = await poll(
      availableOutgoingBitrate,
      (v) => v > 0 && v <= 300_000,
      'estimate capped near 250 kbps',
      10_000,
    );
    console.log(`Chrome availableOutgoingBitrate under a 250 kbps REMB: ${capped} bps`);
  });
});
