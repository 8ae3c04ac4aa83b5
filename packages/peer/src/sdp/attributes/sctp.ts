import type { SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import { parseInteger, parsePort, parseWord, requireValue, splitWords } from '../tokens.js';

/** RFC 8841 5.2: `a=sctp-port:<port>`. */
export function parseSctpPort(value: string | undefined): SdpAttributeOf<'sctp-port'> {
  return { type: 'sctp-port', port: parsePort(parseWord(value, 'sctp-port'), 'sctp-port') };
}

/** RFC 8841 6: `a=max-message-size:<bytes>`, 0 meaning no limit. */
export function parseMaxMessageSize(value: string | undefined): SdpAttributeOf<'max-message-size'> {
  const size = parseInteger(
    parseWord(value, 'max-message-size'),
    0,
    Number.MAX_SAFE_INTEGER,
    'max-message-size',
  );
  return { type: 'max-message-size', size };
}

/** Legacy `a=sctpmap:<port> <protocol> [<streams>]` (draft-ietf-mmusic-sctp-sdp-05). */
export function parseSctpmap(value: string | undefined): SdpAttributeOf<'sctpmap'> {
  const words = splitWords(requireValue(value, 'sctpmap'));
  if (words.length < 2 || words.length > 3)
    sdpFail('a=sctpmap needs a port, a protocol and optional streams');
  const attribute: SdpAttributeOf<'sctpmap'> = {
    type: 'sctpmap',
    port: parsePort(words[0]!, 'sctpmap port'),
    protocol: words[1]!,
  };
  if (words.length === 3) attribute.streams = parseInteger(words[2]!, 0, 65535, 'sctpmap streams');
  return attribute;
}

export function formatSctpmap(a: SdpAttributeOf<'sctpmap'>): string {
  return a.streams === undefined
    ? `sctpmap:${a.port} ${a.protocol}`
    : `sctpmap:${a.port} ${a.protocol} ${a.streams}`;
}
