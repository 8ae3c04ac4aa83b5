import type { IceCredentials } from '@purertc/ice';
import { randomIce, ufragOf } from './sdp-helpers.js';

/**
 * When our descriptions carry new ICE credentials (RFC 8445 9, RFC 9429 5.2.1 / 5.3.1): after
 * restartIce() or createOffer({ iceRestart }), or when answering a remote restart. The new
 * credentials only take effect once the description carrying them is applied.
 */
export class IceRestartPlan {
  /** restartIce() was called and no offer carrying new credentials has been applied yet. */
  wanted = false;
  #pending: IceCredentials | undefined;

  /** The credentials a description made now carries. */
  credentialsFor(
    offer: boolean,
    current: IceCredentials,
    pendingRemoteSdp: string | undefined,
    currentRemoteSdp: string | undefined,
  ): IceCredentials {
    const remoteRestarted =
      !offer &&
      pendingRemoteSdp !== undefined &&
      currentRemoteSdp !== undefined &&
      ufragOf(pendingRemoteSdp) !== ufragOf(currentRemoteSdp);
    if ((offer && this.wanted) || remoteRestarted) {
      this.#pending ??= { ufrag: randomIce(8), pwd: randomIce(24) };
      return this.#pending;
    }
    return current;
  }

  /**
   * A local description was applied: the new credentials when it carries them and the agent does
   * not use them yet; the plan is spent either way.
   */
  takeApplied(appliedUfrag: string | undefined, agentUfrag: string | undefined): IceCredentials | undefined {
    const creds = this.#pending;
    this.#pending = undefined;
    this.wanted = false;
    if (creds && agentUfrag !== undefined && appliedUfrag === creds.ufrag && agentUfrag !== creds.ufrag)
      return creds;
    return undefined;
  }

  /** Rollback: credentials made for the rolled-back offer are forgotten (the wish stays). */
  forgetPending(): void {
    this.#pending = undefined;
  }
}
