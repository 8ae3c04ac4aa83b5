import { networkInterfaces } from 'node:os';
import { isLinkLocal } from '../agent/candidate.js';
import { canonicalIp } from '../stun/address.js';

export interface HostAddressOptions {
  /** Default true. */
  ipv4?: boolean;
  /** Default true. */
  ipv6?: boolean;
  /** IPv4 169.254/16 and IPv6 fe80::/10. Default false (RFC 8445 section 5.1.1.1 discourages them). */
  linkLocal?: boolean;
  /** Loopback addresses (127/8, ::1). Default false; tests over loopback turn it on. */
  loopback?: boolean;
  /** Keeps only the interfaces and addresses this returns true for. */
  filter?: (interfaceName: string, address: string) => boolean;
  /** Use exactly these addresses instead of enumerating interfaces. */
  addresses?: readonly string[];
}

export interface HostAddress {
  readonly interfaceName: string;
  readonly address: string;
  readonly family: 4 | 6;
}

/** The local addresses host candidates are gathered on (RFC 8445 section 5.1.1.1). */
export function listHostAddresses(options: HostAddressOptions = {}): HostAddress[] {
  const out: HostAddress[] = [];
  const keep = (name: string, raw: string): void => {
    const address = canonicalIp(raw);
    if (!address) return;
    const family = address.includes(':') ? 6 : 4;
    if (family === 4 && options.ipv4 === false) return;
    if (family === 6 && options.ipv6 === false) return;
    const loop = address === '::1' || address.startsWith('127.');
    if (loop && !options.loopback && !options.addresses) return;
    if (isLinkLocal(address) && !options.linkLocal) return;
    // IPv4-mapped and deprecated site-local IPv6 addresses are never useful candidates.
    if (address.startsWith('::ffff:') || /^fec0:/i.test(address)) return;
    if (options.filter && !options.filter(name, address)) return;
    if (out.some((a) => a.address === address)) return;
    out.push({ interfaceName: name, address, family });
  };
  if (options.addresses) {
    for (const a of options.addresses) keep('configured', a);
    return out;
  }
  for (const [name, infos] of Object.entries(networkInterfaces())) {
    for (const info of infos ?? []) keep(name, info.address);
  }
  return out;
}
