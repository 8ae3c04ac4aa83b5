import { RTCPeerConnection as WeriftPeerConnection } from 'werift';
import type { RTCPeerConnection } from '../../src/index.js';
import { waitFor, within } from './peers.js';

export function weriftPeer(): WeriftPeerConnection {
  return new WeriftPeerConnection({
    iceUseIpv4: true,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
}

/** Our description once gathering is complete (non-trickle signalling). */
export async function completeLocalDescription(
  pc: RTCPeerConnection,
): Promise<{ type: 'offer' | 'answer'; sdp: string }> {
  await waitFor(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete');
  const d = pc.localDescription!;
  return { type: d.type as 'offer' | 'answer', sdp: d.sdp };
}

/**
 * Resolves once werift reports connected. werift keys SRTP when its own DTLS handshake
 * completes, which may trail ours.
 */
export function weriftConnected(theirs: WeriftPeerConnection, ms = 15_000): Promise<void> {
  return within(
    new Promise<void>((resolve) =>
      theirs.connectionState === 'connected'
        ? resolve()
        : theirs.connectionStateChange.subscribe((st) => st === 'connected' && resolve()),
    ),
    ms,
    'werift connected',
  );
}
