import type { Parameter } from '../packet/parameter.js';
import { findParameter } from '../packet/parameter.js';
import { Timer, type TimerSet } from '../timer/timer.js';

/** RFC 8899 5.1.2 MAX_PROBES: consecutive unacknowledged probes of one size before it counts as failed. */
const MAX_PROBES = 3;
/** RFC 8899 5.1.1: the PROBE_TIMER MUST NOT be below 1 s. */
const MIN_PROBE_TIMER = 1000;
/**
 * The search starts this long after the association is up rather than at once: the first packets
 * of a connection are its handshake's and the application's first messages (DCEP), and a probe
 * pair of up to 2 KiB each way would only sit in front of them; a connection gone within this
 * time never probes.
 */
const START_DELAY = 100;
/** RFC 8899 5.1.1 PMTU_RAISE_TIMER: how long a completed search rests before trying larger sizes. */
const RAISE_INTERVAL = 600_000;
/** The search stops once the unconfirmed range is narrower than this (a few % of a packet). */
const SEARCH_GRANULARITY = 32;
/**
 * T3-rtx expiries in a row (without a SACK advancing in between) taken as a black hole for
 * packets of the current size (RFC 8899 4.3): one expiry is ordinary loss.
 */
const BLACK_HOLE_T3 = 2;

/**
 * A probe's Heartbeat Info starts with a marker, the probed size (RFC 8899 6.2.1.2 suggests
 * naming it) and a nonce; zeros fill it to the probed size.
 */
const PROBE_MARKER = 0x504d5455;
const PROBE_ID_LENGTH = 16;
/** SCTP common header + HEARTBEAT chunk header + Heartbeat Info parameter header. */
export const PROBE_OVERHEAD = 12 + 4 + 4;

export type PathMtuState = 'disabled' | 'searching' | 'search-complete';

export interface MtuProbe {
  /** The whole SCTP packet's size. */
  size: number;
  /** The Heartbeat Info that fills the HEARTBEAT chunk to it. */
  info: Buffer;
}

/**
 * Datagram Packetization Layer PMTU Discovery for SCTP (RFC 8899, 6.2.1; RFC 8261 as updated by
 * RFC 8899 for SCTP over DTLS), sans-I/O. Data keeps flowing at the confirmed size (the PLPMTU,
 * starting at BASE_PLPMTU); probes are HEARTBEAT packets of the size under test, so a lost probe
 * costs no user data.
 *
 * RFC 8899 6.2.1.1 pads the probe with a PAD chunk (RFC 4820). werift's SCTP throws on that chunk
 * type (an unhandled rejection, which ends a Node process by default) and Pion drops the packet,
 * so the padding goes in the Heartbeat Info instead, which every RFC 9260 peer echoes (3.3.5,
 * 8.3). The ACK is then as large as the probe: a size is confirmed for both directions, which
 * only ever errs small (Chrome's dcSCTP sends nothing above its own 1191-ish MTU, so with Chrome
 * no larger size is ever confirmed and data stays at the base size). The search tries the largest allowed size first (on the paths this
 * is enabled for, the likely answer), then halves the unconfirmed range. Repeated T3-rtx
 * expiries fall back to the base size and search again (black hole detection, 4.3).
 */
export class PathMtuDiscovery {
  state: PathMtuState = 'disabled';
  private plpmtu: number;
  private max: number;
  /** The smallest size known not to pass (exclusive upper bound of the search); max + 1 when none. */
  private failed: number;
  private probeSize = 0;
  private probeCount = 0;
  private nonce: Buffer | undefined;
  private consecutiveT3 = 0;
  private started = false;
  private readonly probeTimer: Timer;
  private readonly raiseTimer: Timer;
  /** Probes sent and sizes confirmed, for stats and tests. */
  probesSent = 0;
  blackHoles = 0;

  constructor(
    timers: TimerSet,
    private readonly base: number,
    max: number,
    private readonly random: (n: number) => Buffer,
  ) {
    this.plpmtu = base;
    this.max = Math.max(base, alignDown(max));
    this.failed = this.max + 1;
    this.probeTimer = timers.add(new Timer('pmtu-probe', MIN_PROBE_TIMER));
    this.raiseTimer = timers.add(new Timer('pmtu-raise', RAISE_INTERVAL));
  }

  /** The confirmed packet size (PLPMTU): what data packets may use now. */
  get current(): number {
    return this.plpmtu;
  }

  get maximum(): number {
    return this.max;
  }

  /** The association is established: BASE_PLPMTU is confirmed by the handshake; search upwards. */
  start(now: number): void {
    this.started = true;
    this.restartSearch(now, START_DELAY);
  }

  stop(): void {
    this.started = false;
    this.state = 'disabled';
    this.nonce = undefined;
    this.probeTimer.stop();
    this.raiseTimer.stop();
  }

