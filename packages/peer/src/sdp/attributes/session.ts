import type { SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { requireValue, splitWords } from '../tokens.js';

/** RFC 5888 5 / RFC 9143 7: `a=group:<semantics> *(SP <mid>)`. */
export function parseGroup(value: string | undefined): SdpAttributeOf<'group'> {
  const [semantics, ...mids] = splitWords(requireValue(value, 'group'));
  if (semantics === undefined) sdpFail('a=group needs semantics');
  return { type: 'group', semantics, mids };
}

export function formatGroup(a: SdpAttributeOf<'group'>): string {
  return [`group:${a.semantics}`, ...a.mids].join(' ');
}

/** `a=msid-semantic: WMS *(SP id)` as browsers write it (draft-ietf-mmusic-msid-07 legacy). */
export function parseMsidSemantic(value: string | undefined): SdpAttributeOf<'msid-semantic'> {
  const [semantics, ...ids] = splitWords(requireValue(value, 'msid-semantic'));
  if (semantics === undefined) sdpFail('a=msid-semantic needs semantics');
  return { type: 'msid-semantic', semantics, ids };
}

/** Chrome writes a space after the colon; keeping it makes our output match its bytes. */
export function formatMsidSemantic(a: SdpAttributeOf<'msid-semantic'>): string {
  return [`msid-semantic: ${a.semantics}`, ...a.ids].join(' ');
}
