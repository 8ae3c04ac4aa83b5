import type { IceServerUrl, PeerDriver } from '../driver/driver.js';
import { parseIceServerUrl } from '../driver/ice-server-url.js';
import { invalidModificationError, syntaxError } from '../errors.js';
import type { RTCCertificate } from './certificate.js';

/** W3C webrtc-pc 4.2.2 RTCIceServer. */
export interface RTCIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export type RTCIceTransportPolicy = 'all' | 'relay';
export type RTCBundlePolicy = 'balanced' | 'max-compat' | 'max-bundle';
export type RTCRtcpMuxPolicy = 'require';

/** W3C webrtc-pc 4.2.1 RTCConfiguration plus the Node-only options below. */
export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  bundlePolicy?: RTCBundlePolicy;
  rtcpMuxPolicy?: RTCRtcpMuxPolicy;
  certificates?: RTCCertificate[];
  iceCandidatePoolSize?: number;
  /** Node only: bind host candidates to exactly these local addresses (e.g. `['127.0.0.1']`). */
  bindAddresses?: string[];
  /** Node only: take local ports from this inclusive range. */
  portRange?: { min: number; max: number };
  /** Node only: also gather on loopback interfaces when enumerating addresses. */
  includeLoopback?: boolean;
  /** Node only: SO_RCVBUF/SO_SNDBUF of each socket (default 4 MiB). */
  socketBufferSize?: number;
  /**
   * Node only: signal host candidates as `<uuid>.local` names answered over multicast DNS, as
   * Chrome does by default (draft-ietf-mmusic-mdns-ice-candidates). Default false.
   */
  mdnsHostnames?: boolean;
  /** Node only: CA certificates (PEM) trusted for `turns:` servers beyond the system ones. */
  turnTlsCa?: (string | Buffer)[];
  /**
   * Node only: the largest SCTP packet (one DTLS record) data channels may use, 576-16384 bytes.
   * Unset, packets start at 1200 bytes and path MTU discovery (RFC 8899) raises them only on
   * pairs within this host, up to 2008 (libwebrtc peers, i.e. Chrome and Safari, close their DTLS
   * transport on a datagram above 2048 bytes). Set, discovery may probe up to this size on any
   * pair: for networks and peers known to carry it (jumbo frames, one data centre, purertc on
   * both ends). Above 2008 never with a browser. A value below 1200 also lowers the start.
   */
  sctpMaxPacketSize?: number;
  /** Node only (tests, simulators): the I/O driver to use instead of real UDP sockets. */
  driver?: PeerDriver;
}

export interface ResolvedConfiguration {
  iceServers: RTCIceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
  bundlePolicy: RTCBundlePolicy;
  rtcpMuxPolicy: RTCRtcpMuxPolicy;
  certificates: RTCCertificate[];
  iceCandidatePoolSize: number;
  bindAddresses?: string[];
  portRange?: { min: number; max: number };
  includeLoopback?: boolean;
  socketBufferSize?: number;
  mdnsHostnames?: boolean;
  turnTlsCa?: (string | Buffer)[];
  sctpMaxPacketSize?: number;
  driver?: PeerDriver;
}

