import type { IceCredentials } from '@purertc/ice';
import { randomIce, ufragOf } from './sdp-helpers.js';

/**
 * When our descriptions carry new ICE credentials (RFC 8445 9, RFC 9429 5.2.1 / 5.3.1): after
 * restartIce() or createOffer({ iceRestart }), or when answering a remote restart. The new
 * credentials, one set per transport, only take effect once the description carrying them is
 * applied.
 */
export class IceRestartPlan {
  /** restartIce() was called and no offer carrying new credentials has been applied yet. */
  wanted = false;
  readonly #pending = new Map<string, IceCredentials>();

  /** The credentials a description made now carries for transport `transportId`. */
  credentialsFor(
    transportId: string,
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
      let creds = this.#pending.get(transportId);
      if (!creds) {
        creds = { ufrag: randomIce(8), pwd: randomIce(24) };
        this.#pending.set(transportId, creds);
      }
      return creds;
    }
    return current;
  }

  /**
   * A local description was applied: the new credentials of transport `transportId` when the
   * description carries them and its agent does not use them yet.
   */
  appliedFor(
    transportId: string,
    appliedUfrag: string | undefined,
    agentUfrag: string | undefined,
  ): IceCredentials | undefined {
    const creds = this.#pending.get(transportId);
    if (creds && agentUfrag !== undefined && appliedUfrag === creds.ufrag && agentUfrag !== creds.ufrag)
      return creds;
    return undefined;
  }

  /** After a local description was applied: the plan is spent. */
  spent(): void {
    this.#pending.clear();
    this.wanted = false;
  }

  /** Rollback: credentials made for the rolled-back offer are forgotten (the wish stays). */
  forgetPending(): void {
    this.#pending.clear();
  }
}
