export {
  type CertificateKeyType,
  DtlsCertificate,
  type GenerateCertificateOptions,
  generateCertificate,
} from './cert/certificate.js';
export {
  type DtlsFingerprint,
  type FingerprintAlgorithm,
  fingerprint,
  matchesAnyFingerprint,
} from './cert/fingerprint.js';
export { DtlsClient } from './client.js';
export { DtlsConnection, type DtlsState, MAX_APPLICATION_DATA } from './connection.js';
export {
  AlertDescription,
  CipherSuite,
  type CipherSuiteId,
  ContentType,
  DTLS_1_0,
  DTLS_1_2,
  HandshakeType,
  NamedGroup,
  SignatureScheme,
  SrtpProtectionProfile,
  type SrtpProtectionProfileId,
} from './constants.js';
export { Dtls12RecordAead } from './crypto/aead.js';
export { exportKeyingMaterial, extendedMasterSecret, prf } from './crypto/prf.js';
export { CIPHER_SUITES, type CipherSuiteInfo, cipherSuiteInfo } from './crypto/suites.js';
export { DtlsError, type DtlsErrorReason, DtlsParseError } from './errors.js';
export type { DtlsEvent, DtlsStats } from './events.js';
export { DEFAULT_RETRANSMIT_POLICY, type RetransmitPolicy } from './flight/retransmit-timer.js';
export { CookieAuthority } from './handshake/cookie.js';
export { type HelloVerdict, inspectClientHello } from './handshake/hello-verifier.js';
export { DtlsUdpDriver, type UdpPeer } from './node/udp-driver.js';
export { DtlsUdpServer, type DtlsUdpServerOptions } from './node/udp-server.js';
export {
  DEFAULT_CIPHER_SUITES,
  DEFAULT_GROUPS,
  DEFAULT_MTU,
  DEFAULT_SRTP_PROFILES,
  type DtlsConnectionOptions,
  type DtlsRole,
} from './options.js';
export { DtlsServer } from './server.js';
export { type SrtpKeyingMaterial, splitSrtpKeyingMaterial, srtpKeyLengths } from './srtp-keys.js';
export { type CreateDtlsConnectionOptions, createDtlsConnection } from './transport.js';
