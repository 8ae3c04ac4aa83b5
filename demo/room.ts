import { type RTCConfiguration, type RTCDataChannel, RTCPeerConnection } from '@purertc/peer';
import { announce } from './config.js';
import { pickName } from './names.js';
import { echoRtp } from './rtp-echo.js';
import { StatsSampler } from './stats-sampler.js';

/** One browser page's connection. */
interface Session {
  readonly name: string;
  readonly pc: RTCPeerConnection;
  readonly remote: string;
  readonly sampler: StatsSampler;
  chat: RTCDataChannel | undefined;
  connectedAt: number | undefined;
}

export interface RoomOptions {
  peer: RTCConfiguration;
  announcedAddress?: string | undefined;
  log?: (line: string) => void;
  /** A page that has not connected this long after its offer is dropped. */
  connectTimeoutMs?: number;
  /** Longest chat message relayed, in characters. */
  maxChatLength?: number;
}

const GATHERING_TIMEOUT_MS = 5000;

/**
 * Every page connected to the server: answers offers, echoes media, relays chat to everyone and
 * sends each page the server's view of its connection once a second.
 */
export class Room {
  readonly #sessions = new Map<string, Session>();
  readonly #options: Required<Omit<RoomOptions, 'announcedAddress'>> & {
    announcedAddress?: string | undefined;
  };
  readonly #ticker: NodeJS.Timeout;

  constructor(options: RoomOptions) {
    this.#options = {
      log: (line) => console.log(`${new Date().toISOString()} ${line}`),
      connectTimeoutMs: 30_000,
      maxChatLength: 2000,
      ...options,
    };
    this.#ticker = setInterval(() => void this.#sendStats(), 1000);
  }

  get size(): number {
    return this.#sessions.size;
  }

  names(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Answers a page's complete (non-trickle) offer with a complete answer. */
  async connect(offerSdp: string, remote: string): Promise<{ sdp: string; name: string }> {
    const name = pickName((n) => this.#sessions.has(n));
    const pc = new RTCPeerConnection(this.#options.peer);
    const session: Session = {
      name,
      pc,
      remote,
      sampler: new StatsSampler(),
      chat: undefined,
      connectedAt: undefined,
    };
    this.#sessions.set(name, session);
    this.#log(`${name}: offer from ${remote}`);
    try {
      this.#watch(session);
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      const echoes = pc.getTransceivers().map((t) => ({ kind: t.kind, counter: echoRtp(t) }));
      await pc.setLocalDescription(await pc.createAnswer());
      await this.#gathered(pc);
      const media = echoes.map((e) => e.kind).join('+') || 'no media';
      this.#log(`${name}: answered (${media}, data channel)`);
      return { sdp: announce(pc.localDescription!.sdp, this.#options.announcedAddress), name };
    } catch (err) {
      this.#drop(session, `signalling failed: ${(err as Error).message}`);
      throw err;
    }
  }

  close(): void {
    clearInterval(this.#ticker);
    for (const s of [...this.#sessions.values()]) this.#drop(s, 'server shutting down');
  }

  #watch(session: Session): void {
    const { pc, name } = session;
    const timeout = setTimeout(() => {
      if (session.connectedAt === undefined) this.#drop(session, 'never connected');
    }, this.#options.connectTimeoutMs);
    timeout.unref();
    pc.addEventListener('connectionstatechange', () => {
      const state = pc.connectionState;
      if (state === 'connected' && session.connectedAt === undefined) {
        session.connectedAt = Date.now();
        this.#log(`${name}: connected`);
        this.#logSelectedPair(pc);
      } else if (state === 'disconnected') {
        this.#log(`${name}: disconnected (waiting for consent to come back or fail)`);
      } else if (state === 'failed' || state === 'closed') {
        this.#drop(session, `connection ${state}`);
      }
    });
    pc.addEventListener('datachannel', (e) => {
      const channel = (e as unknown as { channel: RTCDataChannel }).channel;
      if (channel.label !== 'chat' || session.chat) return;
      session.chat = channel;
      channel.addEventListener('open', () => {
        this.#send(session, { type: 'system', text: `welcome, ${name}: ${this.#peersLine()}` });
        this.#broadcast({ type: 'system', text: `${name} joined` }, session);
      });
      channel.addEventListener('message', (m) => this.#onChat(session, (m as MessageEvent).data));
      // The page's only channel: when it closes the page has gone, even if ICE has not noticed yet.
      channel.addEventListener('close', () => this.#drop(session, 'chat channel closed'));
    });
  }

  #onChat(session: Session, data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    const text = (message as { type?: unknown; text?: unknown }).text;
    if ((message as { type?: unknown }).type !== 'chat' || typeof text !== 'string') return;
    const clipped = text.slice(0, this.#options.maxChatLength);
    this.#log(`${session.name} says: ${clipped.length > 80 ? `${clipped.slice(0, 80)}…` : clipped}`);
    this.#broadcast({ type: 'chat', from: session.name, text: clipped });
  }

  #send(session: Session, message: object): void {
    const chat = session.chat;
    if (chat?.readyState !== 'open') return;
    try {
      chat.send(JSON.stringify(message));
    } catch (err) {
      this.#log(`${session.name}: send failed: ${(err as Error).message}`);
    }
  }

  #broadcast(message: object, except?: Session): void {
    for (const s of this.#sessions.values()) if (s !== except) this.#send(s, message);
  }

  async #sendStats(): Promise<void> {
    const now = performance.now();
    for (const session of [...this.#sessions.values()]) {
      if (session.chat?.readyState !== 'open') continue;
      try {
        const report = await session.pc.getStats();
        this.#send(session, session.sampler.sample(report, now, this.#sessions.size));
      } catch {
        // The connection closed between the check and getStats; the close handler cleans up.
      }
    }
  }

  #drop(session: Session, reason: string): void {
    if (this.#sessions.get(session.name) !== session) return;
    this.#sessions.delete(session.name);
    const lasted =
      session.connectedAt === undefined
        ? ''
        : ` after ${Math.round((Date.now() - session.connectedAt) / 1000)} s`;
    this.#log(`${session.name}: gone (${reason})${lasted}; ${this.#peersLine()}`);
    session.pc.close();
    this.#broadcast({ type: 'system', text: `${session.name} left` });
  }

  #peersLine(): string {
    const n = this.#sessions.size;
    return `${n} page${n === 1 ? '' : 's'} online`;
  }

  /** The path and keys in use, from the same stats the page gets. */
  #logSelectedPair(pc: RTCPeerConnection): void {
    void pc
      .getStats()
      .then((report) => {
        const t = [...report.values()].find((s) => s.type === 'transport');
        const pair = t?.selectedCandidatePairId ? report.get(String(t.selectedCandidatePairId)) : undefined;
        const local = pair ? report.get(String(pair.localCandidateId)) : undefined;
        const remote = pair ? report.get(String(pair.remoteCandidateId)) : undefined;
        if (local && remote) {
          this.#log(
            `  ${local.address}:${local.port} <-> ${remote.address}:${remote.port} (${remote.candidateType}), DTLS ${t?.dtlsRole}, SRTP profile ${t?.srtpCipher ?? '-'}`,
          );
        }
      })
      .catch(() => {});
  }

  async #gathered(pc: RTCPeerConnection): Promise<void> {
    if (pc.iceGatheringState === 'complete') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, GATHERING_TIMEOUT_MS);
      function done(): void {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      }
      function check(): void {
        if (pc.iceGatheringState === 'complete') done();
      }
      pc.addEventListener('icegatheringstatechange', check);
    });
  }

  #log(line: string): void {
    this.#options.log(line);
  }
}
