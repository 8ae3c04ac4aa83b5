export type {
  DatagramHandler,
  GatherError,
  GatherOptions,
  IceServerUrl,
  PeerDriver,
} from './driver/driver.js';
export { type ParsedIceServerUrl, parseIceServerUrl } from './driver/ice-server-url.js';
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
export { NodeDriver, type NodeDriverOptions } from './node/node-driver.js';
export { RTCCertificate, type RTCCertificateKeygenAlgorithm } from './pc/certificate.js';
export type {
  RTCBundlePolicy,
  RTCConfiguration,
  RTCIceServer,
  RTCIceTransportPolicy,
  RTCRtcpMuxPolicy,
} from './pc/configuration.js';
export {
  type BinaryType,
  RTCDataChannel,
  type RTCDataChannelInit,
  type RTCDataChannelState,
} from './pc/data-channel.js';
export {
  RTCDataChannelEvent,
  RTCErrorEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCTrackEvent,
} from './pc/events.js';
export { RTCIceCandidate, type RTCIceCandidateInit, type RTCIceCandidateType } from './pc/ice-candidate.js';
export type { RTCRtpCodec } from './pc/media/default-codecs.js';
export { RTCRtpReceiver } from './pc/media/receiver.js';
export { KeyFrameRequestEvent, RTCRtpSender, type RTCRtpSendParameters } from './pc/media/sender.js';
export { MediaStream, RtpPacketEvent, RtpTrack } from './pc/media/track.js';
export {
  getRtpCapabilities,
  RTCRtpTransceiver,
  type RTCRtpTransceiverDirection,
} from './pc/media/transceiver.js';
export {
  type RTCOfferOptions,
  RTCPeerConnection,
  type RTCRtpTransceiverInit,
} from './pc/peer-connection.js';
export { RTCSessionDescription, type RTCSessionDescriptionInit } from './pc/session-description.js';
export type { RTCStats, RTCStatsReport } from './pc/stats.js';
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
export { classifyDatagram, type DatagramKind } from './transport/demux.js';
export {
  PeerTransport,
  type PeerTransportEvent,
  type PeerTransportOptions,
  type PeerTransportStats,
  type SctpStartOptions,
} from './transport/peer-transport.js';
export {
  aggregateConnectionState,
  aggregateGatheringState,
  aggregateIceConnectionState,
  type RTCDtlsTransportState,
  type RTCIceConnectionState,
  type RTCIceGatheringState,
  type RTCPeerConnectionState,
} from './transport/states.js';
