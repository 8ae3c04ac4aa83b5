import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  directionFrom,
  isAllowedAnswerDirection,
  type MediaDirection,
  reverseDirection,
} from '../../src/index.js';

const ALL: MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

describe('direction negotiation (RFC 3264 6.1)', () => {
  // RFC 3264 6.1, as a table: offered direction -> directions an answer may carry.
  const ALLOWED: Record<MediaDirection, MediaDirection[]> = {
    sendonly: ['recvonly', 'inactive'],
    recvonly: ['sendonly', 'inactive'],
    sendrecv: ['sendrecv', 'sendonly', 'recvonly', 'inactive'],
    inactive: ['inactive'],
  };

  for (const offered of ALL) {
    it(`answers to ${offered} only with ${ALLOWED[offered].join('/')}`, () => {
      for (const answered of ALL) {
        expect(isAllowedAnswerDirection(offered, answered)).toBe(ALLOWED[offered].includes(answered));
      }
      for (const wish of ALL) {
        const answer = answerDirection(offered, wish);
        expect(ALLOWED[offered]).toContain(answer);
      }
    });
  }

  it('follows the local wish within what the offer permits', () => {
    expect(answerDirection('sendrecv', 'sendrecv')).toBe('sendrecv');
    expect(answerDirection('sendrecv', 'recvonly')).toBe('recvonly');
    expect(answerDirection('sendonly', 'sendrecv')).toBe('recvonly');
    expect(answerDirection('recvonly', 'sendrecv')).toBe('sendonly');
    expect(answerDirection('recvonly', 'recvonly')).toBe('inactive');
    expect(answerDirection('inactive', 'sendrecv')).toBe('inactive');
  });

  it('reverses and builds directions', () => {
    expect(ALL.map(reverseDirection)).toEqual(['sendrecv', 'recvonly', 'sendonly', 'inactive']);
    expect([
      directionFrom(true, true),
      directionFrom(true, false),
      directionFrom(false, true),
      directionFrom(false, false),
    ]).toEqual(ALL);
  });
});
