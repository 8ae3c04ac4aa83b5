/** What an application asks for (the W3C RTCDataChannelInit, RFC 8831 6.4). */
export interface DataChannelInit {
  label?: string;
  protocol?: string;
  ordered?: boolean;
  maxRetransmits?: number;
  /** Milliseconds. */
  maxPacketLifeTime?: number;
  /** RFC 8832 5.1 priority: 128 below normal, 256 normal (default), 512 high, 1024 extra high. */
  priority?: number;
  negotiated?: boolean;
  id?: number;
}

export type DataChannelState = 'connecting' | 'open' | 'closing' | 'closed';

/** A data channel as the manager tracks it. */
export interface DataChannelInfo {
  readonly id: number;
  readonly label: string;
  readonly protocol: string;
  readonly ordered: boolean;
  readonly maxRetransmits: number | undefined;
  readonly maxPacketLifeTime: number | undefined;
  readonly priority: number;
  readonly negotiated: boolean;
  state: DataChannelState;
}

export type DataChannelEvent =
  | { type: 'connected' }
  /** The peer opened a channel with DATA_CHANNEL_OPEN. */
  | { type: 'channel-open'; channel: DataChannelInfo }
  /** One of ours became open (association up; negotiated or OPEN sent). */
  | { type: 'channel-opened'; id: number }
  /** The peer acknowledged our DATA_CHANNEL_OPEN. */
  | { type: 'channel-ack'; id: number }
  | { type: 'message'; id: number; data: string | Buffer; binary: boolean }
  | { type: 'buffered-amount-low'; id: number }
  | { type: 'channel-closing'; id: number }
  | { type: 'channel-closed'; id: number }
  | { type: 'closed' }
  | { type: 'aborted'; reason: string }
  /**
   * The peer's association restarted (RFC 9260 5.2.4 A): all channels were closed (each with
   * `channel-closed`), and `lostMessages` sent messages were never delivered. New channels may be
   * opened on the same association.
   */
  | { type: 'restarted'; lostMessages: number };
