import type { PeerDriver } from '../driver/driver.js';
import { NodeDriver } from '../node/node-driver.js';
import type { ResolvedConfiguration } from './configuration.js';

/** The configured driver, or UDP sockets with the Node-only socket options of the configuration. */
export function driverFor(config: ResolvedConfiguration): PeerDriver {
  if (config.driver) return config.driver;
  return new NodeDriver({
    ...(config.bindAddresses ? { addresses: config.bindAddresses } : {}),
    ...(config.portRange ? { portRange: config.portRange } : {}),
    ...(config.includeLoopback !== undefined ? { loopback: config.includeLoopback } : {}),
    ...(config.socketBufferSize !== undefined ? { socketBufferSize: config.socketBufferSize } : {}),
    ...(config.mdnsHostnames ? { mdnsHostnames: true } : {}),
    ...(config.turnTlsCa ? { turnTlsCa: config.turnTlsCa } : {}),
  });
}
