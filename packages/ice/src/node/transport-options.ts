import type { IceAgentEvent, IceAgentOptions } from '../agent/types.js';
import type { HostAddressOptions } from './host-addresses.js';
import type { PortRange } from './udp-socket.js';

export interface StunServerConfig {
  readonly host: string;
  readonly port?: number;
}

export interface TurnServerConfig {
  readonly host: string;
  readonly port?: number;
  readonly username: string;
  readonly password: string;
  /** Control connection transport. Default 'udp'. */
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** For 'tls': trusted CA certificates (PEM) beyond the system ones, and the name to verify. */
  readonly ca?: string | Buffer;
  readonly servername?: string;
  /** Relayed address family (REQUESTED-ADDRESS-FAMILY). Default 4. */
  readonly family?: 4 | 6;
}

export interface NodeIceTransportOptions
  extends Omit<IceAgentOptions, 'random' | 'relayOnly'>,
    HostAddressOptions {
  /** Nothing is contacted unless listed here. */
  stunServers?: readonly StunServerConfig[];
  turnServers?: readonly TurnServerConfig[];
  portRange?: PortRange;
  /** `iceTransportPolicy: 'relay'`: only relay candidates are gathered and paired. */
  relayOnly?: boolean;
  /** How long gathering waits for STUN and TURN servers. Default 5000 ms. */
  gatherTimeoutMs?: number;
  /** Gather UDP host candidates. Default true. */
  udp?: boolean;
  /** Gather ICE-TCP host candidates, passive and active (RFC 6544). Default false. */
  tcp?: boolean;
  /** Signal host candidates as `<uuid>.local` names answered over multicast DNS. Default false. */
  mdnsHostnames?: boolean;
  /** Resolve remote `.local` candidates with multicast DNS (RFC 6762). Default true. */
  resolveMdns?: boolean;
}

export type NodeIceEvent = IceAgentEvent | { readonly type: 'gathering-complete' };
