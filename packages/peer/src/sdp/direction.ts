import type { MediaDirection } from './model.js';

export function directionSends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

export function directionReceives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

export function directionFrom(send: boolean, receive: boolean): MediaDirection {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/** The same stream seen from the other end: what the remote sends, we receive. */
export function reverseDirection(direction: MediaDirection): MediaDirection {
  return directionFrom(directionReceives(direction), directionSends(direction));
}

/** Both wishes at once: sending only if both allow it, receiving likewise. */
export function intersectDirections(a: MediaDirection, b: MediaDirection): MediaDirection {
  return directionFrom(directionSends(a) && directionSends(b), directionReceives(a) && directionReceives(b));
}

/**
 * RFC 3264 6.1 (and RFC 9429 5.3.1): the answerer may send only if the offerer receives, and
 * receive only if the offerer sends; within that it follows its own wish (the transceiver's
 * direction).
 */
export function answerDirection(offered: MediaDirection, localWish: MediaDirection): MediaDirection {
  return intersectDirections(reverseDirection(offered), localWish);
}

/** RFC 3264 6.1 table: whether `answered` is a permitted reply to `offered`. */
export function isAllowedAnswerDirection(offered: MediaDirection, answered: MediaDirection): boolean {
  return intersectDirections(reverseDirection(offered), answered) === answered;
}
