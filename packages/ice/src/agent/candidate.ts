import { addressFamily, canonicalIp } from '../stun/address.js';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type CandidateTransport = 'udp' | 'tcp';
export type TcpType = 'active' | 'passive' | 'so';

/** An ICE candidate as signalled in SDP (RFC 8839 section 5.1). */
export interface IceCandidate {
  readonly foundation: string;
  readonly component: number;
  readonly transport: CandidateTransport;
  readonly priority: number;
  /** An IP address, or an unresolved name such as an mDNS `<uuid>.local`. */
  readonly address: string;
  readonly port: number;
  readonly type: CandidateType;
  readonly relatedAddress?: string;
  readonly relatedPort?: number;
  readonly tcpType?: TcpType;
  readonly generation?: number;
  readonly ufrag?: string;
  readonly networkId?: number;
  readonly networkCost?: number;
  /** Extension attributes we do not interpret, kept in order so they survive a round trip. */
  readonly extensions?: readonly (readonly [string, string])[];
}

export class CandidateParseError extends Error {
  override readonly name = 'CandidateParseError';
}

/** RFC 8445 section 5.1.2.2: recommended type preferences. */
export const TYPE_PREFERENCE: Readonly<Record<CandidateType, number>> = {
  host: 126,
  prflx: 110,
  srflx: 100,
  relay: 0,
};

/** RFC 8445 section 5.1.2.1. */
export function candidatePriority(type: CandidateType, localPreference: number, component = 1): number {
  return TYPE_PREFERENCE[type] * 2 ** 24 + (localPreference & 0xffff) * 2 ** 8 + (256 - component);
}

/**
 * RFC 6544 section 4.2 for TCP candidates: UDP keeps precedence through a lower type
 * preference (Chrome's value for TCP host, 90), and the local preference starts with the
 * direction preference (active 6, passive 4, simultaneous-open 2) in its top three bits.
 */
export function tcpCandidatePriority(
  type: CandidateType,
  tcpType: TcpType,
  otherPreference: number,
  component = 1,
): number {
  const typePreference = Math.max(0, TYPE_PREFERENCE[type] - 36);
  const direction = tcpType === 'active' ? 6 : tcpType === 'passive' ? 4 : 2;
  const localPreference = (direction << 13) | (otherPreference & 0x1fff);
  return typePreference * 2 ** 24 + localPreference * 2 ** 8 + (256 - component);
}

/** RFC 8445 section 6.1.2.3: G is the controlling agent's candidate priority, D the controlled one's. */
export function pairPriority(controllingPriority: number, controlledPriority: number): bigint {
  const g = BigInt(controllingPriority);
  const d = BigInt(controlledPriority);
  const min = g < d ? g : d;
  const max = g < d ? d : g;
  return (1n << 32n) * min + 2n * max + (g > d ? 1n : 0n);
}

const KNOWN_TYPES = new Set<string>(['host', 'srflx', 'prflx', 'relay']);
const TOKEN = /^[\x21-\x7e]+$/;

/**
 * Parses `candidate:...` (RFC 8839 section 5.1), with or without a leading `a=`. Throws
 * only `CandidateParseError`.
 */
export function parseCandidate(line: string): IceCandidate {
  let text = line.trim();
  if (text.startsWith('a=')) text = text.slice(2);
  if (!text.startsWith('candidate:')) throw new CandidateParseError('missing "candidate:"');
  const parts = text.slice('candidate:'.length).split(/\s+/);
  if (parts.length < 8) throw new CandidateParseError('too few fields');
  const [foundation, componentText, transportText, priorityText, addressText, portText, typ, typeText] =
    parts as [string, string, string, string, string, string, string, string];
  if (!/^[A-Za-z0-9+/]{1,32}$/.test(foundation)) throw new CandidateParseError('bad foundation');
  const component = parseInteger(componentText, 1, 256, 'component');
  const transport = transportText.toLowerCase();
  if (transport !== 'udp' && transport !== 'tcp')
    throw new CandidateParseError(`unsupported transport ${transportText}`);
  const priority = parseInteger(priorityText, 1, 2 ** 32 - 1, 'priority');
  if (!TOKEN.test(addressText)) throw new CandidateParseError('bad address');
  const address = canonicalIp(addressText) ?? addressText;
  const port = parseInteger(portText, 0, 65535, 'port');
  if (typ !== 'typ' || !KNOWN_TYPES.has(typeText)) throw new CandidateParseError('bad candidate type');
  const candidate: {
    -readonly [K in keyof IceCandidate]: IceCandidate[K];
  } = {
    foundation,
    component,
    transport,
    priority,
    address,
    port,
    type: typeText as CandidateType,
  };
  const extensions: [string, string][] = [];
  for (let i = 8; i < parts.length; i += 2) {
    const key = parts[i]!;
    const value = parts[i + 1];
    if (value === undefined) throw new CandidateParseError(`extension ${key} has no value`);
    if (!TOKEN.test(key) || !TOKEN.test(value)) throw new CandidateParseError('bad extension');
    switch (key) {
      case 'raddr':
        candidate.relatedAddress = canonicalIp(value) ?? value;
        break;
      case 'rport':
        candidate.relatedPort = parseInteger(value, 0, 65535, 'rport');
        break;
      case 'tcptype':
        if (value !== 'active' && value !== 'passive' && value !== 'so')
          throw new CandidateParseError('bad tcptype');
        candidate.tcpType = value;
        break;
      case 'generation':
        candidate.generation = parseInteger(value, 0, 2 ** 32 - 1, 'generation');
        break;
      case 'ufrag':
        candidate.ufrag = value;
        break;
      case 'network-id':
        candidate.networkId = parseInteger(value, 0, 2 ** 32 - 1, 'network-id');
        break;
      case 'network-cost':
        candidate.networkCost = parseInteger(value, 0, 2 ** 32 - 1, 'network-cost');
        break;
      default:
        extensions.push([key, value]);
    }
  }
  if (extensions.length > 0) candidate.extensions = extensions;
  return candidate;
}

function parseInteger(text: string, min: number, max: number, what: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new CandidateParseError(`bad ${what}`);
  const n = Number(text);
  if (n < min || n > max) throw new CandidateParseError(`${what} out of range`);
  return n;
}

/** Serialises to `candidate:...` (no `a=`), in the order Chrome writes the extensions. */
export function serializeCandidate(c: IceCandidate): string {
  let out = `candidate:${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined) out += ` raddr ${c.relatedAddress}`;
  if (c.relatedPort !== undefined) out += ` rport ${c.relatedPort}`;
  if (c.tcpType !== undefined) out += ` tcptype ${c.tcpType}`;
  if (c.generation !== undefined) out += ` generation ${c.generation}`;
  if (c.ufrag !== undefined) out += ` ufrag ${c.ufrag}`;
  if (c.networkId !== undefined) out += ` network-id ${c.networkId}`;
  if (c.networkCost !== undefined) out += ` network-cost ${c.networkCost}`;
  for (const [k, v] of c.extensions ?? []) out += ` ${k} ${v}`;
  return out;
}

/** True when the address is an IP literal (not an mDNS or DNS name still to resolve). */
export function isIpAddress(address: string): boolean {
  return canonicalIp(address) !== undefined;
}

export function isLinkLocal(address: string): boolean {
  if (addressFamily(address) === 4) return address.startsWith('169.254.');
  return /^fe[89ab]/i.test(address);
}
