/**
 * Typed model of an SDP session description (RFC 8866) as WebRTC uses it. Everything the parser
 * reads is kept: lines and attributes it does not understand are stored in order in `attributes`
 * so that re-serializing loses nothing.
 */

/** `o=` (RFC 8866 5.2). Ids stay decimal strings: Chrome's exceed 2^53. */
export interface SdpOrigin {
  username: string;
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

/** `c=` (RFC 8866 5.7). */
export interface SdpConnection {
  netType: string;
  addrType: string;
  address: string;
}

/** `b=` (RFC 8866 5.8). */
export interface SdpBandwidth {
  type: string;
  value: number;
}

/** `t=` with the `r=` lines that follow it (RFC 8866 5.9, 5.10). */
export interface SdpTiming {
  start: string;
  stop: string;
  repeats: string[];
}

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** RFC 4145 4 / RFC 8842: the DTLS role an endpoint takes. */
export type DtlsSetupRole = 'actpass' | 'active' | 'passive' | 'holdconn';

/** An ICE candidate (RFC 8839 5.1 grammar plus the extensions browsers emit). */
export interface SdpCandidate {
  foundation: string;
  component: number;
  transport: string;
  priority: number;
  address: string;
  port: number;
  type: string;
  relatedAddress?: string;
  relatedPort?: number;
  /** RFC 6544 4.5: active, passive or so. */
  tcpType?: string;
  generation?: number;
  ufrag?: string;
  networkId?: number;
  networkCost?: number;
  /** Extension name/value pairs not listed above, in their order. */
  extensions: { name: string; value: string }[];
}

export interface SimulcastRid {
  rid: string;
  paused: boolean;
}

export interface RidParam {
  name: string;
  value?: string;
}

export type SdpAttribute =
  | { type: 'group'; semantics: string; mids: string[] }
  | { type: 'msid-semantic'; semantics: string; ids: string[] }
  | { type: 'extmap-allow-mixed' }
  | { type: 'ice-ufrag'; value: string }
  | { type: 'ice-pwd'; value: string }
  | { type: 'ice-options'; options: string[] }
  | { type: 'ice-lite' }
  | { type: 'candidate'; candidate: SdpCandidate }
  | { type: 'end-of-candidates' }
  | { type: 'fingerprint'; algorithm: string; value: string }
  | { type: 'setup'; role: DtlsSetupRole }
  | { type: 'mid'; value: string }
  | { type: 'direction'; direction: MediaDirection }
  | { type: 'rtcp-mux' }
  | { type: 'rtcp-rsize' }
  | { type: 'rtcp'; port: number; netType?: string; addrType?: string; address?: string }
  | { type: 'rtpmap'; payloadType: number; encodingName: string; clockRate: number; channels?: number }
  | { type: 'fmtp'; payloadType: number; parameters: string }
  | { type: 'rtcp-fb'; payloadType: number | '*'; feedbackType: string; parameter?: string }
  | { type: 'extmap'; id: number; direction?: MediaDirection; uri: string; attributes?: string }
  | { type: 'msid'; streamId: string; trackId?: string }
  | { type: 'ssrc'; ssrc: number; attribute: string; value?: string }
  | { type: 'ssrc-group'; semantics: string; ssrcs: number[] }
  | { type: 'rid'; id: string; direction: 'send' | 'recv'; payloadTypes?: number[]; params: RidParam[] }
  | { type: 'simulcast'; send?: SimulcastRid[][]; recv?: SimulcastRid[][] }
  | { type: 'sctp-port'; port: number }
  | { type: 'max-message-size'; size: number }
  /** Legacy SCTP-over-DTLS (draft-ietf-mmusic-sctp-sdp-05); read for interop, never generated. */
  | { type: 'sctpmap'; port: number; protocol: string; streams?: number }
  /** Any other `a=key[:value]`, kept verbatim. */
  | { type: 'generic'; key: string; value?: string }
  /** A line whose type letter RFC 8866 does not define, kept verbatim where it appeared. */
  | { type: 'unknown-line'; letter: string; value: string };

/** What an `a=` line holds: every attribute kind except the unknown-line placeholder. */
export type SdpAttributeLine = Exclude<SdpAttribute, { type: 'unknown-line' }>;

export type SdpAttributeType = SdpAttribute['type'];
export type SdpAttributeOf<T extends SdpAttributeType> = Extract<SdpAttribute, { type: T }>;

/** One `m=` section (RFC 8866 5.14) and the lines under it. */
export interface SdpMediaSection {
  /** audio, video, application, ... */
  kind: string;
  port: number;
  /** The `/<number of ports>` suffix, when present. */
  portCount?: number;
  protocol: string;
  formats: string[];
  information?: string;
  connections: SdpConnection[];
  bandwidths: SdpBandwidth[];
  encryptionKey?: string;
  attributes: SdpAttribute[];
}

export interface SessionDescription {
  version: number;
  origin: SdpOrigin;
  sessionName: string;
  information?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: SdpConnection;
  bandwidths: SdpBandwidth[];
  timing: SdpTiming[];
  timeZones?: string;
  encryptionKey?: string;
  attributes: SdpAttribute[];
  media: SdpMediaSection[];
}
