import { debuglog } from 'node:util';
import { AesCmTransform } from './aes-cm-transform.js';
import { AesGcmJsTransform, canUseJsGcm } from './aes-gcm-js-transform.js';
import { AesGcmTransform } from './aes-gcm-transform.js';
import { deriveSessionKeys, type SrtpSessionKeys } from './key-derivation.js';
import { type SrtpProfileId, srtpProfileParameters } from './profiles.js';
import { ReplayWindow } from './replay-window.js';
import { estimateIndex } from './rollover.js';
import { readU32, type SrtpTransform } from './transform.js';

const log = debuglog('purertc:srtp');

/** Why an incoming packet was dropped. */
export type SrtpDropReason = 'malformed' | 'auth' | 'replay' | 'ssrc-limit';

export type SrtpUnprotectResult = { ok: true; packet: Uint8Array } | { ok: false; reason: SrtpDropReason };

/** Thrown by the protect methods for packets the caller built wrongly; the context is unchanged. */
export class SrtpError extends Error {
  override readonly name = 'SrtpError';
  constructor(
    readonly code: 'malformed' | 'ssrc-limit',
    message: string,
  ) {
    super(message);
  }
}

export interface SrtpContextOptions {
  profile: SrtpProfileId;
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
  /** Replay window in packets (RFC 3711 3.3.2); default 64, larger suits video. */
  replayWindowSize?: number;
  /** Most SSRCs tracked per direction and per RTP/RTCP; default 1024. */
  maxSsrcs?: number;
  /**
   * AEAD profiles: payloads up to this many bytes use AES-CTR from a long-lived ECB context plus
   * a constant-time JS GHASH (no cipher object per packet), larger ones Node's GCM. 0 always
   * uses Node's GCM. Default 256 bytes (below the measured crossover, see README.md).
   */
  gcmJsMaxPayload?: number;
}

export interface SrtpStats {
  rtpProtected: number;
  rtpUnprotected: number;
  rtcpProtected: number;
  rtcpUnprotected: number;
  dropped: Record<SrtpDropReason, number>;
}

interface SendRtpState {
  roc: number;
  highestSeq: number;
  highestIndex: number;
}

interface ReceiveState {
  roc: number;
  highestSeq: number;
  window: ReplayWindow;
}

/**
 * One SRTP cryptographic context (RFC 3711 3.2): one master key and salt, with per-SSRC state
 * created on first use. Protect keeps sender state, unprotect keeps receiver state, separately, so a
 * context can serve either direction. Unprotect never changes state unless the packet
 * authenticated.
 */
export class SrtpContext {
  readonly profile: SrtpProfileId;
  readonly stats: SrtpStats = {
    rtpProtected: 0,
    rtpUnprotected: 0,
    rtcpProtected: 0,
    rtcpUnprotected: 0,
    dropped: { malformed: 0, auth: 0, replay: 0, 'ssrc-limit': 0 },
  };
  private readonly transform: SrtpTransform;
  private readonly windowSize: number;
  private readonly maxSsrcs: number;
  private readonly rtpTag: number;
  private readonly rtcpTag: number;
  private readonly aead: boolean;
  private readonly sendRtp = new Map<number, SendRtpState>();
  private readonly receiveRtp = new Map<number, ReceiveState>();
  private readonly sendRtcp = new Map<number, { next: number }>();
  private readonly receiveRtcp = new Map<number, ReplayWindow>();

  constructor(options: SrtpContextOptions) {
    const keys = deriveSessionKeys(options.profile, options.masterKey, options.masterSalt);
    this.profile = options.profile;
    this.transform = createTransform(options.profile, keys, options.gcmJsMaxPayload);
    this.windowSize = options.replayWindowSize ?? 64;
    if (!Number.isInteger(this.windowSize) || this.windowSize < 1)
      throw new RangeError('replayWindowSize must be >= 1');
    this.maxSsrcs = options.maxSsrcs ?? 1024;
    this.rtpTag = this.transform.rtpTagLength;
    this.rtcpTag = this.transform.rtcpTagLength;
    this.aead = srtpProfileParameters(options.profile).aead;
  }

