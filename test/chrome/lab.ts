import { createSocket } from 'node:dgram';
import {
  type RTCDataChannel,
  RTCPeerConnection,
  type RTCRtpTransceiver,
  type RtpPacketEvent,
  RtpTrack,
} from '@purertc/peer';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ChromeSession, launchChrome, scriptPage } from './launch.js';

/** What `page-peer.js` defines as `window.lab` inside Chromium. */
export interface PageLab {
  create(options?: { channel?: string; media?: boolean; recvMedia?: boolean }): Promise<void>;
  createChannel(label: string, init?: RTCDataChannelInit): Promise<void>;
  addCamera(): Promise<void>;
  channelInfo(label: string): Promise<ChromeChannelInfo>;
  received(label: string): number[];
  openChannels(): string[];
  closedChannels(): string[];
  closeChannel(label: string): void;
  channelClosed(label: string): Promise<void>;
  offer(options?: { iceRestart?: boolean }): Promise<string>;
  answer(sdp: string): Promise<string>;
  accept(sdp: string): Promise<void>;
  connected(): Promise<void>;
  state(): { connection: string; ice: string; signaling: string };
  stats(): Promise<ChromeStats[]>;
  close(): void;
}

export interface ChromeChannelInfo {
  label: string;
  ordered: boolean;
  maxRetransmits: number | null;
  maxPacketLifeTime: number | null;
  negotiated: boolean;
  id: number | null;
  protocol: string;
  readyState: string;
}

export type ChromeStats = { id: string; type: string } & Record<string, unknown>;

declare global {
  interface Window {
    lab: PageLab;
  }
}

/** purertc's part in the offer/answer exchange; Chrome takes the other. */
export type Role = 'offerer' | 'answerer';
export const ROLES: readonly Role[] = ['offerer', 'answerer'];

const LAB_HTML = scriptPage('purertc lab', 'page-peer.js');

export function launchLab(): Promise<ChromeSession> {
  return launchChrome({ html: LAB_HTML });
}

/** Rejects after `ms` with a message naming what was awaited; the timer never outlives the wait. */
/**
 * One Chromium page for a describe block: launched before its tests, our connection (`lab.ours`)
 * closed and the page's reset after each test (then `reset`, for what a file adds to the page),
 * the browser closed after all.
 */
export function useLab(reset?: (page: Page) => Promise<void>): {
  readonly chrome: ChromeSession;
  ours: RTCPeerConnection | undefined;
} {
  let chrome: ChromeSession | undefined;
  const lab = {
    get chrome(): ChromeSession {
      if (!chrome) throw new Error('the Chromium lab is not launched (used outside a test?)');
      return chrome;
    },
    ours: undefined as RTCPeerConnection | undefined,
  };
  beforeAll(async () => {
    chrome = await launchLab();
  });
  afterEach(async () => {
    lab.ours?.close();
    lab.ours = undefined;
    if (!chrome) return;
    await chrome.page.evaluate(() => window.lab.close());
    await reset?.(chrome.page);
  });
  afterAll(async () => {
    await chrome?.close();
  });
  return lab;
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function ourPeer(): RTCPeerConnection {
  return new RTCPeerConnection({ bindAddresses: ['127.0.0.1'] });
}

const isLoopbackCandidate = (line: string): boolean => /^(127\.|::1$)/.test(line.split(' ')[4] ?? '');

/** Drops every candidate outside loopback, so no packet of a test leaves the machine. */
export function loopbackOnly(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') || isLoopbackCandidate(l))
    .join('\r\n');
}

export function waitFor(target: EventTarget, type: string, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const check = (): void => {
      if (predicate()) {
        target.removeEventListener(type, check);
        resolve();
      }
    };
    target.addEventListener(type, check);
  });
}

