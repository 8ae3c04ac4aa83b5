import { debuglog } from 'node:util';
import type { LocalCandidateInput } from '@purertc/ice';
import type { GatherError, PeerDriver } from '../driver/driver.js';
import type { RTCIceGatheringState } from '../transport/states.js';
import { flattenIceServers, type ResolvedConfiguration } from './configuration.js';
import { safeDispatch } from './event-handlers.js';
import { RTCPeerConnectionIceErrorEvent } from './events.js';
import type { TransportIo } from './transport-io.js';

const log = debuglog('purertc:peer');

/** Candidates the driver found before the transport existed (iceCandidatePoolSize). */
interface CandidatePool {
  candidates: LocalCandidateInput[];
  errors: GatherError[];
  done: Promise<void>;
  sink?: { candidate(c: LocalCandidateInput): void; error(e: GatherError): void };
}

/**
 * Local candidate gathering of one connection: the driver gathers once (possibly before any
 * description, W3C 4.4.1.6 iceCandidatePoolSize) and what it finds feeds the transport; the
 * W3C iceGatheringState follows.
 */
export class CandidateGathering {
  readonly #driver: PeerDriver;
  readonly #target: EventTarget;
  readonly #isClosed: () => boolean;
  readonly #onStateChange: () => void;
  #pool: CandidatePool | undefined;
  #started = false;
  #done = false;
  #state: RTCIceGatheringState = 'new';

  /** `onStateChange` runs after each change: the connection's state aggregates its transports'. */
  constructor(driver: PeerDriver, target: EventTarget, isClosed: () => boolean, onStateChange: () => void) {
    this.#driver = driver;
    this.#target = target;
    this.#isClosed = isClosed;
    this.#onStateChange = onStateChange;
  }

  get state(): RTCIceGatheringState {
    return this.#state;
  }
  get started(): boolean {
    return this.#started;
  }
  /** The driver finished gathering (every socket and server answered or gave up). */
  get done(): boolean {
    return this.#done;
  }

  setState(state: RTCIceGatheringState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onStateChange();
  }

  /** Starts feeding gathered candidates to the transport (the first local description is set). */
  start(io: TransportIo, config: ResolvedConfiguration): void {
    if (this.#started) return;
    this.#started = true;
    this.setState('gathering');
    const transport = io.transport;
    const pool = this.prefetch(config);
    pool.sink = {
      candidate: (candidate) => {
        if (!this.#isClosed()) io.run(() => transport.addLocalCandidate(candidate));
      },
      error: (error) => {
        if (!this.#isClosed())
          safeDispatch(this.#target, new RTCPeerConnectionIceErrorEvent('icecandidateerror', error));
      },
    };
    for (const c of pool.candidates.splice(0)) pool.sink.candidate(c);
    for (const e of pool.errors.splice(0)) pool.sink.error(e);
    void pool.done.then(() => {
      if (this.#isClosed()) return;
      this.#done = true;
      io.run(() => transport.ice.endOfLocalCandidates());
    });
  }

  /**
   * W3C 4.4.1.6 iceCandidatePoolSize: gathering may begin before any description. The driver
   * gathers once; what it finds waits here until the transport exists.
   */
  prefetch(config: ResolvedConfiguration): CandidatePool {
    if (this.#pool) return this.#pool;
    const pool: CandidatePool = { candidates: [], errors: [], done: Promise.resolve() };
    pool.done = this.#driver
      .gather(
        {
          iceServers: flattenIceServers(config.iceServers),
          relayOnly: config.iceTransportPolicy === 'relay',
        },
        (candidate) => (pool.sink ? pool.sink.candidate(candidate) : pool.candidates.push(candidate)),
        (error) => (pool.sink ? pool.sink.error(error) : pool.errors.push(error)),
      )
      .catch((e: unknown) => log('gathering failed: %s', String(e)));
    this.#pool = pool;
    return pool;
  }
}
