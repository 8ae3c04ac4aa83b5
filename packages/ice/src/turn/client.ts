import { randomBytes } from 'node:crypto';
import { debuglog } from 'node:util';
import { type TransportAddress, transportAddressKey } from '../stun/address.js';
import { StunMessageBuilder } from '../stun/builder.js';
import { StunAttr, StunClass, StunErrorCode, StunMethod } from '../stun/constants.js';
import { StunIntegrityKey } from '../stun/integrity.js';
import { StunMessage } from '../stun/message.js';
import { StunRetransmitTimer } from '../stun/transaction.js';
import { decodeChannelData, encodeChannelData, isChannelData } from './channel-data.js';

const log = debuglog('purertc:ice');

export interface TurnClientOptions {
  username: string;
  password: string;
  /** 'tcp' means the caller frames messages (RFC 4571 style per RFC 8656 section 12.5) and retransmission is off. */
  transport?: 'udp' | 'tcp';
  /** RFC 8656 section 7.1: ask for an IPv4 or IPv6 relayed address. */
  family?: 4 | 6;
  /** Requested allocation lifetime in seconds. Default 600. */
  lifetime?: number;
  /** Bind channels to peers after the permission exists (RFC 8656 section 12). Default true. */
  useChannels?: boolean;
  random?: (size: number) => Uint8Array;
  software?: string;
}

export type TurnClientState = 'new' | 'allocating' | 'allocated' | 'failed' | 'closed';

export type TurnEvent =
  | {
      readonly type: 'allocated';
      readonly relayed: TransportAddress;
      readonly mapped: TransportAddress | undefined;
      readonly lifetime: number;
    }
  | { readonly type: 'failed'; readonly reason: string }
  /**
   * RFC 8656 section 7.1 / RFC 8489 section 10: the server sent 300 Try Alternate. The caller
   * sends everything that follows to `server`, after calling `start` again.
   */
  | { readonly type: 'redirect'; readonly server: TransportAddress }
  | { readonly type: 'data'; readonly peer: TransportAddress; readonly data: Buffer };

interface Pending {
  readonly method: number;
  readonly peer?: TransportAddress;
  readonly channel?: number;
  bytes: Buffer;
  timer: StunRetransmitTimer | undefined;
  retriedStaleNonce: boolean;
}

interface PeerState {
  readonly peer: TransportAddress;
  permissionUntil: number;
  permissionPending: boolean;
  channel: number | undefined;
  channelBound: boolean;
  channelUntil: number;
  channelPending: boolean;
}

/**
 * Permissions last 300 s and channels 600 s (RFC 8656 sections 9 and 12). A ChannelBind
 * refresh also refreshes the permission, so a bound channel is refreshed before the
 * permission would lapse.
 */
const PERMISSION_REFRESH_MS = 240_000;
const CHANNEL_REFRESH_MS = 240_000;
const MAX_PEERS = 64;

/**
 * A sans-I/O TURN client (RFC 8656) for one allocation on one server. Everything it sends goes
 * to the server; `pollTransmit` yields those messages. Data from peers comes out as events.
 */
export class TurnClient {
  state: TurnClientState = 'new';
  relayedAddress: TransportAddress | undefined;
  mappedAddress: TransportAddress | undefined;
  readonly stats = { malformed: 0, unauthenticated: 0, unknownTransaction: 0, dataDropped: 0 };

  private readonly random: (size: number) => Uint8Array;
  private readonly reliable: boolean;
  private readonly useChannels: boolean;
  private realm: string | undefined;
  private nonce: string | undefined;
  private key: StunIntegrityKey | undefined;
  private lifetimeMs = 0;
  private redirects = 0;
  private refreshAt: number | undefined;
  private lastNow = 0;
  private nextChannel = 0x4000;
  private readonly pending = new Map<string, Pending>();
  private readonly peers = new Map<string, PeerState>();
  private readonly peersByChannel = new Map<number, PeerState>();
  private readonly transmits: Buffer[] = [];
  private readonly events: TurnEvent[] = [];

  constructor(private readonly options: TurnClientOptions) {
    this.random = options.random ?? ((n) => randomBytes(n));
    this.reliable = options.transport === 'tcp';
    this.useChannels = options.useChannels ?? true;
  }

  /** RFC 8656 section 7.1: the first Allocate goes without credentials and draws a 401. */
  start(now: number): void {
    if (this.state !== 'new') return;
    this.lastNow = now;
    this.state = 'allocating';
    this.request(StunMethod.Allocate, now, {});
  }

  pollTransmit(): Buffer | undefined {
    return this.transmits.shift();
  }

