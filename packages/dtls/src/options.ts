import type { DtlsCertificate } from './cert/certificate.js';
import type { DtlsFingerprint } from './cert/fingerprint.js';
import { CipherSuite, NamedGroup, SrtpProtectionProfile } from './constants.js';
import type { RetransmitPolicy } from './flight/retransmit-timer.js';
import type { ReassemblerLimits } from './handshake/reassembler.js';

export type DtlsRole = 'client' | 'server';

export interface DtlsConnectionOptions {
  role: DtlsRole;
  /** Our identity. WebRTC uses one self-signed certificate per connection (see generateCertificate). */
  certificate: DtlsCertificate;
  /**
   * The peer's certificate fingerprints from its SDP. The handshake fails before `connected` unless
   * the peer's certificate matches one of them; an empty list rejects every peer.
   */
  remoteFingerprints: readonly DtlsFingerprint[];
  /** use_srtp profiles in preference order (RFC 5764 4.1.1); empty to not negotiate SRTP. */
  srtpProfiles?: readonly number[];
  /** Cipher suites in preference order; those not matching our certificate's key are skipped. */
  cipherSuites?: readonly number[];
  /** ECDHE groups in preference order. */
  groups?: readonly number[];
  /** Largest datagram we send (headers of lower layers excluded). Default 1200. */
  mtu?: number;
  /**
   * Retransmission timing (RFC 6347 4.2.4.1). The default follows the RFC: 1000 ms initial, doubled
   * per retransmission up to 60 s, 10 retransmissions per flight. WebRTC deployments often start
   * lower (a few hundred ms or less) because the handshake delays the first media and data; the RFC
   * value is the safe default on unknown paths, so lowering it is left to the caller.
   */
  retransmit?: Partial<RetransmitPolicy>;
  /** Server: answer the first ClientHello with a HelloVerifyRequest cookie. Default true. */
  requireCookie?: boolean;
  /** Server: HMAC key for cookies; random per connection when omitted. */
  cookieSecret?: Uint8Array;
  /** Server: what the cookie binds to, normally the client's "ip:port". */
  peerAddress?: string;
  /** Randomness for hello randoms; defaults to crypto.randomBytes. */
  randomBytes?: (n: number) => Buffer;
  /** NSS key log lines (`CLIENT_RANDOM <client random> <master secret>`) for Wireshark. Off by default. */
  keyLog?: (line: string) => void;
  /** Bounds on handshake reassembly memory. */
  reassembly?: Partial<ReassemblerLimits>;
}

export const DEFAULT_CIPHER_SUITES: readonly number[] = [
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
];

export const DEFAULT_GROUPS: readonly number[] = [
  NamedGroup.x25519,
  NamedGroup.secp256r1,
  NamedGroup.secp384r1,
];

export const DEFAULT_SRTP_PROFILES: readonly number[] = [
  SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
  SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
  SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32,
];

export const DEFAULT_MTU = 1200;
