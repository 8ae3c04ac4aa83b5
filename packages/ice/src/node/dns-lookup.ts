import { lookup } from 'node:dns/promises';
import { canonicalIp } from '../stun/address.js';
import type { DriverContext } from './driver-context.js';

/** A STUN or TURN server's address: a literal IP as is, a name through the system resolver. */
export async function resolveServerHost(host: string, family?: 4 | 6): Promise<string | undefined> {
  const ip = canonicalIp(host);
  if (ip) return ip;
  try {
    const r = await lookup(host, family ? { family } : {});
    return canonicalIp(r.address);
  } catch {
    return undefined;
  }
}

/**
 * A remote candidate naming a DNS host: every address the system resolver returns goes to the
 * agent, or none when the name does not resolve, so the checklist never waits on it forever.
 */
export function resolveCandidateName(ctx: DriverContext, name: string): void {
  const deliver = (addresses: readonly string[]): void => {
    if (ctx.isClosed()) return;
    ctx.agent.resolveRemoteAddress(name, addresses);
    ctx.pump();
  };
  void lookup(name, { all: true }).then(
    (all) => deliver(all.map((a) => canonicalIp(a.address) ?? a.address)),
    () => deliver([]),
  );
}
