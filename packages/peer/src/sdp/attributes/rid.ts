import type { RidParam, SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { parsePayloadType, requireValue, splitWords } from '../tokens.js';

/** RFC 8851 10: rid-id = 1*(alpha-numeric / "-" / "_"). */
export const RID_ID = /^[A-Za-z0-9_-]+$/;
const PARAM_NAME = /^[A-Za-z0-9-]+$/;

/**
 * RFC 8851 10: `a=rid:<rid-id> SP <send|recv> [SP <params>]` where params is
 * `pt=<fmt>*(,<fmt>)` and/or `<name>[=<value>]` entries joined by ";", the pt list first.
 */
export function parseRid(value: string | undefined): SdpAttributeOf<'rid'> {
  const words = splitWords(requireValue(value, 'rid'));
  if (words.length < 2 || words.length > 3) sdpFail('a=rid needs an id, a direction and optional params');
  const [id, direction, paramText] = words as [string, string, string | undefined];
  if (!RID_ID.test(id)) sdpFail(`a=rid id is malformed: ${id}`);
  if (direction !== 'send' && direction !== 'recv') sdpFail(`a=rid direction must be send or recv`);
  const attribute: SdpAttributeOf<'rid'> = { type: 'rid', id, direction, params: [] };
  if (paramText === undefined) return attribute;
  paramText.split(';').forEach((entry, index) => {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (!PARAM_NAME.test(name)) sdpFail(`a=rid parameter is malformed: ${entry}`);
    if (name === 'pt') {
      if (index !== 0) sdpFail('a=rid pt= must come first');
      if (eq < 0) sdpFail('a=rid pt= needs payload types');
      attribute.payloadTypes = entry
        .slice(eq + 1)
        .split(',')
        .map(parsePayloadType);
      return;
    }
    const param: RidParam = { name };
    if (eq >= 0) param.value = entry.slice(eq + 1);
    attribute.params.push(param);
  });
  return attribute;
}

export function formatRid(a: SdpAttributeOf<'rid'>): string {
  const entries: string[] = [];
  if (a.payloadTypes !== undefined) entries.push(`pt=${a.payloadTypes.join(',')}`);
  for (const p of a.params) entries.push(p.value === undefined ? p.name : `${p.name}=${p.value}`);
  return entries.length === 0
    ? `rid:${a.id} ${a.direction}`
    : `rid:${a.id} ${a.direction} ${entries.join(';')}`;
}
