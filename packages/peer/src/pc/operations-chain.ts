import { invalidStateError } from '../errors.js';

/**
 * W3C webrtc-pc 4.4.1.2 (operations chain): JSEP operations run one at a time, in call order,
 * each after the previous one settled, and reject once the connection is closed.
 */
export class OperationsChain {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #isClosed: () => boolean;

  constructor(isClosed: () => boolean) {
    this.#isClosed = isClosed;
  }

  enqueue<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.#isClosed()) return Promise.reject(invalidStateError('the RTCPeerConnection is closed'));
    const run = async (): Promise<T> => {
      if (this.#isClosed()) throw invalidStateError('the RTCPeerConnection is closed');
      return fn();
    };
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Runs `fn` once every operation queued so far has settled. */
  afterPending(fn: () => void): void {
    void this.#tail.then(fn);
  }
}
