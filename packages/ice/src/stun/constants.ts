/** RFC 8489 section 5: the fixed value in bytes 4-7 of every STUN message. */
export const MAGIC_COOKIE = 0x2112a442;
export const STUN_HEADER_LENGTH = 20;
export const TRANSACTION_ID_LENGTH = 12;

/** STUN methods (RFC 8489 section 18.2, RFC 8656 section 17). */
export const StunMethod = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
  Connect: 0x00a,
  ConnectionBind: 0x00b,
  ConnectionAttempt: 0x00c,
} as const;

/** STUN classes, as the two class bits C1C0 (RFC 8489 section 5). */
export const StunClass = {
  Request: 0,
  Indication: 1,
  SuccessResponse: 2,
  ErrorResponse: 3,
} as const;
export type StunClassValue = (typeof StunClass)[keyof typeof StunClass];

/** Attribute types (RFC 8489 section 18.3, RFC 8445 section 16.1, RFC 8656 section 18). */
export const StunAttr = {
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  Realm: 0x0014,
  Nonce: 0x0015,
  XorRelayedAddress: 0x0016,
  RequestedAddressFamily: 0x0017,
  EvenPort: 0x0018,
  RequestedTransport: 0x0019,
  DontFragment: 0x001a,
  MessageIntegritySha256: 0x001c,
  PasswordAlgorithm: 0x001d,
  Userhash: 0x001e,
  XorMappedAddress: 0x0020,
  ReservationToken: 0x0022,
  Priority: 0x0024,
  UseCandidate: 0x0025,
  ConnectionId: 0x002a,
  AdditionalAddressFamily: 0x8000,
  AddressErrorCode: 0x8001,
  PasswordAlgorithms: 0x8002,
  AlternateDomain: 0x8003,
  Icmp: 0x8004,
  Software: 0x8022,
  AlternateServer: 0x8023,
  Fingerprint: 0x8028,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
} as const;

/** RFC 8489 section 14: types 0x0000-0x7FFF must be understood, or the message is rejected. */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

const KNOWN_ATTRIBUTES = new Set<number>(Object.values(StunAttr));

export function isKnownAttribute(type: number): boolean {
  return KNOWN_ATTRIBUTES.has(type);
}

/** RFC 8489 section 5: method bits M0-M11 interleaved with class bits C0 (bit 4) and C1 (bit 8). */
export function encodeMessageType(method: number, cls: number): number {
  return (
    (method & 0x000f) |
    ((method & 0x0070) << 1) |
    ((method & 0x0f80) << 2) |
    ((cls & 1) << 4) |
    ((cls & 2) << 7)
  );
}

export function decodeMessageMethod(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

export function decodeMessageClass(type: number): StunClassValue {
  return (((type >> 4) & 1) | ((type >> 7) & 2)) as StunClassValue;
}

/** RFC 8445 section 7.2.5.1 and RFC 8656 section 18: error codes the ICE and TURN logic reacts to. */
export const StunErrorCode = {
  TryAlternate: 300,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  UnknownAttribute: 420,
  AllocationMismatch: 437,
  StaleNonce: 438,
  AddressFamilyNotSupported: 440,
  WrongCredentials: 441,
  UnsupportedTransportProtocol: 442,
  PeerAddressFamilyMismatch: 443,
  AllocationQuotaReached: 486,
  RoleConflict: 487,
  ServerError: 500,
  InsufficientCapacity: 508,
} as const;
