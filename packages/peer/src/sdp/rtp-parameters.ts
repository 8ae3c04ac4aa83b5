import type { SdpCodec } from './codecs.js';

/** W3C webrtc-pc 5.2 RTCRtpCodecParameters (and RTCRtpCodec): what getParameters reports. */
export interface RtpCodecParameters {
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

/** `mimeType` is `<kind>/<encoding name>` (W3C webrtc-pc 5.2, RFC 4855 3). */
export function toRtpCodecParameters(kind: string, codec: SdpCodec): RtpCodecParameters {
  const params: RtpCodecParameters = {
    payloadType: codec.payloadType,
    mimeType: `${kind}/${codec.name}`,
    clockRate: codec.clockRate,
  };
  if (codec.channels !== undefined) params.channels = codec.channels;
  if (codec.parameters !== undefined && codec.parameters !== '') params.sdpFmtpLine = codec.parameters;
  return params;
}

/** The reverse, for setCodecPreferences and setParameters; rtcp-fb is not part of RTCRtpCodec. */
export function fromRtpCodecParameters(params: RtpCodecParameters): SdpCodec {
  const slash = params.mimeType.indexOf('/');
  const codec: SdpCodec = {
    payloadType: params.payloadType,
    name: slash < 0 ? params.mimeType : params.mimeType.slice(slash + 1),
    clockRate: params.clockRate,
    feedback: [],
  };
  if (params.channels !== undefined) codec.channels = params.channels;
  if (params.sdpFmtpLine !== undefined) codec.parameters = params.sdpFmtpLine;
  return codec;
}
