import { DtlsClient } from './client.js';
import type { DtlsConnection } from './connection.js';
import type { DtlsConnectionOptions } from './options.js';
import { DtlsServer } from './server.js';

/** One sans-I/O DTLS 1.2 connection in the given role; what the peer package builds a DtlsTransport on. */
export function createDtlsConnection(options: DtlsConnectionOptions): DtlsConnection {
  const { role, ...rest } = options;
  return role === 'client' ? new DtlsClient(rest) : new DtlsServer(rest);
}
