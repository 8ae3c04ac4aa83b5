import type { SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { MAX_UINT32, parseInteger, requireValue, splitWords } from '../tokens.js';

/** RFC 8830 2: `a=msid:<stream id> [<track id>]`. */
export function parseMsid(value: string | undefined): SdpAttributeOf<'msid'> {
  const words = splitWords(requireValue(value, 'msid'));
  if (words.length < 1 || words.length > 2) sdpFail('a=msid takes a stream id and an optional track id');
  const attribute: SdpAttributeOf<'msid'> = { type: 'msid', streamId: words[0]! };
  if (words.length === 2) attribute.trackId = words[1]!;
  return attribute;
}

export function formatMsid(a: SdpAttributeOf<'msid'>): string {
  return a.trackId === undefined ? `msid:${a.streamId}` : `msid:${a.streamId} ${a.trackId}`;
}

function parseSsrcId(text: string): number {
  return parseInteger(text, 0, MAX_UINT32, 'ssrc');
}

/** RFC 5576 4.1: `a=ssrc:<ssrc-id> <attribute>[:<value>]`; the value may hold spaces (msid). */
export function parseSsrc(value: string | undefined): SdpAttributeOf<'ssrc'> {
  const text = requireValue(value, 'ssrc');
  const space = text.indexOf(' ');
  if (space < 0) sdpFail('a=ssrc needs an attribute');
  const rest = text.slice(space + 1).replace(/^ +/, '');
  const colon = rest.indexOf(':');
  const attributeName = colon < 0 ? rest : rest.slice(0, colon);
  if (attributeName === '') sdpFail('a=ssrc needs an attribute');
  const attribute: SdpAttributeOf<'ssrc'> = {
    type: 'ssrc',
    ssrc: parseSsrcId(text.slice(0, space)),
    attribute: attributeName,
  };
  if (colon >= 0) attribute.value = rest.slice(colon + 1);
  return attribute;
}

export function formatSsrc(a: SdpAttributeOf<'ssrc'>): string {
  const value = a.value === undefined ? '' : `:${a.value}`;
  return `ssrc:${a.ssrc} ${a.attribute}${value}`;
}

/** RFC 5576 4.2: `a=ssrc-group:<semantics> <ssrc-id> ...` (FID: RFC 4588 8.1; SIM). */
export function parseSsrcGroup(value: string | undefined): SdpAttributeOf<'ssrc-group'> {
  const [semantics, ...ids] = splitWords(requireValue(value, 'ssrc-group'));
  if (semantics === undefined || ids.length === 0) sdpFail('a=ssrc-group needs semantics and ssrcs');
  return { type: 'ssrc-group', semantics, ssrcs: ids.map(parseSsrcId) };
}

export function formatSsrcGroup(a: SdpAttributeOf<'ssrc-group'>): string {
  return [`ssrc-group:${a.semantics}`, ...a.ssrcs.map(String)].join(' ');
}
