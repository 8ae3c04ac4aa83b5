/** What a datagram on a WebRTC 5-tuple carries, from its first byte. */
export type DatagramKind = 'stun' | 'dtls' | 'rtp' | 'rtcp' | 'unknown';

/**
 * RFC 7983 7 (updated by RFC 9443 3): 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP; the rest (ZRTP,
 * TURN channels, QUIC) is not ours on a WebRTC transport. RTP and RTCP share a 5-tuple under
 * rtcp-mux and are told apart by the second byte: RTCP packet types 192-223 (RFC 5761 4).
 */
export function classifyDatagram(bytes: Uint8Array): DatagramKind {
  if (bytes.length === 0) return 'unknown';
  const first = bytes[0]!;
  if (first <= 3) return 'stun';
  if (first >= 20 && first <= 63) return 'dtls';
  if (first >= 128 && first <= 191) {
    if (bytes.length < 2) return 'unknown';
    const pt = bytes[1]!;
    return pt >= 192 && pt <= 223 ? 'rtcp' : 'rtp';
  }
  return 'unknown';
}
