import { type Parameter, parametersLength, parseParameters, writeParameters } from '../parameter.js';
import { fail } from '../parse-error.js';

/** The fixed part INIT (RFC 9260 3.3.2) and INIT ACK (3.3.3) share, then parameters. */
export interface InitFields {
  initiateTag: number;
  aRwnd: number;
  outboundStreams: number;
  inboundStreams: number;
  initialTsn: number;
  params: Parameter[];
  /** Unrecognized parameters the sender asked us to report (RFC 9260 3.2.1). */
  toReport: Buffer[];
}

export function parseInitFields(v: Buffer): InitFields {
  if (v.length < 16) fail('INIT/INIT ACK too short');
  const { params, toReport } = parseParameters(v.subarray(16));
  return {
    initiateTag: v.readUInt32BE(0),
    aRwnd: v.readUInt32BE(4),
    outboundStreams: v.readUInt16BE(8),
    inboundStreams: v.readUInt16BE(10),
    initialTsn: v.readUInt32BE(12),
    params,
    toReport,
  };
}

export const initFieldsLength = (c: InitFields): number => 16 + parametersLength(c.params);

export function writeInitFields(c: InitFields, buf: Buffer, off: number): void {
  buf.writeUInt32BE(c.initiateTag >>> 0, off);
  buf.writeUInt32BE(c.aRwnd >>> 0, off + 4);
  buf.writeUInt16BE(c.outboundStreams, off + 8);
  buf.writeUInt16BE(c.inboundStreams, off + 10);
  buf.writeUInt32BE(c.initialTsn >>> 0, off + 12);
  writeParameters(c.params, buf, off + 16);
}