  /**
   * A new MAX_PLPMTU (RFC 8899 5.3.1: the local MTU of the path in use, or an application's cap),
   * e.g. when ICE moves to another pair. Returns true when the PLPMTU had to shrink.
   */
  setMaximum(max: number, now: number): boolean {
    const m = Math.max(this.base, alignDown(max));
    if (m === this.max) return false;
    this.max = m;
    const shrunk = this.plpmtu > m;
    if (shrunk) this.plpmtu = m;
    if (this.started) this.restartSearch(now);
    else this.failed = m + 1;
    return shrunk;
  }

  /** A probe to send now, if one is due (call from the association's timeout handling). */
  handleTimeout(now: number, rto: number): MtuProbe | undefined {
    if (this.raiseTimer.isDue(now)) {
      this.raiseTimer.stop();
      this.restartSearch(now);
    }
    if (!this.probeTimer.isDue(now)) return undefined;
    if (this.nonce) {
      // RFC 8899 5.3.1: the PROBE_TIMER expired, the probe failed to confirm its size.
      this.nonce = undefined;
      if (++this.probeCount >= MAX_PROBES) {
        this.failed = this.probeSize;
        this.probeCount = 0;
      }
    }
    const size = this.probeCount > 0 ? this.probeSize : this.nextSize();
    if (size === undefined) {
      this.probeTimer.stop();
      this.state = 'search-complete';
      // 5.3.1: with the search done below the maximum, try again after PMTU_RAISE_TIMER.
      if (this.plpmtu < this.max) this.raiseTimer.start(now, RAISE_INTERVAL);
      return undefined;
    }
    this.probeSize = size;
    const info = Buffer.alloc(size - PROBE_OVERHEAD);
    info.writeUInt32BE(PROBE_MARKER, 0);
    info.writeUInt32BE(size, 4);
    this.random(8).copy(info, 8);
    this.nonce = Buffer.from(info.subarray(0, PROBE_ID_LENGTH));
    this.probesSent++;
    this.probeTimer.start(now, Math.max(MIN_PROBE_TIMER, rto));
    return { size, info };
  }

  /**
   * A HEARTBEAT ACK: true when it answers a probe (whether or not the latest), so the caller does
   * not treat it as a plain heartbeat. Confirms the probed size when it echoes the outstanding one.
   */
  handleAck(params: readonly Parameter[], now: number): { probe: boolean; confirmed: boolean } {
    const info = findParameter(params, 'heartbeat-info')?.info;
    if (!info || info.length < PROBE_ID_LENGTH || info.readUInt32BE(0) !== PROBE_MARKER) {
      return { probe: false, confirmed: false };
    }
    const id = info.subarray(0, PROBE_ID_LENGTH);
    if (!this.nonce || !id.equals(this.nonce) || info.length !== this.probeSize - PROBE_OVERHEAD) {
      return { probe: true, confirmed: false };
    }
    this.nonce = undefined;
    this.probeCount = 0;
    // 5.3.1: the acknowledged size becomes the PLPMTU; the search goes on at once.
    if (this.probeSize > this.plpmtu) this.plpmtu = this.probeSize;
    this.probeTimer.start(now, 0);
    return { probe: true, confirmed: true };
  }

  /** A SACK advanced the cumulative TSN: packets of the current size do get through. */
  onProgress(): void {
    this.consecutiveT3 = 0;
  }

  /** A T3-rtx expiry. Returns true when this falls back to the base size (RFC 8899 4.3, 5.2). */
  onT3Expiry(now: number): boolean {
    if (++this.consecutiveT3 < BLACK_HOLE_T3 || this.plpmtu <= this.base || !this.started) return false;
    this.consecutiveT3 = 0;
    this.blackHoles++;
    this.plpmtu = this.base;
    // A burst of loss can look like a black hole too: search again right away, from the top, so a
    // path that still carries large packets gets them back within a round trip.
    this.restartSearch(now);
    return true;
  }

  private restartSearch(now: number, delay = 0): void {
    this.failed = this.max + 1;
    this.probeCount = 0;
    this.nonce = undefined;
    this.raiseTimer.stop();
    if (this.plpmtu >= this.max) {
      this.probeTimer.stop();
      this.state = this.max > this.base ? 'search-complete' : 'disabled';
      return;
    }
    this.state = 'searching';
    this.probeTimer.start(now, delay);
  }

  /** The largest allowed size first, then binary search between the PLPMTU and the failed size. */
  private nextSize(): number | undefined {
    const hi = this.failed - 1;
    if (hi - this.plpmtu < SEARCH_GRANULARITY) return undefined;
    if (this.failed > this.max) return this.max;
    return alignDown(this.plpmtu + Math.floor((hi - this.plpmtu) / 2));
  }
}

/** SCTP packets are multiples of 4 bytes (chunks are padded). */
function alignDown(n: number): number {
  return Math.floor(n) & ~3;
}
