import type { SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { isMediaDirection, parseInteger, requireValue, splitWords } from '../tokens.js';

/**
 * RFC 8285 7: `a=extmap:<value>["/"<direction>] <URI> <extensionattributes>`. Ids 1-14 fit the
 * one-byte header form, 1-255 the two-byte form.
 */
export function parseExtmap(value: string | undefined): SdpAttributeOf<'extmap'> {
  const words = splitWords(requireValue(value, 'extmap'));
  if (words.length < 2) sdpFail('a=extmap needs an id and a URI');
  const [idPart, uri] = words as [string, string];
  const slash = idPart.indexOf('/');
  const attribute: SdpAttributeOf<'extmap'> = {
    type: 'extmap',
    id: parseInteger(slash < 0 ? idPart : idPart.slice(0, slash), 1, 255, 'extmap id'),
    uri,
  };
  if (slash >= 0) {
    const direction = idPart.slice(slash + 1);
    if (!isMediaDirection(direction)) sdpFail(`a=extmap has unknown direction ${direction}`);
    attribute.direction = direction;
  }
  if (words.length > 2) attribute.attributes = words.slice(2).join(' ');
  return attribute;
}

export function formatExtmap(a: SdpAttributeOf<'extmap'>): string {
  const direction = a.direction === undefined ? '' : `/${a.direction}`;
  const attributes = a.attributes === undefined ? '' : ` ${a.attributes}`;
  return `extmap:${a.id}${direction} ${a.uri}${attributes}`;
}
