import { addressKey, type SimAddress } from './address.js';

/**
 * NAT behaviour in the terms of RFC 4787 section 4:
 * - mapping: which outbound flows share one external port.
 *   'endpoint-independent' (one port per internal address and port, "full cone" when filtering
 *   is endpoint-independent too), 'address-dependent', 'address-and-port-dependent' ("symmetric").
 * - filtering: which inbound packets an existing mapping lets through.
 */
export type NatBehavior = 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent';

export interface NatConfig {
  /** The NAT's address on its public side. */
  publicAddress: string;
  mapping: NatBehavior;
  filtering: NatBehavior;
  /**
   * Idle time after which a mapping and its permissions are forgotten. RFC 4787 REQ-5 asks for at
   * least 2 minutes; many home routers use 30 s. Default 120000.
   */
  mappingTimeoutMs?: number;
  /** Whether inbound traffic refreshes a mapping (RFC 4787 REQ-6 makes it optional). Default false. */
  inboundRefreshes?: boolean;
  /** First external port handed out; ports are then allocated in sequence. Default 40000. */
  firstPort?: number;
}

export interface NatStats {
  mappingsCreated: number;
  mappingsExpired: number;
  translatedOut: number;
  translatedIn: number;
  droppedNoMapping: number;
  droppedFiltered: number;
}

interface Mapping {
  readonly internal: SimAddress;
  readonly externalPort: number;
  readonly key: string;
  lastActivity: number;
  /** Remote endpoints this mapping has sent to, keyed per the filtering behaviour, with the time. */
  readonly permissions: Map<string, number>;
}

export const DEFAULT_MAPPING_TIMEOUT_MS = 120_000;

/** The translation tables of one NAT box. Routing between realms is the network's job. */
export class NatTable {
  readonly stats: NatStats = {
    mappingsCreated: 0,
    mappingsExpired: 0,
    translatedOut: 0,
    translatedIn: 0,
    droppedNoMapping: 0,
    droppedFiltered: 0,
  };
  private readonly byKey = new Map<string, Mapping>();
  private readonly byPort = new Map<number, Mapping>();
  private nextPort: number;

  constructor(readonly config: NatConfig) {
    this.nextPort = config.firstPort ?? 40000;
  }

  get timeoutMs(): number {
    return this.config.mappingTimeoutMs ?? DEFAULT_MAPPING_TIMEOUT_MS;
  }

  /** Number of live mappings (expired ones are swept lazily). */
  mappingCount(now: number): number {
    let n = 0;
    for (const m of this.byPort.values()) if (!this.expired(m, now)) n++;
    return n;
  }

  /** The external source address for an outbound datagram; creates or refreshes the mapping. */
  outbound(internal: SimAddress, remote: SimAddress, now: number): SimAddress {
    const key = `${addressKey(internal)}>${behaviorKey(this.config.mapping, remote)}`;
    let mapping = this.byKey.get(key);
    if (mapping && this.expired(mapping, now)) {
      this.remove(mapping);
      mapping = undefined;
    }
    if (!mapping) {
      mapping = {
        internal,
        externalPort: this.allocatePort(now),
        key,
        lastActivity: now,
        permissions: new Map(),
      };
      this.byKey.set(key, mapping);
      this.byPort.set(mapping.externalPort, mapping);
      this.stats.mappingsCreated++;
    }
    mapping.lastActivity = now;
    mapping.permissions.set(behaviorKey(this.config.filtering, remote), now);
    this.stats.translatedOut++;
    return { host: this.config.publicAddress, port: mapping.externalPort };
  }

  /** The internal destination for an inbound datagram, or undefined when the NAT drops it. */
  inbound(externalPort: number, remote: SimAddress, now: number): SimAddress | undefined {
    const mapping = this.byPort.get(externalPort);
    if (!mapping || this.expired(mapping, now)) {
      if (mapping) this.remove(mapping);
      this.stats.droppedNoMapping++;
      return undefined;
    }
    const permitted = mapping.permissions.get(behaviorKey(this.config.filtering, remote));
    if (permitted === undefined || now - permitted > this.timeoutMs) {
      this.stats.droppedFiltered++;
      return undefined;
    }
    if (this.config.inboundRefreshes) mapping.lastActivity = now;
    this.stats.translatedIn++;
    return mapping.internal;
  }

  private expired(m: Mapping, now: number): boolean {
    return now - m.lastActivity > this.timeoutMs;
  }

  private remove(m: Mapping): void {
    this.byKey.delete(m.key);
    this.byPort.delete(m.externalPort);
    this.stats.mappingsExpired++;
  }

  private allocatePort(now: number): number {
    for (let tries = 0; tries < 65536; tries++) {
      const port = this.nextPort;
      this.nextPort = this.nextPort >= 65535 ? 1024 : this.nextPort + 1;
      const existing = this.byPort.get(port);
      if (!existing) return port;
      if (this.expired(existing, now)) {
        this.remove(existing);
        return port;
      }
    }
    throw new Error(`NAT ${this.config.publicAddress} ran out of external ports`);
  }
}

/** The part of a remote address a behaviour looks at (RFC 4787 4.1 and 5). */
function behaviorKey(behavior: NatBehavior, remote: SimAddress): string {
  switch (behavior) {
    case 'endpoint-independent':
      return '*';
    case 'address-dependent':
      return remote.host;
    case 'address-and-port-dependent':
      return addressKey(remote);
  }
}
