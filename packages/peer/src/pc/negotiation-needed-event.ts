import { safeDispatch } from './event-handlers.js';
import type { OperationsChain } from './operations-chain.js';

/**
 * W3C webrtc-pc 4.7.3 "update the negotiation-needed flag": negotiationneeded fires once per
 * need, only in the stable state, after the operations chain is empty, and never again until a
 * local offer clears the flag.
 */
export class NegotiationNeededEvent {
  #flag = false;
  #queued = false;
  readonly #target: EventTarget;
  readonly #chain: OperationsChain;
  /** Whether an event may fire now (open and stable), and whether negotiation is needed. */
  readonly #canFire: () => boolean;
  readonly #isNeeded: () => boolean;

  constructor(target: EventTarget, chain: OperationsChain, canFire: () => boolean, isNeeded: () => boolean) {
    this.#target = target;
    this.#chain = chain;
    this.#canFire = canFire;
    this.#isNeeded = isNeeded;
  }

  /** A local offer was applied. */
  clear(): void {
    this.#flag = false;
  }

  update(): void {
    if (!this.#canFire()) return;
    if (!this.#isNeeded()) {
      this.#flag = false;
      return;
    }
    if (this.#flag || this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#chain.afterPending(() => {
        this.#queued = false;
        if (!this.#canFire() || !this.#isNeeded()) return;
        this.#flag = true;
        safeDispatch(this.#target, new Event('negotiationneeded'));
      });
    });
  }
}
