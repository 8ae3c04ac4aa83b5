import type { SimNetwork } from '@purertc/test/sim';
import { expect } from 'vitest';
import type { RTCPeerConnection } from '../../src/index.js';

/**
 * Runs the virtual network in `stepMs` slices (yielding to promise callbacks between them) until
 * `done` holds or `virtualLimitMs` of virtual time passed; `each` runs before every slice.
 */
export async function runUntil(
  net: SimNetwork,
  done: () => boolean,
  virtualLimitMs: number,
  each?: () => void,
  stepMs = 10,
): Promise<boolean> {
  const limit = net.now + virtualLimitMs;
  while (!done() && net.now < limit) {
    each?.();
    net.runFor(stepMs);
    await new Promise((r) => setImmediate(r));
  }
  return done();
}

/**
 * One non-trickle offer/answer round on the virtual network: each description leaves once its
 * side has gathered (immediate in the simulator). `rewriteOffer` changes the offer on its way to
 * `b`. Returns what each side was given.
 */
export async function negotiateOnSim(
  net: SimNetwork,
  a: RTCPeerConnection,
  b: RTCPeerConnection,
  rewriteOffer: (sdp: string) => string = (sdp) => sdp,
): Promise<{ offer: string; answer: string }> {
  await a.setLocalDescription();
  expect(await runUntil(net, () => a.iceGatheringState === 'complete', 1000)).toBe(true);
  const offer = rewriteOffer(a.localDescription!.sdp);
  await b.setRemoteDescription({ type: 'offer', sdp: offer });
  await b.setLocalDescription();
  expect(await runUntil(net, () => b.iceGatheringState === 'complete', 1000)).toBe(true);
  const answer = b.localDescription!.sdp;
  await a.setRemoteDescription({ type: 'answer', sdp: answer });
  return { offer, answer };
}
