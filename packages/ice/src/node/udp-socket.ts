import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves the address of every `send` through its lookup function, and Node's default
 * answers even an IP literal on the next tick: one deferred closure per datagram. Every address
 * we send to is a literal, so answer those at once; names still go to the resolver.
 */
function literalLookup(hostname: string, options: LookupOneOptions | number, callback: LookupCallback): void {
  const version = isIP(hostname);
  if (version !== 0) callback(null, hostname, version);
  else if (typeof options === 'number') dnsLookup(hostname, options, callback);
  else dnsLookup(hostname, options, callback);
}

function bindOnce(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({
      type: address.includes(':') ? 'udp6' : 'udp4',
      ipv6Only: address.includes(':'),
      lookup: literalLookup,
    });
    const onError = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/**
 * Binds a UDP socket to exactly the address it will advertise. With a port range, tries ports
 * from a random start and moves on when one is taken: binding is the test, so there is no
 * probe-then-rebind race.
 */
export async function bindUdp(address: string, range?: PortRange, start?: number): Promise<Socket> {
  if (!range) return bindOnce(address, 0);
  const size = range.max - range.min + 1;
  const first = start ?? Math.floor(Math.random() * size);
  let lastError: unknown;
  for (let i = 0; i < size; i++) {
    const port = range.min + ((first + i) % size);
    try {
      return await bindOnce(address, port);
    } catch (err) {
      lastError = err;
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(`no free port in ${range.min}-${range.max}`);
}
