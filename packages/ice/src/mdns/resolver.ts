import { DnsType, encodeDnsAddressResponse, encodeDnsQuery, parseDnsMessage } from './dns-message.js';

export type MdnsEvent =
  | { readonly type: 'resolved'; readonly name: string; readonly addresses: readonly string[] }
  | { readonly type: 'unresolved'; readonly name: string };

interface Lookup {
  readonly name: string;
  sent: number;
  nextAt: number;
}

/** RFC 6762 section 3: only names under `.local` are resolved with multicast DNS. */
export function isMdnsName(name: string): boolean {
  return /\.local\.?$/i.test(name);
}

/**
 * Sans-I/O mDNS (RFC 6762) for ICE candidates (draft-ietf-mmusic-mdns-ice-candidates): resolves
 * remote `<uuid>.local` names (A and AAAA), and answers queries for names we publish. Every
 * datagram from `pollTransmit` goes to the mDNS group (224.0.0.251 or ff02::fb, port 5353).
 */
export class MdnsResolver {
  private readonly lookups = new Map<string, Lookup>();
  private readonly published = new Map<string, string>();
  private readonly transmits: Buffer[] = [];
  private readonly events: MdnsEvent[] = [];
  readonly stats = { malformed: 0 };

  constructor(
    private readonly options: { retransmitMs?: number; attempts?: number; maxPending?: number } = {},
  ) {}

  resolve(name: string, now: number): boolean {
    const key = name.toLowerCase().replace(/\.$/, '');
    if (this.lookups.has(key)) return true;
    if (this.lookups.size >= (this.options.maxPending ?? 32)) return false;
    this.lookups.set(key, { name, sent: 1, nextAt: now + (this.options.retransmitMs ?? 1000) });
    this.query(key);
    return true;
  }

  /** Answers queries for `name` with `address` (a host candidate hidden behind an mDNS name). */
  publish(name: string, address: string): void {
    this.published.set(name.toLowerCase(), address);
  }

  private query(name: string): void {
    this.transmits.push(
      encodeDnsQuery([
        { name, type: DnsType.A, unicastResponse: false },
        { name, type: DnsType.AAAA, unicastResponse: false },
      ]),
    );
  }

  handleMessage(bytes: Uint8Array, _now: number): void {
    let msg: ReturnType<typeof parseDnsMessage>;
    try {
      msg = parseDnsMessage(bytes);
    } catch {
      this.stats.malformed++;
      return;
    }
    if (!msg.isResponse) {
      const answers: { name: string; address: string; ttl: number }[] = [];
      for (const q of msg.questions) {
        const address = this.published.get(q.name.toLowerCase());
        if (!address) continue;
        const wantV6 = address.includes(':');
        if ((q.type === DnsType.AAAA && wantV6) || (q.type === DnsType.A && !wantV6) || q.type === 255) {
          answers.push({ name: q.name, address, ttl: 120 });
        }
      }
      if (answers.length > 0) this.transmits.push(encodeDnsAddressResponse(answers));
      return;
    }
    const found = new Map<string, string[]>();
    for (const r of msg.answers) {
      if (!r.address) continue;
      const key = r.name.toLowerCase();
      if (!this.lookups.has(key)) continue;
      const list = found.get(key) ?? [];
      if (!list.includes(r.address)) list.push(r.address);
      found.set(key, list);
    }
    for (const [key, addresses] of found) {
      const lookup = this.lookups.get(key)!;
      this.lookups.delete(key);
      this.events.push({ type: 'resolved', name: lookup.name, addresses });
    }
  }

  handleTimeout(now: number): void {
    for (const [key, l] of this.lookups) {
      if (now < l.nextAt) continue;
      if (l.sent >= (this.options.attempts ?? 3)) {
        this.lookups.delete(key);
        this.events.push({ type: 'unresolved', name: l.name });
        continue;
      }
      l.sent++;
      // RFC 6762 section 5.2: the interval between repeated queries at least doubles.
      l.nextAt = now + (this.options.retransmitMs ?? 1000) * 2 ** (l.sent - 1);
      this.query(key);
    }
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const l of this.lookups.values()) if (next === undefined || l.nextAt < next) next = l.nextAt;
    return next;
  }

  pollTransmit(): Buffer | undefined {
    return this.transmits.shift();
  }

  pollEvent(): MdnsEvent | undefined {
    return this.events.shift();
  }
}
