import type { SdpAttributeOf, SimulcastRid } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { requireValue, splitWords } from '../tokens.js';
import { RID_ID } from './rid.js';

/**
 * RFC 8853 5.1: `a=simulcast:<send|recv> <list> [SP <recv|send> <list>]`, list being alternatives
 * joined by "," inside streams joined by ";", a leading "~" marking a paused stream.
 */
export function parseSimulcast(value: string | undefined): SdpAttributeOf<'simulcast'> {
  const words = splitWords(requireValue(value, 'simulcast'));
  if (words.length !== 2 && words.length !== 4) sdpFail('a=simulcast needs one or two direction lists');
  const attribute: SdpAttributeOf<'simulcast'> = { type: 'simulcast' };
  for (let i = 0; i < words.length; i += 2) {
    const direction = words[i]!;
    if (direction !== 'send' && direction !== 'recv') sdpFail('a=simulcast direction must be send or recv');
    if (attribute[direction] !== undefined) sdpFail(`a=simulcast lists ${direction} twice`);
    attribute[direction] = parseStreamList(words[i + 1]!);
  }
  return attribute;
}

function parseStreamList(text: string): SimulcastRid[][] {
  return text.split(';').map((stream) =>
    stream.split(',').map((id) => {
      const paused = id.startsWith('~');
      const rid = paused ? id.slice(1) : id;
      if (!RID_ID.test(rid)) sdpFail(`a=simulcast rid is malformed: ${id}`);
      return { rid, paused };
    }),
  );
}

function formatStreamList(streams: SimulcastRid[][]): string {
  return streams.map((alts) => alts.map((s) => (s.paused ? `~${s.rid}` : s.rid)).join(',')).join(';');
}

export function formatSimulcast(a: SdpAttributeOf<'simulcast'>): string {
  const parts: string[] = [];
  if (a.send !== undefined) parts.push(`send ${formatStreamList(a.send)}`);
  if (a.recv !== undefined) parts.push(`recv ${formatStreamList(a.recv)}`);
  return `simulcast:${parts.join(' ')}`;
}
