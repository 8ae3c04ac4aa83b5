import { fail } from '../packet/parse-error.js';

/** RFC 8831 8 / RFC 8832 8.1 payload protocol identifiers. */
export const Ppid = {
  Dcep: 50,
  String: 51,
  /** Deprecated partial binary; treated as binary. */
  BinaryPartial: 52,
  Binary: 53,
  /** Deprecated partial string; treated as string. */
  StringPartial: 54,
  StringEmpty: 56,
  BinaryEmpty: 57,
} as const;

/** RFC 8832 5.1 channel types: the high bit means unordered. */
export const ChannelType = {
  Reliable: 0x00,
  ReliableUnordered: 0x80,
  PartialReliableRexmit: 0x01,
  PartialReliableRexmitUnordered: 0x81,
  PartialReliableTimed: 0x02,
  PartialReliableTimedUnordered: 0x82,
} as const;

export interface DcepOpen {
  type: 'open';
  channelType: number;
  priority: number;
  /** Retransmissions (rexmit) or lifetime in ms (timed); ignored for reliable channels. */
  reliabilityParameter: number;
  label: string;
  protocol: string;
}

export interface DcepAck {
  type: 'ack';
}

export type DcepMessage = DcepOpen | DcepAck;

const OPEN = 0x03;
const ACK = 0x02;
const KNOWN_TYPES = new Set<number>(Object.values(ChannelType));

/** Parses a DCEP message (RFC 8832 5); throws SctpParseError when malformed. */
export function parseDcep(b: Buffer): DcepMessage {
  if (b.length < 1) fail('empty DCEP message');
  if (b[0] === ACK) {
    if (b.length !== 1) fail('DATA_CHANNEL_ACK has trailing bytes');
    return { type: 'ack' };
  }
  if (b[0] !== OPEN) fail('unknown DCEP message type');
  if (b.length < 12) fail('DATA_CHANNEL_OPEN too short');
  const channelType = b[1]!;
  if (!KNOWN_TYPES.has(channelType)) fail('unknown channel type');
  const labelLength = b.readUInt16BE(8);
  const protocolLength = b.readUInt16BE(10);
  if (12 + labelLength + protocolLength !== b.length) fail('DATA_CHANNEL_OPEN lengths do not match');
  return {
    type: 'open',
    channelType,
    priority: b.readUInt16BE(2),
    reliabilityParameter: b.readUInt32BE(4),
    label: b.toString('utf8', 12, 12 + labelLength),
    protocol: b.toString('utf8', 12 + labelLength, 12 + labelLength + protocolLength),
  };
}

export function serializeDcep(m: DcepMessage): Buffer {
  if (m.type === 'ack') return Buffer.from([ACK]);
  // Lengths are UTF-8 byte counts, not string lengths (RFC 8832 5.1).
  const label = Buffer.from(m.label, 'utf8');
  const protocol = Buffer.from(m.protocol, 'utf8');
  if (label.length > 0xffff || protocol.length > 0xffff)
    throw new RangeError('label or protocol longer than 65535 bytes');
  const b = Buffer.alloc(12 + label.length + protocol.length);
  b[0] = OPEN;
  b[1] = m.channelType;
  b.writeUInt16BE(m.priority, 2);
  b.writeUInt32BE(m.reliabilityParameter >>> 0, 4);
  b.writeUInt16BE(label.length, 8);
  b.writeUInt16BE(protocol.length, 10);
  label.copy(b, 12);
  protocol.copy(b, 12 + label.length);
  return b;
}
