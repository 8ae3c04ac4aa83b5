import { RTCPeerConnection } from '@purertc/peer';
import type { Page } from 'playwright-core';
import { type ChromeStats, negotiate, type Role, waitFor, within } from './lab.js';

/** The description without its `a=group:BUNDLE` lines: an endpoint that does not do BUNDLE. */
export function withoutBundle(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=group:BUNDLE'))
    .join('\r\n');
}

/** purertc asking for one transport per m= section (W3C 4.2.5 max-compat). */
export function unbundlingPeer(): RTCPeerConnection {
  return new RTCPeerConnection({ bindAddresses: ['127.0.0.1'], bundlePolicy: 'max-compat' });
}

/**
 * Adds one sendrecv audio transceiver with the fake microphone to the page's connection (the
 * lab's `create({ media: true })` would add video too, a third transport). The track is stopped
 * by `stopPageAudio`.
 */
export async function addPageAudio(page: Page): Promise<void> {
  await page.evaluate(async () => {
    // The page's own connection (page-peer.js exposes it as window.pc), a browser RTCPeerConnection.
    const w = window as unknown as {
      pc: { addTrack(track: MediaStreamTrack, stream: MediaStream): unknown };
      unbundledMic?: MediaStream;
    };
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    w.unbundledMic = stream;
    for (const track of stream.getTracks()) w.pc.addTrack(track, stream);
  });
}

export async function stopPageAudio(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { unbundledMic?: MediaStream };
    for (const t of w.unbundledMic?.getTracks() ?? []) t.stop();
    w.unbundledMic = undefined;
  });
}

/**
 * One non-trickle offer/answer round in which BUNDLE is refused: purertc offering, Chrome sees the
 * offer without its BUNDLE group (so its answer has none); Chrome offering, purertc gets Chrome's
 * offer without the group. Returns what each side was given.
 */
export function negotiateUnbundled(
  page: Page,
  ours: RTCPeerConnection,
  role: Role,
): Promise<{ offer: string; answer: string }> {
  return negotiate(page, ours, role, {}, withoutBundle);
}

/** Both ends report `connected`. */
export async function bothConnected(page: Page, ours: RTCPeerConnection, role: Role): Promise<void> {
  await within(
    Promise.all([
      waitFor(ours, 'connectionstatechange', () => {
        if (ours.connectionState === 'failed') throw new Error('purertc: connection failed');
        return ours.connectionState === 'connected';
      }),
      page.evaluate(() => window.lab.connected()),
    ]),
    15_000,
    `both ends connected without BUNDLE (purertc ${role})`,
  );
}

/** Each m= section's UDP candidate ports, in section order. */
export function candidatePortsBySection(sdp: string): number[][] {
  return sdp
    .split('\r\nm=')
    .slice(1)
    .map((section) =>
      section
        .split('\r\n')
        .filter((l) => l.startsWith('a=candidate:') && l.split(' ')[2]?.toLowerCase() === 'udp')
        .map((l) => Number(l.split(' ')[5])),
    );
}

/** Transport stats entries that have a selected candidate pair (a connected transport). */
export function connectedTransports(stats: readonly ChromeStats[]): ChromeStats[] {
  return stats.filter((s) => s.type === 'transport' && s.selectedCandidatePairId !== undefined);
}

/** The id the description gives the transport-wide-cc header extension in its first section using it. */
export function transportCcExtensionId(sdp: string): number {
  const m =
    /a=extmap:(\d+)(?:\/\w+)? http:\/\/www\.ietf\.org\/id\/draft-holmer-rmcat-transport-wide-cc-extensions-01/.exec(
      sdp,
    );
  if (!m) throw new Error('no transport-wide-cc extension in the description');
  return Number(m[1]);
}
