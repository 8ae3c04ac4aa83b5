import { StunErrorCode } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import type { Credentials } from './credentials.js';

export type RequestCheck =
  | { readonly ok: true; readonly credentials: Credentials }
  | {
      readonly ok: false;
      readonly code: number;
      readonly credentials?: Credentials;
      readonly unknown?: number[];
    };

/**
 * RFC 8445 section 7.3 with RFC 8489 section 9.1.3: USERNAME must name one of our ufrags and
 * MESSAGE-INTEGRITY must verify with its password (400 when missing, 401 when wrong), and every
 * comprehension-required attribute must be understood (420).
 */
export function checkRequest(
  msg: StunMessage,
  current: Credentials,
  older: readonly (Credentials | undefined)[],
): RequestCheck {
  const username = msg.username();
  if (username === undefined || msg.integrityOffset < 0) return { ok: false, code: StunErrorCode.BadRequest };
  const colon = username.indexOf(':');
  const ufrag = colon < 0 ? username : username.slice(0, colon);
  const credentials =
    ufrag === current.ufrag ? current : older.find((c) => c !== undefined && c.ufrag === ufrag);
  if (!credentials || !msg.verifyIntegrity(credentials.key))
    return { ok: false, code: StunErrorCode.Unauthorized };
  const unknown = msg.unknownComprehensionRequired();
  if (unknown.length > 0) return { ok: false, code: StunErrorCode.UnknownAttribute, credentials, unknown };
  return { ok: true, credentials };
}

/**
 * RFC 8445 section 7.3.1.1: when both sides claim the same role, the larger tie-breaker keeps
 * (or takes) the controlling role. 'reject' means answer 487, 'switch' means change our role.
 */
export function resolveRoleConflict(
  weControl: boolean,
  tieBreaker: bigint,
  msg: StunMessage,
): 'none' | 'reject' | 'switch' {
  if (weControl) {
    const theirs = msg.iceControlling();
    if (theirs === undefined) return 'none';
    return tieBreaker >= theirs ? 'reject' : 'switch';
  }
  const theirs = msg.iceControlled();
  if (theirs === undefined) return 'none';
  return tieBreaker >= theirs ? 'switch' : 'reject';
}
