import type { SdpCodec } from '../../sdp/codecs.js';

const VIDEO_FEEDBACK = [
  { type: 'goog-remb' },
  { type: 'transport-cc' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
];

function rtx(payloadType: number, apt: number): SdpCodec {
  return { payloadType, name: 'rtx', clockRate: 90000, parameters: `apt=${apt}`, feedback: [] };
}

/** What we offer for audio, Chrome's payload types (RFC 7587 for opus in-band FEC). */
export const DEFAULT_AUDIO_CODECS: readonly SdpCodec[] = [
  {
    payloadType: 111,
    name: 'opus',
    clockRate: 48000,
    channels: 2,
    parameters: 'minptime=10;useinbandfec=1',
    feedback: [{ type: 'transport-cc' }],
  },
];

/** VP8, VP9 profile 0 and H.264 constrained baseline, each with RTX (RFC 4588). */
export const DEFAULT_VIDEO_CODECS: readonly SdpCodec[] = [
  { payloadType: 96, name: 'VP8', clockRate: 90000, feedback: VIDEO_FEEDBACK },
  rtx(97, 96),
  { payloadType: 98, name: 'VP9', clockRate: 90000, parameters: 'profile-id=0', feedback: VIDEO_FEEDBACK },
  rtx(99, 98),
  {
    payloadType: 102,
    name: 'H264',
    clockRate: 90000,
    parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    feedback: VIDEO_FEEDBACK,
  },
  rtx(103, 102),
];

export const EXT_AUDIO_LEVEL = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
export const EXT_ABS_SEND_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
export const EXT_TRANSPORT_CC = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
export const EXT_MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
export const EXT_RID = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
export const EXT_REPAIRED_RID = 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id';

/** Header extensions per kind with the ids we offer; one id space across the bundle (RFC 8285 6). */
export function defaultHeaderExtensions(kind: 'audio' | 'video'): { id: number; uri: string }[] {
  const common = [
    { id: 2, uri: EXT_ABS_SEND_TIME },
    { id: 3, uri: EXT_TRANSPORT_CC },
    { id: 4, uri: EXT_MID },
  ];
  return kind === 'audio'
    ? [{ id: 1, uri: EXT_AUDIO_LEVEL }, ...common]
    : [...common, { id: 10, uri: EXT_RID }, { id: 11, uri: EXT_REPAIRED_RID }];
}

/** The URIs we accept in an answer. */
export const SUPPORTED_EXTENSION_URIS: readonly string[] = [
  EXT_AUDIO_LEVEL,
  EXT_ABS_SEND_TIME,
  EXT_TRANSPORT_CC,
  EXT_MID,
  EXT_RID,
  EXT_REPAIRED_RID,
];

export function defaultCodecs(kind: 'audio' | 'video'): readonly SdpCodec[] {
  return kind === 'audio' ? DEFAULT_AUDIO_CODECS : DEFAULT_VIDEO_CODECS;
}

/** W3C webrtc-pc 5.2 RTCRtpCodec (capability form). */
export interface RTCRtpCodec {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

export function codecToCapability(kind: 'audio' | 'video', codec: SdpCodec): RTCRtpCodec {
  const out: RTCRtpCodec = { mimeType: `${kind}/${codec.name}`, clockRate: codec.clockRate };
  if (codec.channels !== undefined) out.channels = codec.channels;
  if (codec.parameters !== undefined) out.sdpFmtpLine = codec.parameters;
  return out;
}