  /** Encrypts and authenticates one RTP packet; returns a new buffer. */
  protectRtp(packet: Uint8Array): Uint8Array {
    const headerLength = checkRtpHeader(packet, packet.length);
    if (headerLength < 0) throw new SrtpError('malformed', 'not a valid RTP packet');
    const ssrc = readU32(packet, 8);
    const seq = (packet[2]! << 8) | packet[3]!;
    let state = this.sendRtp.get(ssrc);
    if (!state) {
      if (this.sendRtp.size >= this.maxSsrcs) throw new SrtpError('ssrc-limit', 'too many SSRCs');
      state = { roc: 0, highestSeq: seq, highestIndex: seq };
      this.sendRtp.set(ssrc, state);
    }
    // RFC 3711 3.3.1: the sender's ROC counts wraps of the sequence numbers it sends.
    const { index, v } = estimateIndex(state.roc, state.highestSeq, seq);
    if (index > state.highestIndex) {
      state.roc = v;
      state.highestSeq = seq;
      state.highestIndex = index;
    }
    this.stats.rtpProtected++;
    return this.transform.protectRtp(packet, headerLength, ssrc, Math.max(v, 0) >>> 0, seq);
  }

  unprotectRtp(packet: Uint8Array): SrtpUnprotectResult {
    const end = packet.length - this.rtpTag;
    const headerLength = checkRtpHeader(packet, end);
    if (headerLength < 0) return this.drop('malformed');
    const ssrc = readU32(packet, 8);
    const seq = (packet[2]! << 8) | packet[3]!;
    const state = this.receiveRtp.get(ssrc);
    let roc = 0;
    let index = seq;
    if (state) {
      const guess = estimateIndex(state.roc, state.highestSeq, seq);
      // RFC 3711 3.3.2: replayed or too old for the window; v < 0 predates the first packet seen.
      if (guess.v < 0 || !state.window.check(guess.index)) return this.drop('replay');
      roc = guess.v;
      index = guess.index;
    } else if (this.receiveRtp.size >= this.maxSsrcs) {
      return this.drop('ssrc-limit');
    }
    const out = this.transform.unprotectRtp(packet, headerLength, ssrc, roc >>> 0, seq);
    if (!out) return this.drop('auth');
    // Only an authenticated packet may create or advance state (RFC 3711 3.3.1-3.3.2).
    if (state) {
      if (index > state.window.highest) {
        state.roc = roc;
        state.highestSeq = seq;
      }
      state.window.commit(index);
    } else {
      const window = new ReplayWindow(this.windowSize);
      window.commit(index);
      this.receiveRtp.set(ssrc, { roc: 0, highestSeq: seq, window });
    }
    this.stats.rtpUnprotected++;
    return { ok: true, packet: out };
  }

  /** Encrypts (E=1) and authenticates one RTCP compound packet; returns a new buffer. */
  protectRtcp(packet: Uint8Array): Uint8Array {
    if (!isRtcpHeader(packet, packet.length)) throw new SrtpError('malformed', 'not a valid RTCP packet');
    const ssrc = readU32(packet, 4);
    let state = this.sendRtcp.get(ssrc);
    if (!state) {
      if (this.sendRtcp.size >= this.maxSsrcs) throw new SrtpError('ssrc-limit', 'too many SSRCs');
      state = { next: 0 };
      this.sendRtcp.set(ssrc, state);
    }
    const index = state.next;
    // RFC 3711 3.4: the SRTCP index is 31 bits.
    state.next = (index + 1) & 0x7fffffff;
    this.stats.rtcpProtected++;
    return this.transform.protectRtcp(packet, ssrc, index);
  }

