/**
 * The simulated network every package's tests share: `import { SimNetwork } from '@purertc/test/sim'`.
 *
 *   const net = new SimNetwork({ seed: 1 });
 *   const nat = net.addNat({ publicAddress: '203.0.113.1', mapping: 'address-and-port-dependent',
 *                            filtering: 'address-and-port-dependent' });
 *   const a = net.addHost({ address: '192.168.0.2', behind: nat, uplink: { delayMs: 50, loss: 0.1 } });
 *   const b = net.addHost({ address: '198.51.100.1', downlink: { mtu: 576 } });
 *   const sa = a.bind((datagram, now) => core.handle(datagram.data, now)); // feed the sans-I/O core
 *   net.addTimerNode({ nextDeadline: () => core.nextDeadline(), handleTimeout: (now) => core.tick(now) });
 *   sa.send(bytes, { host: '198.51.100.1', port: 5000 });                // after draining its output
 *   net.runUntil(() => core.connected, { timeoutMs: 30_000 });            // virtual ms
 *
 * After feeding a core (a datagram or a timeout), drain its outgoing datagrams into the socket.
 */
export { addressKey, type Datagram, type SimAddress, sameAddress } from './address.js';
export { EventQueue } from './event-queue.js';
export { Link, type LinkConfig, type LinkStats } from './link.js';
export {
  DEFAULT_MAPPING_TIMEOUT_MS,
  type NatBehavior,
  type NatConfig,
  type NatStats,
  NatTable,
} from './nat.js';
export {
  type HostOptions,
  type NatOptions,
  type NetworkStats,
  type ReceiveHandler,
  type RunOptions,
  SimHost,
  SimNat,
  SimNetwork,
  SimSocket,
  type SimTimerNode,
} from './network.js';
export { SeededRandom } from './random.js';
