import { describe, expect, it } from 'vitest';
import { type ConnectionSnapshot, nextConnectionState } from '../src/agent/connection-state.js';

const base: ConnectionSnapshot = {
  current: 'checking',
  hasSelectedPair: false,
  sinceConsentMs: 0,
  consentChecked: true,
  consentFailing: false,
  consentTimeoutMs: 30_000,
  nominationSettled: false,
  nominationDone: false,
  pairStates: ['in-progress'],
  triggeredPending: false,
  checksStarted: true,
  localGatheringDone: true,
  remoteGatheringDone: false,
  unresolvedRemote: false,
  restarting: false,
};

describe('W3C RTCIceConnectionState mapping', () => {
  const cases: [string, Partial<ConnectionSnapshot>, string][] = [
    ['nothing to check yet', { current: 'new', pairStates: [], checksStarted: false }, 'new'],
    ['checks running', {}, 'checking'],
    ['all failed, peer may still trickle', { pairStates: ['failed'] }, 'checking'],
    ['all failed after end-of-candidates', { pairStates: ['failed'], remoteGatheringDone: true }, 'failed'],
    [
      'all failed but a name is still resolving',
      { pairStates: ['failed'], remoteGatheringDone: true, unresolvedRemote: true },
      'checking',
    ],
    ['selected, still nominating', { hasSelectedPair: true }, 'connected'],
    [
      'selected, nominated, everything gathered and checked',
      {
        hasSelectedPair: true,
        nominationSettled: true,
        nominationDone: true,
        pairStates: ['succeeded', 'failed'],
        remoteGatheringDone: true,
      },
      'completed',
    ],
    [
      'restarting keeps connected',
      {
        hasSelectedPair: true,
        nominationSettled: true,
        pairStates: [],
        remoteGatheringDone: true,
        restarting: true,
      },
      'connected',
    ],
    [
      'requests unanswered and silent past the timeout',
      { hasSelectedPair: true, consentFailing: true },
      'disconnected',
    ],
    ['consent expired', { hasSelectedPair: true, consentFailing: true, sinceConsentMs: 30_000 }, 'failed'],
    [
      'lite agents do not run consent',
      { hasSelectedPair: true, consentChecked: false, sinceConsentMs: 60_000 },
      'connected',
    ],
    ['consent failure is final', { hasSelectedPair: true, current: 'failed' }, 'failed'],
  ];
  for (const [name, change, expected] of cases) {
    it(name, () => {
      expect(nextConnectionState({ ...base, ...change })).toBe(expected);
    });
  }
});
