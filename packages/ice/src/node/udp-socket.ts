import { createSocket, type Socket } from 'node:dgram';

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

function bindOnce(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({
      type: address.includes(':') ? 'udp6' : 'udp4',
      ipv6Only: address.includes(':'),
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
