import type { SdpAttributeOf } from '../model.js';
import { sdpFail } from '../parse-error.js';
import {
  MAX_UINT32,
  parseInteger,
  parsePayloadType,
  parsePort,
  requireValue,
  splitWords,
} from '../tokens.js';

/** RFC 8866 6.6: `a=rtpmap:<pt> <encoding name>/<clock rate>[/<encoding parameters>]`. */
export function parseRtpmap(value: string | undefined): SdpAttributeOf<'rtpmap'> {
  const words = splitWords(requireValue(value, 'rtpmap'));
  if (words.length !== 2) sdpFail('a=rtpmap needs "<pt> <name>/<rate>"');
  const parts = words[1]!.split('/');
  if (parts.length < 2 || parts.length > 3 || parts[0] === '') sdpFail('a=rtpmap encoding is malformed');
  const attribute: SdpAttributeOf<'rtpmap'> = {
    type: 'rtpmap',
    payloadType: parsePayloadType(words[0]!),
    encodingName: parts[0]!,
    clockRate: parseInteger(parts[1]!, 1, MAX_UINT32, 'rtpmap clock rate'),
  };
  if (parts.length === 3) attribute.channels = parseInteger(parts[2]!, 1, 255, 'rtpmap channels');
  return attribute;
}

export function formatRtpmap(a: SdpAttributeOf<'rtpmap'>): string {
  const channels = a.channels === undefined ? '' : `/${a.channels}`;
  return `rtpmap:${a.payloadType} ${a.encodingName}/${a.clockRate}${channels}`;
}

/**
 * RFC 8866 6.15: `a=fmtp:<format> <format specific parameters>`. Parameters stay one string: their
 * syntax is the codec's (opus `a=b;c=d`, RED `111/111`). A non-numeric format is not RTP and is
 * left generic (undefined).
 */
export function parseFmtp(value: string | undefined): SdpAttributeOf<'fmtp'> | undefined {
  const text = requireValue(value, 'fmtp');
  const space = text.indexOf(' ');
  const format = space < 0 ? text : text.slice(0, space);
  if (!/^[0-9]+$/.test(format)) return undefined;
  const parameters = space < 0 ? '' : text.slice(space + 1).replace(/^ +/, '');
  return { type: 'fmtp', payloadType: parsePayloadType(format), parameters };
}

export function formatFmtp(a: SdpAttributeOf<'fmtp'>): string {
  return a.parameters === '' ? `fmtp:${a.payloadType}` : `fmtp:${a.payloadType} ${a.parameters}`;
}

/** RFC 4585 4.2: `a=rtcp-fb:<pt>|* <type> [<parameters>]`. */
export function parseRtcpFb(value: string | undefined): SdpAttributeOf<'rtcp-fb'> {
  const words = splitWords(requireValue(value, 'rtcp-fb'));
  if (words.length < 2) sdpFail('a=rtcp-fb needs a payload type and a feedback type');
  const attribute: SdpAttributeOf<'rtcp-fb'> = {
    type: 'rtcp-fb',
    payloadType: words[0] === '*' ? '*' : parsePayloadType(words[0]!),
    feedbackType: words[1]!,
  };
  if (words.length > 2) attribute.parameter = words.slice(2).join(' ');
  return attribute;
}

export function formatRtcpFb(a: SdpAttributeOf<'rtcp-fb'>): string {
  const parameter = a.parameter === undefined ? '' : ` ${a.parameter}`;
  return `rtcp-fb:${a.payloadType} ${a.feedbackType}${parameter}`;
}

/** RFC 3605 2.1: `a=rtcp:<port> [<nettype> <addrtype> <address>]`. */
export function parseRtcp(value: string | undefined): SdpAttributeOf<'rtcp'> {
  const words = splitWords(requireValue(value, 'rtcp'));
  if (words.length !== 1 && words.length !== 4) sdpFail('a=rtcp needs a port and optionally an address');
  const attribute: SdpAttributeOf<'rtcp'> = { type: 'rtcp', port: parsePort(words[0]!, 'rtcp port') };
  if (words.length === 4) {
    attribute.netType = words[1]!;
    attribute.addrType = words[2]!;
    attribute.address = words[3]!;
  }
  return attribute;
}

export function formatRtcp(a: SdpAttributeOf<'rtcp'>): string {
  if (a.netType === undefined || a.addrType === undefined || a.address === undefined) return `rtcp:${a.port}`;
  return `rtcp:${a.port} ${a.netType} ${a.addrType} ${a.address}`;
}
