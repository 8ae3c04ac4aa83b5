export {
  createDomException,
  invalidAccessError,
  invalidModificationError,
  invalidStateError,
  isDomException,
  notSupportedError,
  operationError,
  RTCError,
  type RTCErrorDetailType,
  type RTCErrorInit,
  type RtcDomExceptionName,
  syntaxError,
  typeError,
} from './errors.js';
export { bytesToFingerprint, fingerprintToBytes } from './sdp/attributes/dtls.js';
export { formatAttribute, parseAttribute } from './sdp/attributes/index.js';
export {
  buildDataSection,
  buildRtpSection,
  buildSessionDescription,
  type DataSectionInit,
  type RtpSectionInit,
  type SessionInit,
  type TransportSectionInit,
} from './sdp/build.js';
export {
  formatCandidateValue,
  parseCandidate,
  parseCandidateValue,
  serializeCandidate,
} from './sdp/candidate.js';
export {
  codecAttributes,
  findCodecsByName,
  findRtxFor,
  formatFmtpParameters,
  getCodecs,
  isRtx,
  parseFmtpParameters,
  rtxApt,
  rtxPayloadTypes,
  type SdpCodec,
  type SdpRtcpFeedback,
} from './sdp/codecs.js';
export {
  answerDirection,
  directionFrom,
  directionReceives,
  directionSends,
  intersectDirections,
  isAllowedAnswerDirection,
  reverseDirection,
} from './sdp/direction.js';
export type {
  DtlsSetupRole,
  MediaDirection,
  RidParam,
  SdpAttribute,
  SdpAttributeLine,
  SdpAttributeOf,
  SdpAttributeType,
  SdpBandwidth,
  SdpCandidate,
  SdpConnection,
  SdpMediaSection,
  SdpOrigin,
  SdpTiming,
  SessionDescription,
  SimulcastRid,
} from './sdp/model.js';
export {
  codecsMatch,
  type NegotiateCodecsOptions,
  negotiateCodecs,
  negotiateHeaderExtensions,
} from './sdp/negotiate.js';
export { parseSdp } from './sdp/parse.js';
export { SdpParseError } from './sdp/parse-error.js';
export {
  getAttribute,
  getAttributes,
  getBundleGroups,
  getDirection,
  getFingerprints,
  getGenericAttribute,
  getIceParameters,
  getMid,
  getSetupRole,
  type HasAttributes,
  isBundleOnly,
  isDataSection,
  isRejected,
  type SdpIceParameters,
} from './sdp/query.js';
export {
  fromRtpCodecParameters,
  type RtpCodecParameters,
  toRtpCodecParameters,
} from './sdp/rtp-parameters.js';
export { sdpLines, serializeMediaSection, serializeSdp } from './sdp/serialize.js';
export {
  type DescriptionSide,
  implicitLocalDescriptionType,
  needsImplicitRollback,
  nextSignalingState,
  type RTCSdpType,
  type RTCSignalingState,
  SignalingStateMachine,
} from './sdp/signaling-state.js';
export { getMediaStreamIds, getSources, type SdpSourceInfo } from './sdp/streams.js';
export { findDescriptionProblems, type VerifyDescriptionOptions, verifyDescription } from './sdp/validate.js';