  pollEvent(): TurnEvent | undefined {
    return this.events.shift();
  }

  nextDeadline(): number | undefined {
    if (this.state === 'closed' || this.state === 'failed') return undefined;
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.pending.values()) if (p.timer) next = Math.min(next, p.timer.deadline);
    if (this.refreshAt !== undefined) next = Math.min(next, this.refreshAt);
    for (const peer of this.peers.values()) {
      // A bound channel's refresh also refreshes its permission (RFC 8656 section 12.1).
      if (peer.channelBound) {
        if (!peer.channelPending) next = Math.min(next, peer.channelUntil);
      } else if (!peer.permissionPending && peer.permissionUntil > 0) {
        next = Math.min(next, peer.permissionUntil);
      }
    }
    return Number.isFinite(next) ? Math.max(next, this.lastNow) : undefined;
  }

  handleTimeout(now: number): void {
    this.lastNow = Math.max(this.lastNow, now);
    if (this.state === 'closed' || this.state === 'failed') return;
    for (const [id, p] of this.pending) {
      const verdict = p.timer?.poll(now);
      if (verdict === 'retransmit') this.transmits.push(p.bytes);
      else if (verdict === 'timeout') {
        this.pending.delete(id);
        if (p.method === StunMethod.Allocate || p.method === StunMethod.Refresh)
          this.fail('server did not answer');
        else if (p.peer) this.onPeerRequestFailed(p);
      }
    }
    if (this.state !== 'allocated') return;
    if (this.refreshAt !== undefined && now >= this.refreshAt) {
      this.refreshAt = undefined;
      this.request(StunMethod.Refresh, now, { lifetime: this.options.lifetime ?? 600 });
    }
    for (const peer of this.peers.values()) {
      if (peer.channelBound && !peer.channelPending && now >= peer.channelUntil) this.bindChannel(peer, now);
      else if (
        !peer.channelBound &&
        !peer.permissionPending &&
        peer.permissionUntil > 0 &&
        now >= peer.permissionUntil
      ) {
        this.createPermission(peer, now);
      }
    }
  }

  /** Sends data to a peer through the relay: ChannelData when a channel is bound, else a Send indication. */
  send(peer: TransportAddress, data: Uint8Array, now: number): boolean {
    if (this.state !== 'allocated') return false;
    this.lastNow = Math.max(this.lastNow, now);
    const state = this.peerState(peer, now);
    if (!state) return false;
    if (state.channelBound && state.channel !== undefined) {
      this.transmits.push(encodeChannelData(state.channel, data, this.reliable));
      return true;
    }
    // RFC 8656 section 11: Send indication; no integrity (indications cannot be authenticated).
    const b = new StunMessageBuilder(
      StunMethod.Send,
      StunClass.Indication,
      this.random(12),
      data.length + 64,
    );
    b.addAddress(StunAttr.XorPeerAddress, peer);
    b.add(StunAttr.Data, data);
    this.transmits.push(b.finish());
    return true;
  }

  /** Feeds one message received from the server (a datagram, or one framed message over TCP). */
  handleIncoming(bytes: Uint8Array, now: number): void {
    this.lastNow = Math.max(this.lastNow, now);
    if (isChannelData(bytes)) {
      const cd = decodeChannelData(bytes);
      const peer = cd ? this.peersByChannel.get(cd.channel) : undefined;
      if (!cd || !peer) {
        this.stats.dataDropped++;
        return;
      }
      this.events.push({ type: 'data', peer: peer.peer, data: cd.data });
      return;
    }
    const msg = StunMessage.tryParse(bytes);
    if (!msg) {
      this.stats.malformed++;
      return;
    }
    if (msg.messageClass === StunClass.Indication) {
      if (msg.method !== StunMethod.Data) return;
      const peer = msg.address(StunAttr.XorPeerAddress);
      const data = msg.data();
      if (!peer || !data) {
        this.stats.malformed++;
        return;
      }
      this.events.push({ type: 'data', peer, data });
      return;
    }
    if (msg.messageClass === StunClass.Request) return;
    const id = msg.transactionId.toString('latin1');
    const p = this.pending.get(id);
    if (!p) {
      this.stats.unknownTransaction++;
      return;
    }
    const error = msg.messageClass === StunClass.ErrorResponse ? msg.errorCode() : undefined;
    // RFC 8489 section 9.2.5: an authenticated request's responses must carry valid integrity,
    // except a 401/438 that hands out a new nonce.
    const authChallenge =
      error && (error.code === StunErrorCode.Unauthorized || error.code === StunErrorCode.StaleNonce);
    if (this.key && !authChallenge && !msg.verifyIntegrity(this.key)) {
      this.stats.unauthenticated++;
      return;
    }
    this.pending.delete(id);
    if (error) this.onError(p, msg, error.code, now);
    else this.onSuccess(p, msg, now);
  }

  /** RFC 8656 section 8: Refresh with lifetime 0 deletes the allocation. */
  close(now: number): void {
    if (this.state === 'allocated') this.request(StunMethod.Refresh, now, { lifetime: 0 }, false);
    this.state = 'closed';
    this.pending.clear();
  }

  private peerState(peer: TransportAddress, now: number): PeerState | undefined {
    const key = transportAddressKey(peer);
    let state = this.peers.get(key);
    if (!state) {
      if (this.peers.size >= MAX_PEERS) return undefined;
      state = {
        peer,
        permissionUntil: 0,
        permissionPending: false,
        channel: undefined,
        channelBound: false,
        channelUntil: 0,
        channelPending: false,
      };
      this.peers.set(key, state);
      if (this.useChannels) this.bindChannel(state, now);
      else this.createPermission(state, now);
    }
    return state;
  }

  private createPermission(peer: PeerState, now: number): void {
    peer.permissionPending = true;
    this.request(StunMethod.CreatePermission, now, { peer: peer.peer });
  }

  /** RFC 8656 section 12.1: ChannelBind also installs or refreshes the permission. */
  private bindChannel(peer: PeerState, now: number): void {
    if (peer.channel === undefined) {
      if (this.nextChannel > 0x4fff) {
        this.createPermission(peer, now);
        return;
      }
      peer.channel = this.nextChannel++;
      this.peersByChannel.set(peer.channel, peer);
    }
    peer.channelPending = true;
    peer.permissionPending = true;
    this.request(StunMethod.ChannelBind, now, { peer: peer.peer, channel: peer.channel });
  }

  private onPeerRequestFailed(p: Pending): void {
    const peer = p.peer && this.peers.get(transportAddressKey(p.peer));
    if (!peer) return;
    peer.permissionPending = false;
    peer.channelPending = false;
    if (p.method === StunMethod.ChannelBind) {
      // Fall back to a permission and Send indications.
      if (peer.channel !== undefined) this.peersByChannel.delete(peer.channel);
      peer.channel = undefined;
      peer.channelBound = false;
      this.createPermission(peer, this.lastNow);
    }
  }

  private request(
    method: number,
    now: number,
    params: { lifetime?: number; peer?: TransportAddress; channel?: number },
    track = true,
  ): void {
    const p: Pending = {
      method,
      ...(params.peer ? { peer: params.peer } : {}),
      ...(params.channel !== undefined ? { channel: params.channel } : {}),
      bytes: Buffer.alloc(0),
      timer: undefined,
      retriedStaleNonce: false,
    };
    this.sendPending(p, now, params);
    if (track) this.pending.set(p.bytes.subarray(8, 20).toString('latin1'), p);
  }

  private sendPending(
    p: Pending,
    now: number,
    params: { lifetime?: number; peer?: TransportAddress; channel?: number },
  ): void {
    const b = new StunMessageBuilder(p.method, StunClass.Request, this.random(12), 160);
    if (p.method === StunMethod.Allocate) {
      b.addRequestedTransport(17);
      if (this.options.family === 6) b.addRequestedAddressFamily(6);
      b.addU32(StunAttr.Lifetime, this.options.lifetime ?? 600);
    } else if (p.method === StunMethod.Refresh) {
      b.addU32(StunAttr.Lifetime, params.lifetime ?? 600);
    } else if (p.method === StunMethod.ChannelBind) {
      b.addChannelNumber(params.channel!);
      b.addAddress(StunAttr.XorPeerAddress, params.peer!);
    } else if (p.method === StunMethod.CreatePermission) {
      b.addAddress(StunAttr.XorPeerAddress, params.peer!);
    }
    if (this.options.software) b.add(StunAttr.Software, this.options.software);
    if (this.key && this.realm !== undefined && this.nonce !== undefined) {
      b.add(StunAttr.Username, this.options.username);
      b.add(StunAttr.Realm, this.realm);
      b.add(StunAttr.Nonce, this.nonce);
      p.bytes = b.finish({ integrity: this.key, fingerprint: true });
    } else {
      p.bytes = b.finish({ fingerprint: true });
    }
    // RFC 8489 section 6.2.2: no retransmissions over TCP, but give up after 39.5 s.
    p.timer = this.reliable ? new StunRetransmitTimer(now, 39_500, 1, 1) : new StunRetransmitTimer(now);
    this.transmits.push(p.bytes);
  }

  private retry(p: Pending, now: number): void {
    const params = {
      ...(p.method === StunMethod.Refresh
        ? { lifetime: this.state === 'closed' ? 0 : (this.options.lifetime ?? 600) }
        : {}),
      ...(p.peer ? { peer: p.peer } : {}),
      ...(p.channel !== undefined ? { channel: p.channel } : {}),
    };
    this.sendPending(p, now, params);
    this.pending.set(p.bytes.subarray(8, 20).toString('latin1'), p);
  }

  private onError(p: Pending, msg: StunMessage, code: number, now: number): void {
    // RFC 8656 section 7.1 / RFC 8489 section 9.2.5: learn realm and nonce, then retry once.
    if (code === StunErrorCode.Unauthorized && !this.key && p.method === StunMethod.Allocate) {
      const realm = msg.realm();
      const nonce = msg.nonce();
      if (realm === undefined || nonce === undefined) {
        this.fail('401 without realm/nonce');
        return;
      }
      this.realm = realm;
      this.nonce = nonce;
      this.key = StunIntegrityKey.longTerm(this.options.username, realm, this.options.password);
      this.retry(p, now);
      return;
    }
    // RFC 8489 section 9.2.5: 438 Stale Nonce carries a fresh nonce; retry with it.
    if (code === StunErrorCode.StaleNonce && !p.retriedStaleNonce) {
      const nonce = msg.nonce();
      if (nonce !== undefined) {
        this.nonce = nonce;
        const realm = msg.realm();
        if (realm !== undefined && realm !== this.realm) {
          this.realm = realm;
          this.key = StunIntegrityKey.longTerm(this.options.username, realm, this.options.password);
        }
        p.retriedStaleNonce = true;
        this.retry(p, now);
        return;
      }
    }
    if (code === StunErrorCode.TryAlternate && p.method === StunMethod.Allocate && this.redirects < 2) {
      const server = msg.address(StunAttr.AlternateServer);
      if (server) {
        this.redirects++;
        // A new server has its own realm and nonce.
        this.realm = undefined;
        this.nonce = undefined;
        this.key = undefined;
        this.pending.clear();
        this.state = 'new';
        this.events.push({ type: 'redirect', server });
        return;
      }
    }
    log('turn %d error %d', p.method, code);
    if (p.method === StunMethod.Allocate) this.fail(`allocate failed: ${code}`);
    else if (p.method === StunMethod.Refresh) {
      if (this.state !== 'closed') this.fail(`refresh failed: ${code}`);
    } else this.onPeerRequestFailed(p);
  }

  private onSuccess(p: Pending, msg: StunMessage, now: number): void {
    switch (p.method) {
      case StunMethod.Allocate: {
        const relayed = msg.address(StunAttr.XorRelayedAddress);
        if (!relayed) {
          this.fail('allocate success without XOR-RELAYED-ADDRESS');
          return;
        }
        this.relayedAddress = relayed;
        this.mappedAddress = msg.address(StunAttr.XorMappedAddress);
        const lifetime = msg.lifetime() ?? 600;
        this.scheduleRefresh(lifetime, now);
        this.state = 'allocated';
        this.events.push({ type: 'allocated', relayed, mapped: this.mappedAddress, lifetime });
        return;
      }
      case StunMethod.Refresh:
        this.scheduleRefresh(msg.lifetime() ?? this.lifetimeMs / 1000, now);
        return;
      case StunMethod.CreatePermission: {
        const peer = p.peer && this.peers.get(transportAddressKey(p.peer));
        if (peer) {
          peer.permissionPending = false;
          peer.permissionUntil = now + PERMISSION_REFRESH_MS;
        }
        return;
      }
      case StunMethod.ChannelBind: {
        const peer = p.peer && this.peers.get(transportAddressKey(p.peer));
        if (peer) {
          peer.permissionPending = false;
          peer.channelPending = false;
          peer.channelBound = true;
          peer.permissionUntil = now + PERMISSION_REFRESH_MS;
          peer.channelUntil = now + CHANNEL_REFRESH_MS;
        }
        return;
      }
    }
  }

  /** RFC 8656 section 8: refresh a minute before expiry (or halfway for short lifetimes). */
  private scheduleRefresh(lifetimeSeconds: number, now: number): void {
    this.lifetimeMs = lifetimeSeconds * 1000;
    const margin = Math.min(60_000, this.lifetimeMs / 2);
    this.refreshAt = now + this.lifetimeMs - margin;
  }

  private fail(reason: string): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.state = 'failed';
    this.pending.clear();
    this.events.push({ type: 'failed', reason });
  }
}
