import { generateCertificate } from './cert/certificate.js';
import { DtlsClient } from './client.js';
import type { DtlsConnection } from './connection.js';
import type { DtlsConnectionOptions } from './options.js';
import { DtlsServer } from './server.js';

export type CreateDtlsConnectionOptions = Omit<DtlsConnectionOptions, 'certificate'> &
  Partial<Pick<DtlsConnectionOptions, 'certificate'>>;

/**
 * One sans-I/O DTLS 1.2 connection in the given role: what the peer package builds a DtlsTransport
 * on. Without a certificate a fresh ECDSA P-256 one is made for this connection (RTCCertificate
 * semantics), valid from `now`; read it back through `localCertificate` for the SDP fingerprint.
 */
export function createDtlsConnection(options: CreateDtlsConnectionOptions, now: number): DtlsConnection {
  const { role, ...rest } = options;
  const certificate = options.certificate ?? generateCertificate({ now });
  return role === 'client'
    ? new DtlsClient({ ...rest, certificate })
    : new DtlsServer({ ...rest, certificate });
}