/** W3C webrtc-pc 4.4.1.6 "set the configuration": validation errors per the spec. */
export function resolveConfiguration(config: RTCConfiguration = {}, wallNow: number): ResolvedConfiguration {
  const iceServers = (config.iceServers ?? []).map((s) => ({
    ...s,
    urls: Array.isArray(s.urls) ? [...s.urls] : s.urls,
  }));
  for (const server of iceServers) {
    const urls = Array.isArray(server.urls) ? server.urls : [server.urls];
    if (urls.length === 0) throw syntaxError('an ICE server has no urls');
    for (const url of urls) {
      const parsed = parseIceServerUrl(url);
      if (!parsed) throw syntaxError(`invalid ICE server URL ${url}`);
      if (
        (parsed.scheme === 'turn' || parsed.scheme === 'turns') &&
        (server.username === undefined || server.credential === undefined)
      ) {
        throw invalidAccessErrorFor(url);
      }
    }
  }
  const policy = config.iceTransportPolicy ?? 'all';
  if (policy !== 'all' && policy !== 'relay')
    throw new TypeError(`invalid iceTransportPolicy ${String(policy)}`);
  const bundle = config.bundlePolicy ?? 'balanced';
  if (!['balanced', 'max-compat', 'max-bundle'].includes(bundle))
    throw new TypeError(`invalid bundlePolicy ${bundle}`);
  if ((config.rtcpMuxPolicy ?? 'require') !== 'require') throw new TypeError('rtcpMuxPolicy must be require');
  const pool = config.iceCandidatePoolSize ?? 0;
  if (!Number.isInteger(pool) || pool < 0 || pool > 255)
    throw new TypeError('iceCandidatePoolSize must be 0..255');
  for (const c of config.certificates ?? []) {
    if (c.expires <= wallNow) throw invalidAccessErrorFor('certificate has expired');
  }
  const sctpMax = config.sctpMaxPacketSize;
  if (sctpMax !== undefined && (!Number.isInteger(sctpMax) || sctpMax < 576 || sctpMax > 16_384))
    throw new TypeError('sctpMaxPacketSize must be an integer from 576 to 16384');
  const out: ResolvedConfiguration = {
    iceServers,
    iceTransportPolicy: policy,
    bundlePolicy: bundle,
    rtcpMuxPolicy: 'require',
    certificates: [...(config.certificates ?? [])],
    iceCandidatePoolSize: pool,
  };
  if (config.bindAddresses) out.bindAddresses = [...config.bindAddresses];
  if (config.portRange) out.portRange = { ...config.portRange };
  if (config.includeLoopback !== undefined) out.includeLoopback = config.includeLoopback;
  if (config.socketBufferSize !== undefined) out.socketBufferSize = config.socketBufferSize;
  if (config.mdnsHostnames !== undefined) out.mdnsHostnames = config.mdnsHostnames;
  if (config.turnTlsCa) out.turnTlsCa = [...config.turnTlsCa];
  if (sctpMax !== undefined) out.sctpMaxPacketSize = sctpMax;
  if (config.driver) out.driver = config.driver;
  return out;
}

function invalidAccessErrorFor(what: string): DOMException {
  return new DOMException(`${what}: TURN needs username and credential`, 'InvalidAccessError');
}

/** W3C 4.4.1.6: setConfiguration may not change certificates, bundlePolicy or rtcpMuxPolicy. */
export function checkConfigurationChange(
  current: ResolvedConfiguration,
  next: ResolvedConfiguration,
  certificatesGiven: boolean,
): void {
  if (
    certificatesGiven &&
    (next.certificates.length !== current.certificates.length ||
      next.certificates.some((c, i) => c !== current.certificates[i]))
  ) {
    throw invalidModificationError('certificates cannot change');
  }
  if (next.bundlePolicy !== current.bundlePolicy)
    throw invalidModificationError('bundlePolicy cannot change');
}

/** One entry per URL, for the driver. */
export function flattenIceServers(servers: readonly RTCIceServer[]): IceServerUrl[] {
  const out: IceServerUrl[] = [];
  for (const s of servers) {
    for (const url of Array.isArray(s.urls) ? s.urls : [s.urls]) {
      out.push({
        url,
        ...(s.username !== undefined ? { username: s.username } : {}),
        ...(s.credential !== undefined ? { credential: s.credential } : {}),
      });
    }
  }
  return out;
}

/** W3C webrtc-pc getConfiguration(): a copy the caller may change without touching ours. */
export function exposedConfiguration(c: ResolvedConfiguration): RTCConfiguration {
  return {
    iceServers: c.iceServers.map((s) => ({ ...s })),
    iceTransportPolicy: c.iceTransportPolicy,
    bundlePolicy: c.bundlePolicy,
    rtcpMuxPolicy: c.rtcpMuxPolicy,
    certificates: [...c.certificates],
    iceCandidatePoolSize: c.iceCandidatePoolSize,
    ...(c.bindAddresses ? { bindAddresses: [...c.bindAddresses] } : {}),
    ...(c.portRange ? { portRange: { ...c.portRange } } : {}),
    ...(c.mdnsHostnames !== undefined ? { mdnsHostnames: c.mdnsHostnames } : {}),
    ...(c.sctpMaxPacketSize !== undefined ? { sctpMaxPacketSize: c.sctpMaxPacketSize } : {}),
  };
}
