/**
 * One data-channel peer API over the four stacks the end-to-end benchmarks compare: purertc,
 * werift, node-datachannel (libdatachannel) and @roamhq/wrtc (libwebrtc). Signalling leaves a peer
 * as `Signal` messages so the two ends can live in one process or two.
 *
 * Only UDP candidates on 127.0.0.1 are ever passed on, so every stack talks over loopback.
 */
import { createRequire } from 'node:module';

/**
 * `purertc-1200`: purertc held to the 1200-byte SCTP packets every other stack here uses. Plain
 * purertc raises its packet size by path MTU discovery (RFC 8899) on same-host pairs, so on
 * loopback it sends up to 16 KiB per datagram; this row shows what the per-packet path costs.
 */
export type ImplName = 'purertc' | 'purertc-1200' | 'werift' | 'node-datachannel' | 'wrtc';
export const IMPLS: readonly ImplName[] = ['purertc', 'werift', 'node-datachannel', 'wrtc'];

export type Signal =
  | { kind: 'description'; type: 'offer' | 'answer'; sdp: string }
  | { kind: 'candidate'; candidate: string; mid: string };

export interface Channel {
  send(data: Buffer): void;
  bufferedAmount(): number;
  setLowThreshold(bytes: number): void;
  onLow(cb: () => void): void;
  /** Called with each message's byte length. */
  onMessage(cb: (bytes: number) => void): void;
}

export interface PeerOptions {
  offerer: boolean;
  /** Send the description at once and candidates as they come; else wait for gathering. */
  trickle: boolean;
  onSignal: (s: Signal) => void;
}

export interface Peer {
  /** Offerer only: creates the channel and sends the offer. */
  start(): Promise<void>;
  handle(s: Signal): Promise<void>;
  /** The offerer's own channel or the answerer's incoming one, once open. */
  readonly channel: Promise<Channel>;
  close(): void;
}

const require = createRequire(import.meta.url);

/** Why an implementation cannot run here, or undefined when it loads. */
export function unavailable(impl: ImplName): string | undefined {
  const pkg = {
    purertc: '@purertc/peer',
    'purertc-1200': '@purertc/peer',
    werift: 'werift',
    'node-datachannel': 'node-datachannel',
    wrtc: '@roamhq/wrtc',
  }[impl];
  if (impl === 'purertc' || impl === 'purertc-1200') return undefined;
  try {
    require(pkg);
    return undefined;
  } catch (e) {
    return `${pkg} does not load: ${(e as Error).message.split('\n')[0]}`;
  }
}

export function isLoopbackUdp(candidate: string): boolean {
  const f = candidate.replace(/^candidate:/, '').split(' ');
  return f[2]?.toLowerCase() === 'udp' && f[4] === '127.0.0.1';
}

/** Keeps only loopback UDP candidate lines in a complete (non-trickle) description. */
export function loopbackOnly(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') || isLoopbackUdp(l.slice(2)))
    .join('\r\n');
}

export async function createPeer(impl: ImplName, opts: PeerOptions): Promise<Peer> {
  switch (impl) {
    case 'purertc':
    case 'purertc-1200': {
      const { RTCPeerConnection } = await import('@purertc/peer');
      const config = impl === 'purertc' ? {} : { sctpMaxPacketSize: 1200 };
      return w3cPeer(
        new RTCPeerConnection({ bindAddresses: ['127.0.0.1'], ...config }) as unknown as W3cPeerConnection,
        opts,
      );
    }
    case 'wrtc': {
      const { RTCPeerConnection } = require('@roamhq/wrtc') as {
        RTCPeerConnection: new () => W3cPeerConnection;
      };
      return w3cPeer(new RTCPeerConnection(), opts, true);
    }
    case 'werift':
      return weriftPeer(opts);
    case 'node-datachannel':
      return ndcPeer(opts);
  }
}

// ---- W3C stacks (purertc, wrtc) ----

interface W3cChannel {
  readyState: string;
  bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: string;
  send(data: Buffer): void;
  onopen: (() => void) | null;
  onmessage: ((e: { data: ArrayBuffer | Buffer | string }) => void) | null;
  onbufferedamountlow: (() => void) | null;
}
interface W3cPeerConnection {
  iceGatheringState: string;
  localDescription: { type: string; sdp: string } | null;
  remoteDescription: unknown;
  createDataChannel(label: string): W3cChannel;
  createOffer(): Promise<{ type: string; sdp: string }>;
  createAnswer(): Promise<{ type: string; sdp: string }>;
  setLocalDescription(d: { type: string; sdp: string }): Promise<void>;
  setRemoteDescription(d: { type: string; sdp: string }): Promise<void>;
  addIceCandidate(c: { candidate: string; sdpMid: string }): Promise<void>;
  onicecandidate: ((e: { candidate: { candidate: string; sdpMid: string | null } | null }) => void) | null;
  onicegatheringstatechange: (() => void) | null;
  ondatachannel: ((e: { channel: W3cChannel }) => void) | null;
  close(): void;
}

