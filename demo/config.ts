import type { RTCConfiguration } from '@purertc/peer';

/** Everything the demo server can be told, from the command line or the environment. */
export interface DemoConfig {
  /** HTTP port; 0 picks a free one (the log line says which). */
  port: number;
  /** HTTP bind address; undefined: every interface. */
  host: string | undefined;
  /** Local addresses the peer connections bind; undefined: every interface address, loopback included. */
  iceAddresses: string[] | undefined;
  /**
   * Public address written into the answer's host candidates, for a server behind a 1:1 NAT
   * (a cloud VM whose interface has a private address): browsers must be told where to send.
   */
  announcedAddress: string | undefined;
  /** STUN server for server-reflexive candidates, e.g. `stun:stun.example.org:3478`. */
  stunUrl: string | undefined;
  /** UDP ports the peers take, e.g. `50000-50100` (open these in the firewall). */
  icePorts: { min: number; max: number } | undefined;
}

export const USAGE = `usage: npm start -- [options]
  --port N              HTTP port (env PORT; default 8080; 0 = any free port)
  --host ADDRESS        HTTP bind address (env HOST; default every interface)
  --ice-address A[,B]   addresses the WebRTC sockets bind (env ICE_ADDRESSES; default all, loopback included)
  --announce ADDRESS    public address to put in the candidates, behind a 1:1 NAT (env ANNOUNCE_ADDRESS)
  --stun URL            STUN server for a server-reflexive candidate (env STUN_URL)
  --ice-ports MIN-MAX   UDP port range of the WebRTC sockets (env ICE_PORTS)`;

const OPTIONS = ['port', 'host', 'ice-address', 'announce', 'stun', 'ice-ports'];

function parsePort(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what}: not a port: ${text}`);
  return n;
}

function parseRange(text: string): { min: number; max: number } {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (!m) throw new Error(`--ice-ports: expected MIN-MAX, got ${text}`);
  const range = { min: parsePort(m[1]!, '--ice-ports'), max: parsePort(m[2]!, '--ice-ports') };
  if (range.min === 0 || range.min > range.max) throw new Error(`--ice-ports: empty range ${text}`);
  return range;
}

/** Command-line flags win over environment variables. Throws with a message for bad input. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): DemoConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    if (!OPTIONS.includes(m[1]!)) throw new Error(`unknown option ${arg}\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    flags.set(m[1]!, value);
  }
  const pick = (flag: string, variable: string): string | undefined => {
    const v = flags.get(flag) ?? env[variable];
    return v === undefined || v === '' ? undefined : v;
  };
  const port = pick('port', 'PORT');
  const addresses = pick('ice-address', 'ICE_ADDRESSES');
  const ports = pick('ice-ports', 'ICE_PORTS');
  return {
    port: port === undefined ? 8080 : parsePort(port, '--port'),
    host: pick('host', 'HOST'),
    iceAddresses: addresses
      ?.split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    announcedAddress: pick('announce', 'ANNOUNCE_ADDRESS'),
    stunUrl: pick('stun', 'STUN_URL'),
    icePorts: ports === undefined ? undefined : parseRange(ports),
  };
}

/** The RTCConfiguration every page's connection gets. */
export function peerConfiguration(config: DemoConfig): RTCConfiguration {
  return {
    ...(config.iceAddresses ? { bindAddresses: config.iceAddresses } : { includeLoopback: true }),
    ...(config.stunUrl ? { iceServers: [{ urls: config.stunUrl }] } : {}),
    ...(config.icePorts ? { portRange: config.icePorts } : {}),
  };
}

/**
 * Rewrites host candidates on private or unspecified IPv4 addresses to the announced public one
 * (loopback stays: a browser on the same machine still uses it).
 */
export function announce(sdp: string, address: string | undefined): string {
  if (!address) return sdp;
  return sdp
    .split('\r\n')
    .map((line) => {
      if (!line.startsWith('a=candidate:')) return line;
      const parts = line.split(' ');
      const ip = parts[4] ?? '';
      if (parts[7] !== 'host' || !/^\d+\.\d+\.\d+\.\d+$/.test(ip) || ip.startsWith('127.')) return line;
      parts[4] = address;
      return parts.join(' ');
    })
    .join('\r\n');
}
