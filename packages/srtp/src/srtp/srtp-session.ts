import { type SrtpProfileId, srtpProfileParameters } from './profiles.js';
import { SrtpContext, type SrtpUnprotectResult } from './srtp-context.js';

/** One side's keys from the DTLS exporter (RFC 5764 4.2). */
export interface SrtpKeyPair {
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
}

/**
 * RFC 5764 4.2: the exporter output (label "EXTRACTOR-dtls_srtp") is client key || server key ||
 * client salt || server salt. Returns both halves; the DTLS client protects with `client`.
 */
export function srtpKeysFromExporter(
  material: Uint8Array,
  profile: SrtpProfileId,
): { client: SrtpKeyPair; server: SrtpKeyPair } {
  const { keyLength: k, saltLength: s } = srtpProfileParameters(profile);
  if (material.length < 2 * (k + s)) throw new RangeError(`exporter output needs ${2 * (k + s)} bytes`);
  return {
    client: { masterKey: material.slice(0, k), masterSalt: material.slice(2 * k, 2 * k + s) },
    server: { masterKey: material.slice(k, 2 * k), masterSalt: material.slice(2 * k + s, 2 * k + 2 * s) },
  };
}

/** The number of exporter bytes a profile needs (RFC 5764 4.2). */
export function srtpExporterLength(profile: SrtpProfileId): number {
  const { keyLength, saltLength } = srtpProfileParameters(profile);
  return 2 * (keyLength + saltLength);
}

export interface SrtpSessionOptions {
  profile: SrtpProfileId;
  local: SrtpKeyPair;
  remote: SrtpKeyPair;
  replayWindowSize?: number;
  maxSsrcs?: number;
}

/** A bidirectional SRTP session: protects with the local keys and unprotects with the remote ones. */
export class SrtpSession {
  readonly local: SrtpContext;
  readonly remote: SrtpContext;

  constructor(options: SrtpSessionOptions) {
    const common = {
      profile: options.profile,
      replayWindowSize: options.replayWindowSize,
      maxSsrcs: options.maxSsrcs,
    };
    this.local = new SrtpContext({ ...common, ...options.local });
    this.remote = new SrtpContext({ ...common, ...options.remote });
  }

  /** Builds the session of one DTLS role from the exporter output (RFC 5764 4.2). */
  static fromExporter(
    material: Uint8Array,
    profile: SrtpProfileId,
    role: 'client' | 'server',
    options: { replayWindowSize?: number; maxSsrcs?: number } = {},
  ): SrtpSession {
    const { client, server } = srtpKeysFromExporter(material, profile);
    return new SrtpSession({
      profile,
      local: role === 'client' ? client : server,
      remote: role === 'client' ? server : client,
      ...options,
    });
  }

  protectRtp(packet: Uint8Array): Uint8Array {
    return this.local.protectRtp(packet);
  }
  unprotectRtp(packet: Uint8Array): SrtpUnprotectResult {
    return this.remote.unprotectRtp(packet);
  }
  protectRtcp(packet: Uint8Array): Uint8Array {
    return this.local.protectRtcp(packet);
  }
  unprotectRtcp(packet: Uint8Array): SrtpUnprotectResult {
    return this.remote.unprotectRtcp(packet);
  }
}
