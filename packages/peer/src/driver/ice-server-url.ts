/** An ICE server URL split into parts (RFC 7064 3.1 stun/stuns, RFC 7065 3.1 turn/turns). */
export interface ParsedIceServerUrl {
  scheme: 'stun' | 'stuns' | 'turn' | 'turns';
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
}

/** Returns undefined for anything that is not a valid stun:/turn: URL (the caller raises SyntaxError). */
export function parseIceServerUrl(url: string): ParsedIceServerUrl | undefined {
  const m =
    /^(stuns?|turns?):(\[[0-9a-fA-F:.]+\]|[^:?[\]]+)(?::([0-9]{1,5}))?(?:\?transport=(udp|tcp))?$/.exec(
      url.trim(),
    );
  if (!m) return undefined;
  const scheme = m[1] as ParsedIceServerUrl['scheme'];
  const secure = scheme === 'stuns' || scheme === 'turns';
  const port = m[3] === undefined ? (secure ? 5349 : 3478) : Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  // RFC 7064 3.1: stun URLs take no query; a transport only makes sense for TURN.
  if (m[4] !== undefined && (scheme === 'stun' || scheme === 'stuns')) return undefined;
  const host = m[2]!.startsWith('[') ? m[2]!.slice(1, -1) : m[2]!;
  return { scheme, host, port, transport: (m[4] as 'udp' | 'tcp' | undefined) ?? (secure ? 'tcp' : 'udp') };
}
