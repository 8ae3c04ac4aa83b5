import type { CandidatePairInfo, LocalCandidate } from '@purertc/ice';

/** WebRTC's conventional SCTP packet size (RFC 8831 6.9): fits IPv6's 1280 with DTLS and UDP around it. */
export const SCTP_BASE_PACKET = 1200;
/** RFC 6347 4.1 / RFC 5246 6.2.1: a DTLS 1.2 record carries at most 2^14 bytes, and one SCTP packet is one record (RFC 8261 5). */
export const SCTP_MAX_PACKET = 16_384;
/**
 * libwebrtc (Chrome, Safari, Edge, the native SDKs) reads DTLS datagrams into 2048-byte buffers
 * (`kMaxDtlsPacketLen`), and a larger one closes its DTLS transport: probing Chrome with a 16 KiB
 * packet killed every data channel. So on same-host pairs, where the peer may well be a browser,
 * discovery goes no further than 2048 bytes of UDP payload: the SCTP packet plus a DTLS 1.2 GCM
 * record's 13-byte header, 8-byte explicit nonce and 16-byte tag, rounded down to 4.
 */
export const SCTP_SAME_HOST_MAX_PACKET = (2048 - 13 - 8 - 16) & ~3;

/**
 * MAX_PLPMTU for the association's path MTU discovery (RFC 8899 5.3.1) on the selected pair.
 *
 * A pair whose two ends are addresses of this host never leaves the kernel (loopback, MTU 64 KiB),
 * so only what the peer's DTLS stack reads bounds it (`SCTP_SAME_HOST_MAX_PACKET`). Anywhere else
 * the default stays at the base size, as every browser does: DPLPMTUD needs the IP don't-fragment bit on its probes (RFC 8899 3), Node
 * cannot set it, and Linux fragments a datagram larger than an ICMP-learned path MTU locally, so a
 * retried probe could "confirm" a size that only arrives in fragments. `cap` (the Node-only
 * `sctpMaxPacketSize` setting) lets an application that knows its paths and peers (jumbo frames,
 * one data centre; purertc or other peers that read datagrams above 2 KiB) allow probing up to
 * that size on every pair, and limits same-host pairs too.
 */
export function sctpMaxPacketSize(
  pair: CandidatePairInfo,
  localCandidates: readonly LocalCandidate[],
  cap: number | undefined,
): number {
  if (cap !== undefined) return Math.min(cap, SCTP_MAX_PACKET);
  return isSameHost(pair, localCandidates) ? SCTP_SAME_HOST_MAX_PACKET : SCTP_BASE_PACKET;
}

function isSameHost(pair: CandidatePairInfo, localCandidates: readonly LocalCandidate[]): boolean {
  // Through a TURN server the far leg is somebody else's network.
  if (pair.local.type === 'relay' || pair.remote.type === 'relay') return false;
  const remote = pair.remote.address;
  if (isLoopback(remote)) return true;
  return localCandidates.some((c) => c.type === 'host' && c.address === remote);
}

function isLoopback(address: string): boolean {
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.');
}