  unprotectRtcp(packet: Uint8Array): SrtpUnprotectResult {
    const rtcpEnd = packet.length - this.rtcpTag - 4;
    if (!isRtcpHeader(packet, rtcpEnd)) return this.drop('malformed');
    const ssrc = readU32(packet, 4);
    // RFC 3711 3.4 puts E||index before the tag; RFC 7714 9.2 puts it after.
    const indexAt = this.aead ? packet.length - 4 : rtcpEnd;
    const index = readU32(packet, indexAt) & 0x7fffffff;
    const window = this.receiveRtcp.get(ssrc);
    if (window) {
      if (!window.check(index)) return this.drop('replay');
    } else if (this.receiveRtcp.size >= this.maxSsrcs) {
      return this.drop('ssrc-limit');
    }
    const out = this.transform.unprotectRtcp(packet, ssrc);
    if (!out) return this.drop('auth');
    if (window) {
      window.commit(index);
    } else {
      const created = new ReplayWindow(this.windowSize);
      created.commit(index);
      this.receiveRtcp.set(ssrc, created);
    }
    this.stats.rtcpUnprotected++;
    return { ok: true, packet: out };
  }

  /** Forgets the state of one SSRC (for example after an RTCP BYE). */
  removeSsrc(ssrc: number): void {
    this.sendRtp.delete(ssrc);
    this.receiveRtp.delete(ssrc);
    this.sendRtcp.delete(ssrc);
    this.receiveRtcp.delete(ssrc);
  }

  private drop(reason: SrtpDropReason): SrtpUnprotectResult {
    this.stats.dropped[reason]++;
    log('dropped packet: %s', reason);
    return { ok: false, reason };
  }
}

/**
 * `gcmJsMaxPayload`: the largest payload the AEAD profiles handle with the constant-time JS GHASH
 * path; larger ones use Node's GCM. 0 disables the JS path.
 */
export function createTransform(
  profile: SrtpProfileId,
  keys: SrtpSessionKeys,
  gcmJsMaxPayload = DEFAULT_GCM_JS_MAX_PAYLOAD,
): SrtpTransform {
  const p = srtpProfileParameters(profile);
  if (!p.aead) return new AesCmTransform(keys, p.rtpTagLength);
  return canUseJsGcm && gcmJsMaxPayload > 0
    ? new AesGcmJsTransform(keys, gcmJsMaxPayload)
    : new AesGcmTransform(keys);
}

/**
 * Measured A/B in one process (CPU time per packet, 2-core Xeon, Node 20; see README.md and
 * bench/gcm-crossover.ts in this package): with the keystream batched over 16-32 packets, ECB
 * keystream + constant-time JS GHASH takes 0.6-0.75x the time of a Node GCM object per packet at
 * 160-192 bytes of payload, 0.8-1.0x at 256, about even at 320, and 1.2-1.9x at 384-640. 256
 * (sixteen blocks) stays on the winning side: audio packets take the JS path, video-sized ones Node's.
 */
export const DEFAULT_GCM_JS_MAX_PAYLOAD = 256;

/** RTP header length within `bytes[0, end)`, or -1 (RFC 3550 5.1); no throw on the hot path. */
function checkRtpHeader(bytes: Uint8Array, end: number): number {
  if (end < 12 || bytes[0]! >> 6 !== 2) return -1;
  const b0 = bytes[0]!;
  let offset = 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (offset + 4 > end) return -1;
    offset += 4 + ((bytes[offset + 2]! << 8) | bytes[offset + 3]!) * 4;
  }
  return offset > end ? -1 : offset;
}

/** A first RTCP header that is version 2 and fits, with room for the sender SSRC (RFC 3550 6.4). */
function isRtcpHeader(bytes: Uint8Array, end: number): boolean {
  return end >= 8 && bytes[0]! >> 6 === 2 && bytes[1]! >= 192 && bytes[1]! <= 223;
}