/**
 * `pollLow`: @roamhq/wrtc 0.10 has no bufferedAmountLowThreshold nor bufferedamountlow event, so
 * its sender polls bufferedAmount every millisecond instead.
 */
function w3cChannel(ch: W3cChannel, pollLow = false): Promise<Channel> {
  let threshold = 0;
  let poller: NodeJS.Timeout | undefined;
  const wrap: Channel = {
    send: (d) => ch.send(d),
    bufferedAmount: () => ch.bufferedAmount,
    setLowThreshold: (n) => {
      threshold = n;
      ch.bufferedAmountLowThreshold = n;
    },
    onLow: (cb) => {
      if (!pollLow) {
        ch.onbufferedamountlow = cb;
        return;
      }
      clearInterval(poller);
      // The sender's pump is idempotent, so calling it whenever the buffer is low is safe; a
      // drained-and-refilled buffer between two polls can never be missed that way.
      poller = setInterval(() => {
        if (ch.readyState !== 'open') clearInterval(poller);
        else if (ch.bufferedAmount <= threshold) cb();
      }, 1);
    },
    onMessage: (cb) => {
      ch.onmessage = (e) => cb(typeof e.data === 'string' ? e.data.length : e.data.byteLength);
    },
  };
  ch.binaryType = 'arraybuffer';
  if (ch.readyState === 'open') return Promise.resolve(wrap);
  return new Promise((resolve) => {
    ch.onopen = () => resolve(wrap);
  });
}

function w3cPeer(pc: W3cPeerConnection, opts: PeerOptions, pollLow = false): Peer {
  return jsepPeer(pc, opts, {
    onGatheringComplete: (cb) => {
      pc.onicegatheringstatechange = () => {
        if (pc.iceGatheringState === 'complete') cb();
      };
    },
    onCandidate: (cb) => {
      pc.onicecandidate = (e) => {
        if (e.candidate) cb(e.candidate.candidate, e.candidate.sdpMid);
      };
    },
    onRemoteChannel: (cb) => {
      pc.ondatachannel = (e) => cb(w3cChannel(e.channel, pollLow));
    },
    createChannel: () => w3cChannel(pc.createDataChannel('bench'), pollLow),
    close: () => pc.close(),
  });
}

/** What the W3C-shaped stacks and werift share for offer/answer. */
interface JsepConnection {
  iceGatheringState: string;
  localDescription: { type: string; sdp: string } | null | undefined;
  remoteDescription: unknown;
  createOffer(): Promise<{ type: string; sdp: string }>;
  createAnswer(): Promise<{ type: string; sdp: string }>;
  setLocalDescription(d: { type: string; sdp: string }): Promise<unknown>;
  setRemoteDescription(d: { type: string; sdp: string }): Promise<unknown>;
  addIceCandidate(c: { candidate: string; sdpMid: string }): Promise<void>;
}

/** How one stack reports gathering, candidates and channels. */
interface StackEvents {
  onGatheringComplete(cb: () => void): void;
  onCandidate(cb: (candidate: string, mid: string | null | undefined) => void): void;
  onRemoteChannel(cb: (channel: Promise<Channel>) => void): void;
  createChannel(): Promise<Channel>;
  close(): void;
}

/**
 * The signalling every stack goes through: trickle sends the description at once and loopback
 * candidates as they come, non-trickle waits for gathering and sends loopback candidates only;
 * candidates that arrive before the remote description wait for it.
 */
