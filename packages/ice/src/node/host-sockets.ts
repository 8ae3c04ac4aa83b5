import type { Socket } from 'node:dgram';
import { isLinkLocal } from '../agent/candidate.js';
import type { TransportAddress } from '../stun/address.js';
import type { HostAddress } from './host-addresses.js';
import { bindUdp, type PortRange } from './udp-socket.js';

/** The UDP sockets of host candidates, each bound to the address it advertises. */
export class HostSockets {
  private readonly sockets = new Map<string, Socket>();
  /** Interface of each socket bound to an IPv6 link-local address, to scope what it sends. */
  private readonly zones = new Map<string, string>();

  get size(): number {
    return this.sockets.size;
  }

  get(socketId: string): Socket | undefined {
    return this.sockets.get(socketId);
  }

  /** Binds a socket for `host`; undefined when the address cannot be bound. */
  async bind(socketId: string, host: HostAddress, range?: PortRange): Promise<Socket | undefined> {
    try {
      // An IPv6 link-local address only means something with its interface (RFC 4007 zone).
      const scoped = host.family === 6 && isLinkLocal(host.address);
      const socket = await bindUdp(scoped ? `${host.address}%${host.interfaceName}` : host.address, range);
      if (scoped) this.zones.set(socketId, host.interfaceName);
      return socket;
    } catch {
      return undefined; // Gone, or a full port range: no candidate from this address.
    }
  }

  add(socketId: string, socket: Socket, onMessage: (msg: Buffer, from: TransportAddress) => void): void {
    this.sockets.set(socketId, socket);
    socket.on('message', (msg, rinfo) => onMessage(msg, { address: rinfo.address, port: rinfo.port }));
    socket.on('error', () => {});
  }

  /** Sends from host socket `socketId`, scoping a link-local destination to the socket's interface. */
  send(socketId: string, destination: TransportAddress, data: Uint8Array): void {
    const zone = this.zones.get(socketId);
    const to =
      zone && isLinkLocal(destination.address) ? `${destination.address}%${zone}` : destination.address;
    this.sockets.get(socketId)?.send(data, destination.port, to);
  }

  close(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}
