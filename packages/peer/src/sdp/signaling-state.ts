import { invalidStateError } from '../errors.js';

/** W3C webrtc-pc 4.3.1 RTCSignalingState. */
export type RTCSignalingState =
  | 'stable'
  | 'have-local-offer'
  | 'have-remote-offer'
  | 'have-local-pranswer'
  | 'have-remote-pranswer'
  | 'closed';

/** W3C webrtc-pc 4.6.1 RTCSdpType. */
export type RTCSdpType = 'offer' | 'pranswer' | 'answer' | 'rollback';

export type DescriptionSide = 'local' | 'remote';

type Table = Partial<Record<RTCSignalingState, RTCSignalingState>>;

/**
 * RFC 9429 3.2 (the state diagram) with 5.5/5.6: which state a description of each type moves to,
 * keyed by the state it is applied in. States not listed reject with InvalidStateError.
 */
const TRANSITIONS: Record<DescriptionSide, Record<Exclude<RTCSdpType, 'rollback'>, Table>> = {
  local: {
    // A new local offer may replace a pending one (RFC 9429 5.5).
    offer: { stable: 'have-local-offer', 'have-local-offer': 'have-local-offer' },
    pranswer: { 'have-remote-offer': 'have-local-pranswer', 'have-local-pranswer': 'have-local-pranswer' },
    answer: { 'have-remote-offer': 'stable', 'have-local-pranswer': 'stable' },
  },
  remote: {
    offer: { stable: 'have-remote-offer', 'have-remote-offer': 'have-remote-offer' },
    pranswer: { 'have-local-offer': 'have-remote-pranswer', 'have-remote-pranswer': 'have-remote-pranswer' },
    answer: { 'have-local-offer': 'stable', 'have-remote-pranswer': 'stable' },
  },
};

/**
 * The state after applying a description, or an InvalidStateError (thrown) when the type is not
 * valid in `state`. Rollback: RFC 9429 5.7 allows it in any state but stable; W3C webrtc-pc
 * 4.4.1.5 narrows that to the two offer states (rolling back a pranswer is an InvalidStateError),
 * and the W3C rule is the one applied here. Either side may roll back (RFC 9429 5.7: same effect).
 */
export function nextSignalingState(
  state: RTCSignalingState,
  side: DescriptionSide,
  type: RTCSdpType,
): RTCSignalingState {
  if (state === 'closed') throw invalidStateError('The RTCPeerConnection is closed');
  if (type === 'rollback') {
    if (state === 'have-local-offer' || state === 'have-remote-offer') return 'stable';
    throw invalidStateError(`Cannot roll back in state ${state}`);
  }
  const next = TRANSITIONS[side][type][state];
  if (next === undefined) {
    throw invalidStateError(`Cannot set ${side} ${type} in state ${state}`);
  }
  return next;
}

/**
 * W3C webrtc-pc setRemoteDescription() (implicit rollback, for perfect negotiation): an offer that
 * is invalid in the current state is preceded by a local rollback. Only in have-local-offer can
 * that rollback succeed; in the pranswer states it is itself an InvalidStateError, which is what
 * nextSignalingState gives for the offer anyway.
 */
export function needsImplicitRollback(
  state: RTCSignalingState,
  side: DescriptionSide,
  type: RTCSdpType,
): boolean {
  return side === 'remote' && type === 'offer' && state === 'have-local-offer';
}

/** The signaling state of one connection; pure apart from its own field. */
export class SignalingStateMachine {
  #state: RTCSignalingState = 'stable';

  get state(): RTCSignalingState {
    return this.#state;
  }

  /** Validates without changing anything, so callers can check before doing any work. */
  peek(side: DescriptionSide, type: RTCSdpType): RTCSignalingState {
    return nextSignalingState(this.#state, side, type);
  }

  /** Applies a description; returns true when the state changed (signalingstatechange fires). */
  apply(side: DescriptionSide, type: RTCSdpType): boolean {
    const next = nextSignalingState(this.#state, side, type);
    const changed = next !== this.#state;
    this.#state = next;
    return changed;
  }

  setLocal(type: RTCSdpType): boolean {
    return this.apply('local', type);
  }

  setRemote(type: RTCSdpType): boolean {
    return this.apply('remote', type);
  }

  /** W3C webrtc-pc 4.4.1.x close(): closed, with no signalingstatechange event. */
  close(): void {
    this.#state = 'closed';
  }
}

/**
 * W3C webrtc-pc setLocalDescription() without a type (parameterless): an offer in stable,
 * have-local-offer and have-remote-pranswer, an answer otherwise.
 */
export function implicitLocalDescriptionType(state: RTCSignalingState): 'offer' | 'answer' {
  return state === 'stable' || state === 'have-local-offer' || state === 'have-remote-pranswer'
    ? 'offer'
    : 'answer';
}
