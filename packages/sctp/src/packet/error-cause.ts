import { fail } from './parse-error.js';
import { padded } from './tlv.js';

/** RFC 9260 3.3.10 cause codes used by this implementation. */
export const ErrorCauseCode = {
  InvalidStreamIdentifier: 1,
  MissingMandatoryParameter: 2,
  StaleCookie: 3,
  OutOfResource: 4,
  UnrecognizedChunkType: 6,
  InvalidMandatoryParameter: 7,
  UnrecognizedParameters: 8,
  NoUserData: 9,
  CookieWhileShuttingDown: 10,
  RestartWithNewAddresses: 11,
  UserInitiatedAbort: 12,
  ProtocolViolation: 13,
} as const;

/** An error cause TLV; `info` is the cause-specific value, kept raw. */
export interface ErrorCause {
  code: number;
  info: Buffer;
}

export function parseErrorCauses(buf: Buffer): ErrorCause[] {
  const causes: ErrorCause[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < 4) fail('truncated error cause');
    const code = buf.readUInt16BE(off);
    const length = buf.readUInt16BE(off + 2);
    if (length < 4 || off + length > buf.length) fail('error cause length out of bounds');
    causes.push({ code, info: Buffer.from(buf.subarray(off + 4, off + length)) });
    off += padded(length);
  }
  return causes;
}

/** Counted like parameters: every cause's padding except the last one's (RFC 9260 3.2). */
export function errorCausesLength(causes: readonly ErrorCause[]): number {
  let n = 0;
  let last = 0;
  for (const c of causes) {
    last = 4 + c.info.length;
    n += padded(last);
  }
  return n - (padded(last) - last);
}

export function writeErrorCauses(causes: readonly ErrorCause[], buf: Buffer, offset: number): number {
  for (const c of causes) {
    buf.writeUInt16BE(c.code, offset);
    buf.writeUInt16BE(4 + c.info.length, offset + 2);
    c.info.copy(buf, offset + 4);
    const end = offset + padded(4 + c.info.length);
    buf.fill(0, offset + 4 + c.info.length, end);
    offset = end;
  }
  return offset;
}

/** A human-readable cause for events and logs. */
export function describeErrorCauses(causes: readonly ErrorCause[]): string {
  return causes
    .map((c) => {
      const name = Object.entries(ErrorCauseCode).find(([, v]) => v === c.code)?.[0] ?? `cause ${c.code}`;
      const text =
        c.code === ErrorCauseCode.UserInitiatedAbort || c.code === ErrorCauseCode.ProtocolViolation;
      return text && c.info.length > 0 ? `${name}: ${c.info.toString('utf8')}` : name;
    })
    .join(', ');
}
