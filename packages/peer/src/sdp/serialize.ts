import { formatAttribute } from './attributes/index.js';
import type {
  SdpAttribute,
  SdpBandwidth,
  SdpConnection,
  SdpMediaSection,
  SessionDescription,
} from './model.js';

function connectionLine(c: SdpConnection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

function bandwidthLine(b: SdpBandwidth): string {
  return `b=${b.type}:${b.value}`;
}

function attributeLine(a: SdpAttribute): string {
  return a.type === 'unknown-line' ? `${a.letter}=${a.value}` : `a=${formatAttribute(a)}`;
}

function mediaLines(m: SdpMediaSection, out: string[]): void {
  const port = m.portCount === undefined ? String(m.port) : `${m.port}/${m.portCount}`;
  out.push([`m=${m.kind}`, port, m.protocol, ...m.formats].join(' '));
  if (m.information !== undefined) out.push(`i=${m.information}`);
  for (const c of m.connections) out.push(connectionLine(c));
  for (const b of m.bandwidths) out.push(bandwidthLine(b));
  if (m.encryptionKey !== undefined) out.push(`k=${m.encryptionKey}`);
  for (const a of m.attributes) out.push(attributeLine(a));
}

/** The lines of a description in RFC 8866 5 order, without line endings. */
export function sdpLines(sdp: SessionDescription): string[] {
  const o = sdp.origin;
  const out = [
    `v=${sdp.version}`,
    `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`,
    `s=${sdp.sessionName}`,
  ];
  if (sdp.information !== undefined) out.push(`i=${sdp.information}`);
  if (sdp.uri !== undefined) out.push(`u=${sdp.uri}`);
  for (const e of sdp.emails) out.push(`e=${e}`);
  for (const p of sdp.phones) out.push(`p=${p}`);
  if (sdp.connection !== undefined) out.push(connectionLine(sdp.connection));
  for (const b of sdp.bandwidths) out.push(bandwidthLine(b));
  for (const t of sdp.timing) {
    out.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) out.push(`r=${r}`);
  }
  if (sdp.timeZones !== undefined) out.push(`z=${sdp.timeZones}`);
  if (sdp.encryptionKey !== undefined) out.push(`k=${sdp.encryptionKey}`);
  for (const a of sdp.attributes) out.push(attributeLine(a));
  for (const m of sdp.media) mediaLines(m, out);
  return out;
}

/** SDP text with CRLF after every line (RFC 8866 5), the form browsers exchange. */
export function serializeSdp(sdp: SessionDescription): string {
  return `${sdpLines(sdp).join('\r\n')}\r\n`;
}

/** One media section's lines (from `m=`), for callers that splice sections. */
export function serializeMediaSection(m: SdpMediaSection): string {
  const out: string[] = [];
  mediaLines(m, out);
  return `${out.join('\r\n')}\r\n`;
}
