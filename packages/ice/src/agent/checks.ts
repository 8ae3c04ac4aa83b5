import type { TransportAddress } from '../stun/address.js';
import { StunMessageBuilder } from '../stun/builder.js';
import { StunAttr, StunClass, StunMethod } from '../stun/constants.js';
import type { StunIntegrityKey } from '../stun/integrity.js';

export interface BindingRequestParams {
  transactionId: Uint8Array;
  username: string;
  priority: number;
  controlling: boolean;
  tieBreaker: bigint;
  useCandidate: boolean;
  key: StunIntegrityKey;
  software: string | undefined;
}

/** RFC 8445 section 7.1.1: a connectivity check (also used for RFC 7675 consent). */
export function buildBindingRequest(p: BindingRequestParams): Buffer {
  const b = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, p.transactionId, 128);
  b.add(StunAttr.Username, p.username);
  b.addU32(StunAttr.Priority, p.priority);
  b.addU64(p.controlling ? StunAttr.IceControlling : StunAttr.IceControlled, p.tieBreaker);
  if (p.useCandidate) b.addFlag(StunAttr.UseCandidate);
  if (p.software) b.add(StunAttr.Software, p.software);
  return b.finish({ integrity: p.key, fingerprint: true });
}

/** RFC 8445 section 7.3.1.2 / RFC 8489 section 6.3.1.1: the source address, authenticated. */
export function buildSuccessResponse(
  transactionId: Uint8Array,
  mapped: TransportAddress,
  key: StunIntegrityKey,
  software: string | undefined,
): Buffer {
  const b = new StunMessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, transactionId, 96);
  b.addAddress(StunAttr.XorMappedAddress, mapped);
  if (software) b.add(StunAttr.Software, software);
  return b.finish({ integrity: key, fingerprint: true });
}

export function buildErrorResponse(
  transactionId: Uint8Array,
  code: number,
  key: StunIntegrityKey | undefined,
  unknown: readonly number[] | undefined,
  software: string | undefined,
): Buffer {
  const b = new StunMessageBuilder(StunMethod.Binding, StunClass.ErrorResponse, transactionId, 96);
  b.addErrorCode(code, REASONS[code] ?? '');
  if (unknown && unknown.length > 0) b.addUnknownAttributes(unknown);
  if (software) b.add(StunAttr.Software, software);
  return b.finish(key ? { integrity: key, fingerprint: true } : { fingerprint: true });
}

/** RFC 8445 section 11: a Binding indication keeps NAT bindings open. */
export function buildIndication(transactionId: Uint8Array): Buffer {
  return new StunMessageBuilder(StunMethod.Binding, StunClass.Indication, transactionId, 32).finish({
    fingerprint: true,
  });
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  420: 'Unknown Attribute',
  487: 'Role Conflict',
};
