import type { CandidatePairState, IceConnectionState } from './types.js';

export interface ConnectionSnapshot {
  readonly current: IceConnectionState;
  readonly hasSelectedPair: boolean;
  /** Milliseconds since the last consent response on the selected pair (RFC 7675 expiry). */
  readonly sinceConsentMs: number;
  readonly consentChecked: boolean;
  /** The `disconnected` rule of consent.ts holds: requests unanswered and the pair silent. */
  readonly consentFailing: boolean;
  readonly consentTimeoutMs: number;
  /** The controlling side finished nominating, or this side does not nominate. */
  readonly nominationSettled: boolean;
  readonly nominationDone: boolean;
  readonly pairStates: readonly CandidatePairState[];
  readonly triggeredPending: boolean;
  readonly checksStarted: boolean;
  readonly localGatheringDone: boolean;
  readonly remoteGatheringDone: boolean;
  readonly unresolvedRemote: boolean;
  /** An ICE restart is checking a new generation while the old selected pair carries traffic. */
  readonly restarting: boolean;
}

/**
 * Maps the agent's situation onto W3C `RTCIceConnectionState` (webrtc-pc section 5.6.3):
 * consent loss (RFC 7675) gives `disconnected` then `failed`; all pairs failed after the
 * peer's end-of-candidates (RFC 8838 section 8) gives `failed`.
 */
export function nextConnectionState(s: ConnectionSnapshot): IceConnectionState {
  if (s.hasSelectedPair) {
    // Consent lost is final until a restart (RFC 7675 section 5.1).
    if (s.current === 'failed') return 'failed';
    if (s.consentChecked && s.sinceConsentMs >= s.consentTimeoutMs) return 'failed';
    if (s.consentChecked && s.consentFailing) return 'disconnected';
    if (!s.nominationSettled || s.restarting) return 'connected';
    // RFC 8445 section 8.1.2: after nomination, pairs not yet checked never will be.
    const checking = s.pairStates.some(
      (p) => p === 'in-progress' || ((p === 'waiting' || p === 'frozen') && !s.nominationDone),
    );
    return s.remoteGatheringDone && s.localGatheringDone && !checking ? 'completed' : 'connected';
  }
  if (s.pairStates.length === 0 && !s.checksStarted) {
    if (s.current === 'new') return 'new';
    return s.remoteGatheringDone && s.current === 'checking' ? 'failed' : 'checking';
  }
  const pending = s.pairStates.some((p) => p !== 'failed') || s.triggeredPending;
  return !pending && s.remoteGatheringDone && !s.unresolvedRemote ? 'failed' : 'checking';
}
