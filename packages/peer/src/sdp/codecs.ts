import type { SdpAttribute, SdpMediaSection } from './model.js';
import { getAttributes } from './query.js';

export interface SdpRtcpFeedback {
  type: string;
  parameter?: string;
}

/** A payload type with its rtpmap, fmtp and rtcp-fb lines gathered together. */
export interface SdpCodec {
  payloadType: number;
  name: string;
  clockRate: number;
  channels?: number;
  /** The fmtp text, when there is one; its syntax is the codec's. */
  parameters?: string;
  feedback: SdpRtcpFeedback[];
}

/** RFC 3551 6: payload types usable without a=rtpmap. */
const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, [string, number, number?]> = new Map([
  [0, ['PCMU', 8000]],
  [3, ['GSM', 8000]],
  [4, ['G723', 8000]],
  [5, ['DVI4', 8000]],
  [6, ['DVI4', 16000]],
  [7, ['LPC', 8000]],
  [8, ['PCMA', 8000]],
  [9, ['G722', 8000]],
  [10, ['L16', 44100, 2]],
  [11, ['L16', 44100]],
  [12, ['QCELP', 8000]],
  [13, ['CN', 8000]],
  [14, ['MPA', 90000]],
  [15, ['G728', 8000]],
  [16, ['DVI4', 11025]],
  [17, ['DVI4', 22050]],
  [18, ['G729', 8000]],
  [25, ['CelB', 90000]],
  [26, ['JPEG', 90000]],
  [28, ['nv', 90000]],
  [31, ['H261', 90000]],
  [32, ['MPV', 90000]],
  [33, ['MP2T', 90000]],
  [34, ['H263', 90000]],
] as [number, [string, number, number?]][]);

/**
 * The codecs of an RTP m-section in m-line order. A format with neither rtpmap nor a static
 * assignment is skipped: nothing says what it is. `a=rtcp-fb:*` applies to every codec (RFC 4585 4.2).
 */
export function getCodecs(media: SdpMediaSection): SdpCodec[] {
  const rtpmaps = getAttributes(media, 'rtpmap');
  const fmtps = getAttributes(media, 'fmtp');
  const feedback = getAttributes(media, 'rtcp-fb');
  const codecs: SdpCodec[] = [];
  for (const format of media.formats) {
    if (!/^[0-9]{1,3}$/.test(format)) continue;
    const payloadType = Number(format);
    const rtpmap = rtpmaps.find((r) => r.payloadType === payloadType);
    const fixed = STATIC_PAYLOAD_TYPES.get(payloadType);
    let codec: SdpCodec;
    if (rtpmap !== undefined) {
      codec = { payloadType, name: rtpmap.encodingName, clockRate: rtpmap.clockRate, feedback: [] };
      if (rtpmap.channels !== undefined) codec.channels = rtpmap.channels;
    } else if (fixed !== undefined) {
      codec = { payloadType, name: fixed[0], clockRate: fixed[1], feedback: [] };
      if (fixed[2] !== undefined) codec.channels = fixed[2];
    } else {
      continue;
    }
    const fmtp = fmtps.find((f) => f.payloadType === payloadType);
    if (fmtp !== undefined) codec.parameters = fmtp.parameters;
    for (const fb of feedback) {
      if (fb.payloadType !== payloadType && fb.payloadType !== '*') continue;
      const entry: SdpRtcpFeedback = { type: fb.feedbackType };
      if (fb.parameter !== undefined) entry.parameter = fb.parameter;
      codec.feedback.push(entry);
    }
    codecs.push(codec);
  }
  return codecs;
}

/** The attributes describing a codec, in Chrome's order: rtpmap, rtcp-fb..., fmtp. */
export function codecAttributes(codec: SdpCodec): SdpAttribute[] {
  const rtpmap: SdpAttribute = {
    type: 'rtpmap',
    payloadType: codec.payloadType,
    encodingName: codec.name,
    clockRate: codec.clockRate,
  };
  if (codec.channels !== undefined) rtpmap.channels = codec.channels;
  const out: SdpAttribute[] = [rtpmap];
  for (const fb of codec.feedback) {
    const attribute: SdpAttribute = {
      type: 'rtcp-fb',
      payloadType: codec.payloadType,
      feedbackType: fb.type,
    };
    if (fb.parameter !== undefined) attribute.parameter = fb.parameter;
    out.push(attribute);
  }
  if (codec.parameters !== undefined) {
    out.push({ type: 'fmtp', payloadType: codec.payloadType, parameters: codec.parameters });
  }
  return out;
}

/** Codecs whose encoding name matches, ignoring case (RFC 4855 3: media subtypes are case-insensitive). */
export function findCodecsByName(codecs: readonly SdpCodec[], name: string): SdpCodec[] {
  const wanted = name.toLowerCase();
  return codecs.filter((c) => c.name.toLowerCase() === wanted);
}

/**
 * `key=value` pairs of an fmtp line separated by ";" (RFC 8866 6.15 leaves the syntax to the
 * codec; this is the form RFC 4855 recommends). Keys are lower-cased: they are case-insensitive.
 * An entry without "=" maps to "".
 */
export function parseFmtpParameters(parameters: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (parameters === undefined) return map;
  for (const entry of parameters.split(';')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) map.set(trimmed.toLowerCase(), '');
    else map.set(trimmed.slice(0, eq).trim().toLowerCase(), trimmed.slice(eq + 1).trim());
  }
  return map;
}

export function formatFmtpParameters(parameters: Iterable<[string, string]>): string {
  return Array.from(parameters, ([key, value]) => (value === '' ? key : `${key}=${value}`)).join(';');
}

export function isRtx(codec: SdpCodec): boolean {
  return codec.name.toLowerCase() === 'rtx';
}

/** RFC 4588 8.1: the `apt` of an RTX codec, the payload type it repairs. */
export function rtxApt(codec: SdpCodec): number | undefined {
  if (!isRtx(codec)) return undefined;
  const apt = parseFmtpParameters(codec.parameters).get('apt');
  if (apt === undefined || !/^[0-9]{1,3}$/.test(apt)) return undefined;
  const value = Number(apt);
  return value <= 127 ? value : undefined;
}

/** Primary payload type -> its RTX payload type. */
export function rtxPayloadTypes(codecs: readonly SdpCodec[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const codec of codecs) {
    const apt = rtxApt(codec);
    if (apt !== undefined && codecs.some((c) => c.payloadType === apt)) map.set(apt, codec.payloadType);
  }
  return map;
}

/** The RTX codec repairing `payloadType`, if one is listed. */
export function findRtxFor(codecs: readonly SdpCodec[], payloadType: number): SdpCodec | undefined {
  return codecs.find((c) => rtxApt(c) === payloadType);
}
