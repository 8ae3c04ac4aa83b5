import { DtlsParseError } from '../../errors.js';

/** RFC 5246 7.4.9: verify_data is 12 bytes for every suite we negotiate. */
export const VERIFY_DATA_LENGTH = 12;

export function parseFinished(body: Buffer): Buffer {
  if (body.length !== VERIFY_DATA_LENGTH) throw new DtlsParseError('Finished has the wrong length');
  return body;
}
