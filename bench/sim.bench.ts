import { SimNetwork } from '@purertc/test/sim';
import { defineSuite } from './harness.js';

/**
 * The simulator's own cost: how many datagrams per second of real time it carries across an
 * impaired path through a NAT. Simulation tests of whole stacks are bounded by this.
 */
const BATCH = 1000;
const PAYLOAD = new Uint8Array(1200);

function datagramsThroughNat(): () => void {
  const net = new SimNetwork({ seed: 1 });
  const nat = net.addNat({
    publicAddress: '203.0.113.1',
    mapping: 'address-and-port-dependent',
    filtering: 'address-and-port-dependent',
  });
  const client = net.addHost({
    address: '192.168.0.2',
    behind: nat,
    uplink: { delayMs: 20, jitterMs: 5, loss: 0.01, reorder: 0.01 },
  });
  const server = net.addHost({ address: '198.51.100.1', downlink: { delayMs: 20, bandwidthBps: 1e9 } });
  let received = 0;
  server.bind(
    () => {
      received++;
    },
    { port: 5000 },
  );
  const socket = client.bind(() => {});
  const to = { host: '198.51.100.1', port: 5000 };
  return () => {
    for (let i = 0; i < BATCH; i++) socket.send(PAYLOAD, to);
    net.runUntilIdle();
    if (received === 0) throw new Error('nothing arrived');
  };
}

export default defineSuite({
  suite: 'sim',
  cases: () => [
    {
      case: `${BATCH} datagrams of 1200 B through a symmetric NAT`,
      impl: 'purertc',
      bytesPerOp: BATCH * PAYLOAD.byteLength,
      fn: datagramsThroughNat(),
    },
  ],
});
