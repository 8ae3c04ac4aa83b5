import { SimNetwork } from '@purertc/test/sim';
import { expect } from 'vitest';
import { type RTCConfiguration, RTCPeerConnection } from '../../src/index.js';
import { SimDriver } from './sim-driver.js';

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

/**
 * Two peers over an impaired path: `a` behind a NAT (endpoint-independent mapping,
 * address-and-port-dependent filtering), each direction crossing one lossy uplink (10%) and one
 * clean downlink, 25 ms per link (100 ms round trip). `configA` adds to `a`'s configuration.
 */
export function impairedPair(seed: number, configA: RTCConfiguration = {}) {
  const net = new SimNetwork({ seed });
  const lossy = { delayMs: 25, loss: 0.1 };
  const clean = { delayMs: 25 };
  const nat = net.addNat({
    publicAddress: '203.0.113.1',
    mapping: 'endpoint-independent',
    filtering: 'address-and-port-dependent',
  });
  const hostA = net.addHost({ address: '192.168.1.10', behind: nat, uplink: lossy, downlink: clean });
  const hostB = net.addHost({ address: '198.51.100.7', uplink: lossy, downlink: clean });
  const a = new RTCPeerConnection({ ...configA, driver: new SimDriver(net, hostA) });
  const b = new RTCPeerConnection({ driver: new SimDriver(net, hostB) });
  return { net, a, b };
}