/** Our local description once gathering is complete, with only loopback candidates. */
export async function ourCompleteDescription(pc: RTCPeerConnection): Promise<string> {
  await within(
    waitFor(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete'),
    10_000,
    'purertc gathering',
  );
  return loopbackOnly(pc.localDescription!.sdp);
}

/**
 * One non-trickle offer/answer round between purertc and the page's connection, purertc in
 * `role`. Both sides must already hold what the offer should carry. `rewriteOffer` changes the
 * offer on its way to the answerer (e.g. drops its BUNDLE group). Returns what each side was given.
 */
export async function negotiate(
  page: Page,
  ours: RTCPeerConnection,
  role: Role,
  options: { iceRestart?: boolean } = {},
  rewriteOffer: (sdp: string) => string = (sdp) => sdp,
): Promise<{ offer: string; answer: string }> {
  if (role === 'offerer') {
    await ours.setLocalDescription(await ours.createOffer(options));
    const offer = rewriteOffer(await ourCompleteDescription(ours));
    const answer = await within(
      page.evaluate((sdp) => window.lab.answer(sdp), offer),
      10_000,
      'Chrome answer',
    );
    await ours.setRemoteDescription({ type: 'answer', sdp: answer });
    return { offer, answer };
  }
  const offer = rewriteOffer(
    await within(
      page.evaluate((o) => window.lab.offer(o), options),
      10_000,
      'Chrome offer',
    ),
  );
  await ours.setRemoteDescription({ type: 'offer', sdp: offer });
  await ours.setLocalDescription(await ours.createAnswer());
  const answer = await ourCompleteDescription(ours);
  await within(
    page.evaluate((sdp) => window.lab.accept(sdp), answer),
    10_000,
    'Chrome accepting the answer',
  );
  return { offer, answer };
}

export async function connect(page: Page, ours: RTCPeerConnection, role: Role): Promise<void> {
  await negotiate(page, ours, role);
  await within(
    Promise.all([
      waitFor(ours, 'connectionstatechange', () => {
        if (ours.connectionState === 'failed') throw new Error('purertc: connection failed');
        return ours.connectionState === 'connected';
      }),
      page.evaluate(() => window.lab.connected()),
    ]),
    15_000,
    `both ends connected (purertc ${role})`,
  );
}

export function channelOpen(ch: RTCDataChannel): Promise<void> {
  if (ch.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    ch.addEventListener('open', () => resolve(), { once: true });
    ch.addEventListener('close', () => reject(new Error(`channel ${ch.label} closed before opening`)), {
      once: true,
    });
  });
}

export function nextMessage(ch: RTCDataChannel): Promise<unknown> {
  return new Promise((resolve) =>
    ch.addEventListener('message', (e) => resolve((e as MessageEvent).data), { once: true }),
  );
}

/** Sends `text` and expects the page to send it back (the page echoes every message). */
export async function echoText(ch: RTCDataChannel, text: string): Promise<void> {
  const reply = within(nextMessage(ch), 10_000, `echo of "${text}"`);
  ch.send(text);
  const got = await reply;
  if (got !== text) throw new Error(`echo of "${text}" came back as ${JSON.stringify(got)}`);
}

export function nextChannel(pc: RTCPeerConnection): Promise<RTCDataChannel> {
  return new Promise((resolve) =>
    pc.addEventListener(
      'datachannel',
      (e) => resolve((e as unknown as { channel: RTCDataChannel }).channel),
      {
        once: true,
      },
    ),
  );
}

/** A fresh connection on both sides for one scenario; Chrome gets a first channel when it offers. */
export async function freshPair(
  chrome: ChromeSession,
  role: Role,
  setup: { media?: boolean; recvMedia?: boolean; chromeChannel?: string } = {},
): Promise<RTCPeerConnection> {
  const channel = setup.chromeChannel ?? (role === 'answerer' && !setup.media ? 'boot' : undefined);
  await chrome.page.evaluate((o) => window.lab.create(o), {
    ...(channel ? { channel } : {}),
    media: setup.media ?? false,
    recvMedia: setup.recvMedia ?? false,
  });
  return ourPeer();
}

const NOT_MEDIA = /\/(rtx|red|ulpfec|flexfec-03)$/i;

