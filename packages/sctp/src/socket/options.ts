import { randomBytes } from 'node:crypto';

export interface AssociationOptions {
  localPort: number;
  remotePort: number;
  /** SCTP packet size, common header included. WebRTC's conventional 1200 (RFC 8831 6.9 leaves it to DTLS). */
  mtu: number;
  /**
   * The largest SCTP packet path MTU discovery (RFC 8899 6.2.1) may probe for: MAX_PLPMTU, from
   * what the lower layers allow on this path. At or below `mtu` (0, the default), nothing is probed
   * and `mtu` is used throughout; above it, data starts at `mtu` and grows to what probes confirm.
   */
  maxMtu: number;
  /** Receive buffer; also our advertised a_rwnd. 5 MiB like dcSCTP and Chrome 156's INIT. */
  maxReceiverWindow: number;
  /** Bytes the send queue accepts before send() refuses (dcSCTP's max_send_buffer_size). */
  maxSendBuffer: number;
  /** Largest message we send or accept; 262144 by default, the peer's from SDP (RFC 8841). */
  maxMessageSize: number;
  /** RFC 6298 / RFC 9260 15: RTO.Initial is 1 s, dcSCTP uses 500 ms for WebRTC; we follow dcSCTP. */
  rtoInitial: number;
  /** dcSCTP's 400 ms minimum (RFC 9260 recommends 1 s, too slow for interactive data). */
  rtoMin: number;
  /** RFC 9260 15: RTO.Max 60 s. */
  rtoMax: number;
  /**
   * Ceiling of the exponential backoff of T3-rtx and T2 (never below the measured RTO). WebRTC's
   * dcSCTP transport uses 3 s: with RTO.Max alone, a few losses in a row on a lossy path push
   * the RTO to 60 s and, with cwnd at one MTU after T3 (RFC 9260 7.2.3), data stalls for minutes.
   */
  maxTimerBackoff: number;
  /** RFC 9260 6.2: at most 500 ms, recommended 200 ms (also dcSCTP's). */
  delayedAckMax: number;
  /**
   * SACK coalescing. RFC 9260 6.2 asks for a SACK at least every second packet; one owed that way
   * is sent from handleTimeout at the same instant, so the packets a driver feeds before it runs
   * due timers (the datagrams one socket read returned) share one SACK, up to this many packets.
   * Gaps, duplicates and the I-bit are still answered at once (6.7, RFC 7053). 2, the default,
   * is one SACK per two packets. A slow-starting sender grows cwnd by at most one MTU per SACK
   * (7.2.1), so coalescing slows its ramp when whole bursts arrive at once (a link without
   * serialization delay); with packets spaced by the link, bursts are one or two packets anyway.
   */
  maxPacketsPerSack: number;
  /** RFC 9260 15: HB.interval 30 s. */
  heartbeatInterval: number;
  /**
   * RFC 9260 15: Association.Max.Retrans 10. With the 3 s backoff ceiling, ten T3 expiries in a
   * row take ~25 s; WebRTC's dcSCTP transport sets no limit (Infinity here) and leaves liveness to
   * ICE consent (RFC 7675), so heavy loss slows a data channel instead of aborting it.
   */
  maxRetransmissions: number;
  /** RFC 9260 15: Max.Init.Retransmits 8. */
  maxInitRetransmits: number;
  /** RFC 9260 15: Valid.Cookie.Life 60 s. */
  cookieLifetime: number;
  /** dcSCTP's cwnd_mtus_initial: 10 MTUs. */
  initialCwndMtus: number;
  /** Streams announced in each direction (RFC 8831: WebRTC allows 65535). */
  streams: number;
  /** RFC 3758 PR-SCTP; data channels need it. */
  partialReliability: boolean;
  /** RFC 8260 I-DATA, used only when both ends announce it. Off by default like Chrome. */
  messageInterleaving: boolean;
  /** RFC 9653: advertise that we accept zero checksums (the DTLS layer already authenticates). */
  zeroChecksum: boolean;
  /** Randomness for tags, initial TSNs and the cookie secret. */
  random: (bytes: number) => Buffer;
}

export const DEFAULT_OPTIONS: AssociationOptions = {
  localPort: 5000,
  remotePort: 5000,
  mtu: 1200,
  maxMtu: 0,
  maxReceiverWindow: 5 * 1024 * 1024,
  maxSendBuffer: 2_000_000,
  maxMessageSize: 262_144,
  rtoInitial: 500,
  rtoMin: 400,
  rtoMax: 60_000,
  maxTimerBackoff: 3_000,
  delayedAckMax: 200,
  maxPacketsPerSack: 2,
  heartbeatInterval: 30_000,
  maxRetransmissions: 10,
  maxInitRetransmits: 8,
  cookieLifetime: 60_000,
  initialCwndMtus: 10,
  streams: 65535,
  partialReliability: true,
  messageInterleaving: false,
  zeroChecksum: false,
  random: randomBytes,
};
