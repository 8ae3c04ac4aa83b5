import type { SdpAttributeLine } from '../model.js';
import { isMediaDirection } from '../tokens.js';
import { formatFingerprint, parseFingerprint, parseSetup } from './dtls.js';
import { formatExtmap, parseExtmap } from './extmap.js';
import {
  formatCandidateAttribute,
  parseCandidateAttribute,
  parseIceOptions,
  parseIcePwd,
  parseIceUfrag,
} from './ice.js';
import { formatRid, parseRid } from './rid.js';
import {
  formatFmtp,
  formatRtcp,
  formatRtcpFb,
  formatRtpmap,
  parseFmtp,
  parseRtcp,
  parseRtcpFb,
  parseRtpmap,
} from './rtp.js';
import { formatSctpmap, parseMaxMessageSize, parseSctpmap, parseSctpPort } from './sctp.js';
import { formatGroup, formatMsidSemantic, parseGroup, parseMsidSemantic } from './session.js';
import { formatSimulcast, parseSimulcast } from './simulcast.js';
import { formatMsid, formatSsrc, formatSsrcGroup, parseMsid, parseSsrc, parseSsrcGroup } from './ssrc.js';

/** Returns undefined to keep the attribute generic (a flag that came with a value, say). */
type ValueParser = (value: string | undefined) => SdpAttributeLine | undefined;

/** Property attributes (no value). With a value they are not what we know, so they stay generic. */
const FLAGS = new Set(['extmap-allow-mixed', 'ice-lite', 'end-of-candidates', 'rtcp-mux', 'rtcp-rsize']);

const VALUE_PARSERS: ReadonlyMap<string, ValueParser> = new Map<string, ValueParser>([
  ['group', parseGroup],
  ['msid-semantic', parseMsidSemantic],
  ['ice-ufrag', parseIceUfrag],
  ['ice-pwd', parseIcePwd],
  ['ice-options', parseIceOptions],
  ['candidate', parseCandidateAttribute],
  ['fingerprint', parseFingerprint],
  ['setup', parseSetup],
  ['mid', parseMid],
  ['rtcp', parseRtcp],
  ['rtpmap', parseRtpmap],
  ['fmtp', parseFmtp],
  ['rtcp-fb', parseRtcpFb],
  ['extmap', parseExtmap],
  ['msid', parseMsid],
  ['ssrc', parseSsrc],
  ['ssrc-group', parseSsrcGroup],
  ['rid', parseRid],
  ['simulcast', parseSimulcast],
  ['sctp-port', parseSctpPort],
  ['max-message-size', parseMaxMessageSize],
  ['sctpmap', parseSctpmap],
]);

function parseMid(value: string | undefined): SdpAttributeLine | undefined {
  // RFC 5888 4: identification-tag = token; an empty mid is not one.
  if (value === undefined || value === '' || value.includes(' ')) return undefined;
  return { type: 'mid', value };
}

/**
 * Parses the text after `a=` into a typed attribute. Throws SdpParseError when a known attribute's
 * value is malformed; an unknown one becomes `{ type: 'generic', key, value }`.
 */
export function parseAttribute(text: string): SdpAttributeLine {
  const colon = text.indexOf(':');
  const key = colon < 0 ? text : text.slice(0, colon);
  const value = colon < 0 ? undefined : text.slice(colon + 1);
  let typed: SdpAttributeLine | undefined;
  if (value === undefined && FLAGS.has(key)) {
    typed = { type: key } as SdpAttributeLine;
  } else if (value === undefined && isMediaDirection(key)) {
    typed = { type: 'direction', direction: key };
  } else {
    typed = VALUE_PARSERS.get(key)?.(value);
  }
  if (typed !== undefined) return typed;
  return value === undefined ? { type: 'generic', key } : { type: 'generic', key, value };
}

/** The text after `a=` for an attribute (not for `unknown-line`, which is not an `a=` line). */
export function formatAttribute(a: SdpAttributeLine): string {
  switch (a.type) {
    case 'group':
      return formatGroup(a);
    case 'msid-semantic':
      return formatMsidSemantic(a);
    case 'extmap-allow-mixed':
    case 'ice-lite':
    case 'end-of-candidates':
    case 'rtcp-mux':
    case 'rtcp-rsize':
      return a.type;
    case 'ice-ufrag':
    case 'ice-pwd':
    case 'mid':
      return `${a.type}:${a.value}`;
    case 'ice-options':
      return `ice-options:${a.options.join(' ')}`;
    case 'candidate':
      return formatCandidateAttribute(a);
    case 'fingerprint':
      return formatFingerprint(a);
    case 'setup':
      return `setup:${a.role}`;
    case 'direction':
      return a.direction;
    case 'rtcp':
      return formatRtcp(a);
    case 'rtpmap':
      return formatRtpmap(a);
    case 'fmtp':
      return formatFmtp(a);
    case 'rtcp-fb':
      return formatRtcpFb(a);
    case 'extmap':
      return formatExtmap(a);
    case 'msid':
      return formatMsid(a);
    case 'ssrc':
      return formatSsrc(a);
    case 'ssrc-group':
      return formatSsrcGroup(a);
    case 'rid':
      return formatRid(a);
    case 'simulcast':
      return formatSimulcast(a);
    case 'sctp-port':
      return `sctp-port:${a.port}`;
    case 'max-message-size':
      return `max-message-size:${a.size}`;
    case 'sctpmap':
      return formatSctpmap(a);
    case 'generic':
      return a.value === undefined ? a.key : `${a.key}:${a.value}`;
  }
}