/**
 * Sends every media packet a transceiver receives back out through the same transceiver's
 * sender (its own SSRC). Retransmission and FEC packets stay behind: their payload names an SSRC
 * of the browser's. Call before the description that makes the transceivers sendrecv.
 */
export function echoRtp(pc: RTCPeerConnection, transceiver: RTCRtpTransceiver): void {
  const out = transceiver.sender.track ?? new RtpTrack(transceiver.kind);
  if (!transceiver.sender.track) void transceiver.sender.replaceTrack(out);
  let skip: Set<number> | undefined;
  transceiver.receiver.track.addEventListener('rtp', (e) => {
    if (pc.connectionState === 'closed') return;
    skip ??= new Set(
      transceiver.sender
        .getParameters()
        .codecs.filter((c) => NOT_MEDIA.test(c.mimeType))
        .map((c) => c.payloadType),
    );
    const { packet, data } = e as RtpPacketEvent;
    if (!skip.has(packet.payloadType)) out.writeRtp(data);
  });
}

/**
 * A UDP relay on loopback that records what Chrome sends. Give Chrome the relay's address instead
 * of ours (`viaRelay`) and hide Chrome's candidates from us: then every packet both ways crosses
 * the relay (we learn Chrome as a peer-reflexive candidate at the relay's address).
 */
export interface RecordingRelay {
  port: number;
  /** Datagrams Chrome sent, in order. */
  readonly fromChrome: Buffer[];
  close(): void;
}

export async function recordingRelay(ourPort: number): Promise<RecordingRelay> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const fromChrome: Buffer[] = [];
  let chrome: { address: string; port: number } | undefined;
  socket.on('message', (msg, from) => {
    if (from.port === ourPort && from.address === '127.0.0.1') {
      if (chrome) socket.send(msg, chrome.port, chrome.address);
      return;
    }
    chrome = { address: from.address, port: from.port };
    fromChrome.push(Buffer.from(msg));
    socket.send(msg, ourPort, '127.0.0.1');
  });
  return { port: socket.address().port, fromChrome, close: () => socket.close() };
}

/**
 * The port of our UDP host candidate in the first m= section, from a complete description: the
 * BUNDLE-tagged transport Chrome ends up using (with bundlePolicy balanced, other media types
 * offer transports of their own until the answer accepts BUNDLE).
 */
export function candidatePort(sdp: string): number {
  const sections = sdp.split('\r\nm=');
  const first = sections[1] ?? '';
  const ports = first
    .split('\r\n')
    .filter((l) => l.startsWith('a=candidate:') && l.split(' ')[2]?.toLowerCase() === 'udp')
    .map((l) => Number(l.split(' ')[5]));
  if (new Set(ports).size !== 1) throw new Error(`expected one UDP candidate port, got ${ports.join(',')}`);
  return ports[0]!;
}

export const withoutCandidates = (sdp: string): string =>
  sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:'))
    .join('\r\n');

/** purertc offers with its candidates pointing at a relay; Chrome's candidates are withheld from us. */
export async function connectThroughRelay(page: Page, ours: RTCPeerConnection): Promise<RecordingRelay> {
  await ours.setLocalDescription(await ours.createOffer());
  const offer = await ourCompleteDescription(ours);
  const relay = await recordingRelay(candidatePort(offer));
  const port = candidatePort(offer);
  const relayed = offer
    .split('\r\n')
    .map((l) =>
      l.startsWith('a=candidate:') ? l.replace(` 127.0.0.1 ${port} `, ` 127.0.0.1 ${relay.port} `) : l,
    )
    .join('\r\n');
  const answer = await within(
    page.evaluate((sdp) => window.lab.answer(sdp), relayed),
    10_000,
    'Chrome answer',
  );
  await ours.setRemoteDescription({ type: 'answer', sdp: withoutCandidates(answer) });
  await within(
    Promise.all([
      waitFor(ours, 'connectionstatechange', () => ours.connectionState === 'connected'),
      page.evaluate(() => window.lab.connected()),
    ]),
    15_000,
    'both ends connected through the relay',
  );
  return relay;
}