function jsepPeer(pc: JsepConnection, opts: PeerOptions, stack: StackEvents): Peer {
  let resolveChannel: (c: Promise<Channel>) => void = () => {};
  const channel = new Promise<Channel>((r) => {
    resolveChannel = r;
  });
  const early: Signal[] = [];
  const gathered = new Promise<void>((resolve) => stack.onGatheringComplete(resolve));
  stack.onCandidate((candidate, mid) => {
    if (!opts.trickle || !isLoopbackUdp(candidate)) return;
    opts.onSignal({ kind: 'candidate', candidate, mid: mid ?? '0' });
  });
  const describe = async (): Promise<void> => {
    if (!opts.trickle && pc.iceGatheringState !== 'complete') await gathered;
    const d = pc.localDescription!;
    opts.onSignal({
      kind: 'description',
      type: d.type as 'offer',
      sdp: opts.trickle ? d.sdp : loopbackOnly(d.sdp),
    });
  };
  if (!opts.offerer) stack.onRemoteChannel(resolveChannel);
  return {
    channel,
    async start() {
      resolveChannel(stack.createChannel());
      await pc.setLocalDescription(await pc.createOffer());
      await describe();
    },
    async handle(s) {
      if (s.kind === 'candidate') {
        if (!pc.remoteDescription) early.push(s);
        else await pc.addIceCandidate({ candidate: s.candidate, sdpMid: s.mid });
        return;
      }
      await pc.setRemoteDescription({ type: s.type, sdp: s.sdp });
      for (const c of early.splice(0)) await (this as Peer).handle(c);
      if (s.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        await describe();
      }
    },
    close: () => stack.close(),
  };
}

// ---- werift ----

interface WeriftEvent<A extends unknown[]> {
  subscribe(cb: (...args: A) => void): unknown;
}
interface WeriftChannel {
  readyState: string;
  bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: Buffer): void;
  stateChanged: WeriftEvent<[string]>;
  onMessage: WeriftEvent<[Buffer | string]>;
  bufferedAmountLow: WeriftEvent<[]>;
}
interface WeriftPc {
  iceGatheringState: string;
  localDescription: { type: string; sdp: string } | undefined;
  remoteDescription: unknown;
  createDataChannel(label: string): WeriftChannel;
  createOffer(): Promise<{ type: string; sdp: string }>;
  createAnswer(): Promise<{ type: string; sdp: string }>;
  setLocalDescription(d: unknown): Promise<unknown>;
  setRemoteDescription(d: unknown): Promise<unknown>;
  addIceCandidate(c: { candidate: string; sdpMid: string }): Promise<void>;
  onIceCandidate: WeriftEvent<[{ candidate: string; sdpMid?: string } | undefined]>;
  iceGatheringStateChange: WeriftEvent<[string]>;
  onDataChannel: WeriftEvent<[WeriftChannel]>;
  close(): Promise<void>;
}

function weriftChannel(ch: WeriftChannel): Promise<Channel> {
  let low: () => void = () => {};
  ch.bufferedAmountLow.subscribe(() => low());
  const wrap: Channel = {
    send: (d) => ch.send(d),
    bufferedAmount: () => ch.bufferedAmount,
    setLowThreshold: (n) => {
      ch.bufferedAmountLowThreshold = n;
    },
    onLow: (cb) => {
      low = cb;
    },
    onMessage: (cb) => {
      ch.onMessage.subscribe((m) => cb(m.length));
    },
  };
  if (ch.readyState === 'open') return Promise.resolve(wrap);
  return new Promise((resolve) => {
    ch.stateChanged.subscribe((s) => {
      if (s === 'open') resolve(wrap);
    });
  });
}

async function weriftPeer(opts: PeerOptions): Promise<Peer> {
  const { RTCPeerConnection } = (await import('werift')) as unknown as {
    RTCPeerConnection: new (config: object) => WeriftPc;
  };
  const pc = new RTCPeerConnection({
    iceUseIpv4: true,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  return jsepPeer(pc, opts, {
    onGatheringComplete: (cb) => {
      pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') cb();
      });
    },
    onCandidate: (cb) => {
      pc.onIceCandidate.subscribe((c) => {
        if (c?.candidate) cb(c.candidate, c.sdpMid);
      });
    },
    onRemoteChannel: (cb) => {
      pc.onDataChannel.subscribe((ch) => cb(weriftChannel(ch)));
    },
    createChannel: () => weriftChannel(pc.createDataChannel('bench')),
    close: () => {
      pc.close().catch(() => {});
    },
  });
}

// ---- node-datachannel (native API, not its polyfill) ----

interface NdcChannel {
  sendMessageBinary(b: Buffer): boolean;
  bufferedAmount(): number;
  setBufferedAmountLowThreshold(n: number): void;
  onBufferedAmountLow(cb: () => void): void;
  onOpen(cb: () => void): void;
  onMessage(cb: (m: string | Buffer) => void): void;
  isOpen(): boolean;
}
interface NdcPc {
  onLocalDescription(cb: (sdp: string, type: string) => void): void;
  onLocalCandidate(cb: (candidate: string, mid: string) => void): void;
  onGatheringStateChange(cb: (s: string) => void): void;
  onDataChannel(cb: (dc: NdcChannel) => void): void;
  localDescription(): { type: string; sdp: string } | null;
  gatheringState(): string;
  setRemoteDescription(sdp: string, type: string): void;
  addRemoteCandidate(candidate: string, mid: string): void;
  createDataChannel(label: string): NdcChannel;
  close(): void;
}

