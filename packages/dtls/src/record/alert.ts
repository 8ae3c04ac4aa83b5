import { DtlsParseError } from '../errors.js';

/** RFC 5246 7.2: level(1) description(1). */
export interface Alert {
  level: number;
  description: number;
}

export function parseAlert(data: Buffer): Alert {
  if (data.length !== 2) throw new DtlsParseError('alert must be two bytes');
  return { level: data[0]!, description: data[1]! };
}

export function encodeAlert(a: Alert): Buffer {
  return Buffer.of(a.level, a.description);
}
