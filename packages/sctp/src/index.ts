export type {
  DataChannelEvent,
  DataChannelInfo,
  DataChannelInit,
  DataChannelState,
} from './datachannel/data-channel.js';
export {
  type ChannelSendResult,
  DataChannelManager,
  type ManagerStats,
} from './datachannel/data-channel-manager.js';
export { ChannelType, type DcepMessage, Ppid, parseDcep, serializeDcep } from './datachannel/dcep.js';
export { type SansIoEndpoint, SctpUdpDriver } from './node/udp-driver.js';
export { type Chunk, ChunkType } from './packet/chunk.js';
export { crc32c } from './packet/crc32c.js';
export type { Parameter } from './packet/parameter.js';
export { SctpParseError } from './packet/parse-error.js';
export { type ParsedPacket, parsePacket, type SctpPacket, serializePacket } from './packet/sctp-packet.js';
export { SctpAssociation, type SendResult } from './socket/association.js';
export type { AssociationState } from './socket/association-state.js';
export type { AssociationEvent, AssociationStats } from './socket/events.js';
export { type AssociationOptions, DEFAULT_OPTIONS } from './socket/options.js';
export type { SendOptions } from './tx/outgoing-message.js';
