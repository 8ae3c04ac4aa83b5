import { describe, expect, it } from 'vitest';
import {
  type DescriptionSide,
  implicitLocalDescriptionType,
  needsImplicitRollback,
  nextSignalingState,
  type RTCSdpType,
  type RTCSignalingState,
  SignalingStateMachine,
} from '../../src/index.js';

const STATES: RTCSignalingState[] = [
  'stable',
  'have-local-offer',
  'have-remote-offer',
  'have-local-pranswer',
  'have-remote-pranswer',
  'closed',
];
const SIDES: DescriptionSide[] = ['local', 'remote'];
const TYPES: RTCSdpType[] = ['offer', 'pranswer', 'answer', 'rollback'];

/**
 * Every legal transition, written out from RFC 9429 3.2 (figure 1 and the text of 5.5/5.6) and
 * W3C webrtc-pc 4.4.1.5: "<state> <side> <type>" -> next state. Anything absent is an
 * InvalidStateError.
 */
const LEGAL: Record<string, RTCSignalingState> = {
  // RFC 9429 3.2: setLocal(offer) from stable; a pending local offer may be replaced.
  'stable local offer': 'have-local-offer',
  'have-local-offer local offer': 'have-local-offer',
  // setRemote(offer) from stable; a pending remote offer may be replaced.
  'stable remote offer': 'have-remote-offer',
  'have-remote-offer remote offer': 'have-remote-offer',
  // The offerer receives pranswer(s), then the final answer.
  'have-local-offer remote pranswer': 'have-remote-pranswer',
  'have-remote-pranswer remote pranswer': 'have-remote-pranswer',
  'have-local-offer remote answer': 'stable',
  'have-remote-pranswer remote answer': 'stable',
  // The answerer sends pranswer(s), then the final answer.
  'have-remote-offer local pranswer': 'have-local-pranswer',
  'have-local-pranswer local pranswer': 'have-local-pranswer',
  'have-remote-offer local answer': 'stable',
  'have-local-pranswer local answer': 'stable',
  // RFC 9429 5.7: rollback through either call returns to stable; W3C 4.4.1.5 allows it only from
  // the offer states.
  'have-local-offer local rollback': 'stable',
  'have-local-offer remote rollback': 'stable',
  'have-remote-offer local rollback': 'stable',
  'have-remote-offer remote rollback': 'stable',
};

describe('JSEP signaling state machine (RFC 9429 3.2, W3C webrtc-pc 4.4.1.5)', () => {
  for (const state of STATES) {
    for (const side of SIDES) {
      for (const type of TYPES) {
        const key = `${state} ${side} ${type}`;
        const expected = LEGAL[key];
        it(`${key} -> ${expected ?? 'InvalidStateError'}`, () => {
          if (expected !== undefined) {
            expect(nextSignalingState(state, side, type)).toBe(expected);
            return;
          }
          let caught: unknown;
          try {
            nextSignalingState(state, side, type);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DOMException);
          expect((caught as DOMException).name).toBe('InvalidStateError');
        });
      }
    }
  }

  it('runs a full offer/pranswer/answer exchange on both sides', () => {
    const offerer = new SignalingStateMachine();
    const answerer = new SignalingStateMachine();
    expect(offerer.state).toBe('stable');
    expect(offerer.setLocal('offer')).toBe(true);
    expect(answerer.setRemote('offer')).toBe(true);
    expect(answerer.setLocal('pranswer')).toBe(true);
    expect(offerer.setRemote('pranswer')).toBe(true);
    expect([offerer.state, answerer.state]).toEqual(['have-remote-pranswer', 'have-local-pranswer']);
    expect(answerer.setLocal('answer')).toBe(true);
    expect(offerer.setRemote('answer')).toBe(true);
    expect([offerer.state, answerer.state]).toEqual(['stable', 'stable']);
  });

  it('reports no change when a pending offer is replaced, and peek does not move', () => {
    const m = new SignalingStateMachine();
    m.setLocal('offer');
    expect(m.setLocal('offer')).toBe(false);
    expect(m.peek('remote', 'answer')).toBe('stable');
    expect(m.state).toBe('have-local-offer');
  });

  it('leaves the state unchanged after an illegal transition', () => {
    const m = new SignalingStateMachine();
    expect(() => m.setRemote('answer')).toThrow(DOMException);
    expect(m.state).toBe('stable');
    expect(() => m.setLocal('rollback')).toThrow(/roll back/);
    expect(m.state).toBe('stable');
  });

  it('rejects everything once closed', () => {
    const m = new SignalingStateMachine();
    m.setLocal('offer');
    m.close();
    expect(m.state).toBe('closed');
    for (const side of SIDES) {
      for (const type of TYPES) expect(() => m.apply(side, type)).toThrow(DOMException);
    }
  });

  it('asks for an implicit rollback only for a remote offer in have-local-offer (W3C 4.4.1.6)', () => {
    expect(needsImplicitRollback('have-local-offer', 'remote', 'offer')).toBe(true);
    expect(needsImplicitRollback('have-local-offer', 'local', 'offer')).toBe(false);
    expect(needsImplicitRollback('stable', 'remote', 'offer')).toBe(false);
    expect(needsImplicitRollback('have-local-offer', 'remote', 'answer')).toBe(false);
  });
});

describe('parameterless setLocalDescription (W3C webrtc-pc setLocalDescription())', () => {
  it('creates an offer in stable, have-local-offer and have-remote-pranswer, else an answer', () => {
    expect(STATES.map((s) => [s, implicitLocalDescriptionType(s)])).toEqual([
      ['stable', 'offer'],
      ['have-local-offer', 'offer'],
      ['have-remote-offer', 'answer'],
      ['have-local-pranswer', 'answer'],
      ['have-remote-pranswer', 'offer'],
      ['closed', 'answer'],
    ]);
  });
});
