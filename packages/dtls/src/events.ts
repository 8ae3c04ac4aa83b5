import type { DtlsError } from './errors.js';

export type DtlsEvent =
  | {
      type: 'connected';
      cipherSuite: string;
      /** The negotiated use_srtp profile, or undefined when none was negotiated. */
      srtpProfile: number | undefined;
      /** The peer's DER certificate, already checked against the expected fingerprints. */
      peerCertificate: Buffer;
    }
  | { type: 'data'; data: Buffer }
  | { type: 'closed'; initiator: 'local' | 'remote' }
  | { type: 'error'; error: DtlsError };

export interface DtlsStats {
  datagramsReceived: number;
  recordsDropped: number;
  malformedDropped: number;
  replaysDropped: number;
  authFailures: number;
  retransmissions: number;
  helloVerifyRequestsSent: number;
}