function ndcChannel(ch: NdcChannel, alreadyOpen: boolean): Promise<Channel> {
  const wrap: Channel = {
    send: (d) => {
      ch.sendMessageBinary(d);
    },
    bufferedAmount: () => ch.bufferedAmount(),
    setLowThreshold: (n) => ch.setBufferedAmountLowThreshold(n),
    onLow: (cb) => ch.onBufferedAmountLow(cb),
    onMessage: (cb) => ch.onMessage((m) => cb(m.length)),
  };
  if (alreadyOpen || ch.isOpen()) return Promise.resolve(wrap);
  return new Promise((resolve) => ch.onOpen(() => resolve(wrap)));
}

function ndcPeer(opts: PeerOptions): Peer {
  const ndc = require('node-datachannel') as { PeerConnection: new (name: string, config: object) => NdcPc };
  const pc = new ndc.PeerConnection(opts.offerer ? 'offerer' : 'answerer', {
    iceServers: [],
    bindAddress: '127.0.0.1',
  });
  let resolveChannel: (c: Promise<Channel>) => void = () => {};
  const channel = new Promise<Channel>((r) => {
    resolveChannel = r;
  });
  let remoteSet = false;
  const early: Signal[] = [];
  let sentDescription = false;
  const sendComplete = (): void => {
    const d = pc.localDescription();
    if (sentDescription || !d) return;
    sentDescription = true;
    opts.onSignal({ kind: 'description', type: d.type.toLowerCase() as 'offer', sdp: loopbackOnly(d.sdp) });
  };
  pc.onLocalDescription((sdp, type) => {
    if (!opts.trickle) {
      if (pc.gatheringState() === 'complete') sendComplete();
      return;
    }
    opts.onSignal({ kind: 'description', type: type.toLowerCase() as 'offer', sdp });
  });
  pc.onLocalCandidate((candidate, mid) => {
    if (opts.trickle && isLoopbackUdp(candidate)) opts.onSignal({ kind: 'candidate', candidate, mid });
  });
  pc.onGatheringStateChange((s) => {
    if (!opts.trickle && s === 'complete') sendComplete();
  });
  // The open callback registered inside onDataChannel can miss an open that already happened.
  if (!opts.offerer) pc.onDataChannel((dc) => resolveChannel(ndcChannel(dc, true)));
  return {
    channel,
    async start() {
      resolveChannel(ndcChannel(pc.createDataChannel('bench'), false));
    },
    async handle(s) {
      if (s.kind === 'candidate') {
        if (!remoteSet) early.push(s);
        else pc.addRemoteCandidate(s.candidate, s.mid);
        return;
      }
      pc.setRemoteDescription(s.sdp, s.type === 'offer' ? 'Offer' : 'Answer');
      remoteSet = true;
      for (const c of early.splice(0)) await (this as Peer).handle(c);
    },
    close: () => pc.close(),
  };
}

/** Wires two peers in one process and opens the channel on both ends. */
export async function connectInProcess(
  impl: ImplName,
  trickle: boolean,
): Promise<{ offerer: Peer; answerer: Peer; sender: Channel; receiver: Channel }> {
  const toAnswerer = new SignalQueue();
  const toOfferer = new SignalQueue();
  const offerer = await createPeer(impl, { offerer: true, trickle, onSignal: (s) => toAnswerer.push(s) });
  const answerer = await createPeer(impl, { offerer: false, trickle, onSignal: (s) => toOfferer.push(s) });
  toAnswerer.attach(answerer);
  toOfferer.attach(offerer);
  await offerer.start();
  const [sender, receiver] = await Promise.all([offerer.channel, answerer.channel]);
  return { offerer, answerer, sender, receiver };
}

/** Hands signals to a peer one at a time, in order, like a signalling channel would. */
export class SignalQueue {
  #peer: Peer | undefined;
  #waiting: Signal[] = [];
  #chain: Promise<void> = Promise.resolve();

  push(s: Signal): void {
    if (!this.#peer) {
      this.#waiting.push(s);
      return;
    }
    const peer = this.#peer;
    this.#chain = this.#chain.then(() => peer.handle(s)).catch(() => {});
  }

  attach(peer: Peer): void {
    this.#peer = peer;
    for (const s of this.#waiting.splice(0)) this.push(s);
  }
}
