import {
  type AddStreamsParameter,
  addIncomingStreamsCodec,
  addOutgoingStreamsCodec,
} from './parameters/add-streams.js';
import {
  type CookiePreservativeParameter,
  cookiePreservativeCodec,
} from './parameters/cookie-preservative.js';
import {
  type ForwardTsnSupportedParameter,
  forwardTsnSupportedCodec,
} from './parameters/forward-tsn-supported.js';
import { type HeartbeatInfoParameter, heartbeatInfoCodec } from './parameters/heartbeat-info.js';
import {
  type IncomingResetRequestParameter,
  incomingResetRequestCodec,
} from './parameters/incoming-reset-request.js';
import {
  type OutgoingResetRequestParameter,
  outgoingResetRequestCodec,
} from './parameters/outgoing-reset-request.js';
import { type ReconfigResponseParameter, reconfigResponseCodec } from './parameters/reconfig-response.js';
import {
  type SsnTsnResetRequestParameter,
  ssnTsnResetRequestCodec,
} from './parameters/ssn-tsn-reset-request.js';
import { type StateCookieParameter, stateCookieCodec } from './parameters/state-cookie.js';
import {
  type SupportedExtensionsParameter,
  supportedExtensionsCodec,
} from './parameters/supported-extensions.js';
import {
  type UnrecognizedParameterParameter,
  unrecognizedParameterCodec,
} from './parameters/unrecognized-parameter.js';
import {
  type ZeroChecksumAcceptableParameter,
  zeroChecksumAcceptableCodec,
} from './parameters/zero-checksum-acceptable.js';
import { fail } from './parse-error.js';
import { padded, type TlvCodec } from './tlv.js';

/** A parameter whose type we do not implement, kept whole so it can be reported or re-encoded. */
export interface UnknownParameter {
  type: 'unknown';
  code: number;
  value: Buffer;
}

export type Parameter =
  | HeartbeatInfoParameter
  | StateCookieParameter
  | CookiePreservativeParameter
  | UnrecognizedParameterParameter
  | SupportedExtensionsParameter
  | ForwardTsnSupportedParameter
  | ZeroChecksumAcceptableParameter
  | OutgoingResetRequestParameter
  | IncomingResetRequestParameter
  | SsnTsnResetRequestParameter
  | ReconfigResponseParameter
  | AddStreamsParameter
  | UnknownParameter;

type AnyCodec = TlvCodec<Parameter>;
const codecs: AnyCodec[] = [
  heartbeatInfoCodec,
  stateCookieCodec,
  cookiePreservativeCodec,
  unrecognizedParameterCodec,
  supportedExtensionsCodec,
  forwardTsnSupportedCodec,
  zeroChecksumAcceptableCodec,
  outgoingResetRequestCodec,
  incomingResetRequestCodec,
  ssnTsnResetRequestCodec,
  reconfigResponseCodec,
  addOutgoingStreamsCodec,
  addIncomingStreamsCodec,
] as unknown as AnyCodec[];

const byCode = new Map<number, AnyCodec>(codecs.map((c) => [c.code, c]));
const byType = new Map<string, AnyCodec>([
  ['heartbeat-info', heartbeatInfoCodec as unknown as AnyCodec],
  ['state-cookie', stateCookieCodec as unknown as AnyCodec],
  ['cookie-preservative', cookiePreservativeCodec as unknown as AnyCodec],
  ['unrecognized-parameter', unrecognizedParameterCodec as unknown as AnyCodec],
  ['supported-extensions', supportedExtensionsCodec as unknown as AnyCodec],
  ['forward-tsn-supported', forwardTsnSupportedCodec as unknown as AnyCodec],
  ['zero-checksum-acceptable', zeroChecksumAcceptableCodec as unknown as AnyCodec],
  ['outgoing-reset-request', outgoingResetRequestCodec as unknown as AnyCodec],
  ['incoming-reset-request', incomingResetRequestCodec as unknown as AnyCodec],
  ['ssn-tsn-reset-request', ssnTsnResetRequestCodec as unknown as AnyCodec],
  ['reconfig-response', reconfigResponseCodec as unknown as AnyCodec],
  ['add-outgoing-streams', addOutgoingStreamsCodec as unknown as AnyCodec],
  ['add-incoming-streams', addIncomingStreamsCodec as unknown as AnyCodec],
]);

export interface ParsedParameters {
  params: Parameter[];
  /** Whole TLVs whose upper type bits ask for a report (RFC 9260 3.2.1: x1). */
  toReport: Buffer[];
}

/**
 * Parses a parameter list. Unknown types follow RFC 9260 3.2.1: the top bit says whether to keep
 * processing the rest of the list, the next bit whether to report it; unknown ones are kept as
 * `unknown` entries so an encoder can reproduce the list.
 */
export function parseParameters(buf: Buffer): ParsedParameters {
  const params: Parameter[] = [];
  const toReport: Buffer[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < 4) fail('truncated parameter header');
    const code = buf.readUInt16BE(off);
    const length = buf.readUInt16BE(off + 2);
    if (length < 4 || off + length > buf.length) fail('parameter length out of bounds');
    const value = buf.subarray(off + 4, off + length);
    const codec = byCode.get(code);
    if (codec) {
      params.push(codec.parse(value));
    } else {
      params.push({ type: 'unknown', code, value: Buffer.from(value) });
      if (code & 0x4000) toReport.push(Buffer.from(buf.subarray(off, off + length)));
      if ((code & 0x8000) === 0) break;
    }
    off += padded(length);
  }
  return { params, toReport };
}

function codecFor(p: Parameter): { code: number; length: number; codec?: AnyCodec } {
  if (p.type === 'unknown') return { code: p.code, length: p.value.length };
  const codec = byType.get(p.type)!;
  return { code: codec.code, length: codec.valueLength(p), codec };
}

/**
 * Length of the list as counted in the enclosing chunk's length: RFC 9260 3.2 counts the padding
 * of every parameter except the last.
 */
export function parametersLength(params: readonly Parameter[]): number {
  let n = 0;
  let last = 0;
  for (const p of params) {
    last = 4 + codecFor(p).length;
    n += padded(last);
  }
  return n - (padded(last) - last);
}

/** Writes the list at `offset`; returns the offset past it (padding zeroed). */
export function writeParameters(params: readonly Parameter[], buf: Buffer, offset: number): number {
  for (const p of params) {
    const { code, length, codec } = codecFor(p);
    buf.writeUInt16BE(code, offset);
    buf.writeUInt16BE(4 + length, offset + 2);
    if (codec) codec.write(p, buf, offset + 4);
    else (p as UnknownParameter).value.copy(buf, offset + 4);
    const end = offset + padded(4 + length);
    buf.fill(0, offset + 4 + length, end);
    offset = end;
  }
  return offset;
}

export function findParameter<T extends Parameter['type']>(
  params: readonly Parameter[],
  type: T,
): Extract<Parameter, { type: T }> | undefined {
  return params.find((p) => p.type === type) as Extract<Parameter, { type: T }> | undefined;
}
