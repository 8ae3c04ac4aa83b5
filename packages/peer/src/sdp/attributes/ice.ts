import { formatCandidateValue, parseCandidateValue } from '../candidate.js';
import type { SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { parseWord, requireValue, splitWords } from '../tokens.js';

/** RFC 8839 5.4: `a=ice-ufrag` / `a=ice-pwd`. Length rules are JSEP's to enforce, not the parser's. */
export function parseIceUfrag(value: string | undefined): SdpAttributeOf<'ice-ufrag'> {
  return { type: 'ice-ufrag', value: parseWord(value, 'ice-ufrag') };
}

export function parseIcePwd(value: string | undefined): SdpAttributeOf<'ice-pwd'> {
  return { type: 'ice-pwd', value: parseWord(value, 'ice-pwd') };
}

/** RFC 8839 5.6: `a=ice-options:<option> *(SP <option>)`. */
export function parseIceOptions(value: string | undefined): SdpAttributeOf<'ice-options'> {
  const options = splitWords(requireValue(value, 'ice-options'));
  if (options.length === 0) sdpFail('a=ice-options needs at least one option');
  return { type: 'ice-options', options };
}

export function parseCandidateAttribute(value: string | undefined): SdpAttributeOf<'candidate'> {
  return { type: 'candidate', candidate: parseCandidateValue(requireValue(value, 'candidate')) };
}

export function formatCandidateAttribute(a: SdpAttributeOf<'candidate'>): string {
  return `candidate:${formatCandidateValue(a.candidate)}`;
}
