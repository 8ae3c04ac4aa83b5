import { codecAttributes, type SdpCodec } from './codecs.js';
import type {
  DtlsSetupRole,
  MediaDirection,
  SdpAttribute,
  SdpCandidate,
  SdpConnection,
  SdpMediaSection,
  SessionDescription,
  SimulcastRid,
} from './model.js';

/** RFC 8839 / RFC 8842 / RFC 8122 parameters every WebRTC m-section carries. */
export interface TransportSectionInit {
  mid: string;
  iceUfrag: string;
  icePwd: string;
  /** Defaults to `['trickle']` (RFC 8840 4.1.1). */
  iceOptions?: string[];
  fingerprints: { algorithm: string; value: string }[];
  setup: DtlsSetupRole;
  candidates?: SdpCandidate[];
  endOfCandidates?: boolean;
  /** m= port; RFC 9429 5.2.1 uses 9 (discard) until candidates give a real one. */
  port?: number;
  /** c= address; defaults to `IN IP4 0.0.0.0` (RFC 9429 5.2.1). */
  connection?: SdpConnection;
  /** RFC 9143 6: port 0 plus a=bundle-only. */
  bundleOnly?: boolean;
}

export interface DataSectionInit extends TransportSectionInit {
  /** RFC 8841 5.2; 5000 when omitted. */
  sctpPort?: number;
  /** RFC 8841 6; Chrome offers 262144. */
  maxMessageSize?: number;
}

export interface RtpSectionInit extends TransportSectionInit {
  kind: 'audio' | 'video';
  direction: MediaDirection;
  codecs: SdpCodec[];
  headerExtensions?: { id: number; uri: string; direction?: MediaDirection }[];
  /** RFC 8830: the sender's stream and track ids (stream "-" when there is none). */
  msid?: { streamId: string; trackId: string };
  /** RFC 5576 sources; an `rtxSsrc` adds `a=ssrc-group:FID` (RFC 4588 8.1). */
  ssrcs?: { ssrc: number; cname: string; rtxSsrc?: number }[];
  /** RFC 8851 rids and RFC 8853 simulcast. */
  rids?: { id: string; direction: 'send' | 'recv'; payloadTypes?: number[] }[];
  simulcast?: { send?: SimulcastRid[][]; recv?: SimulcastRid[][] };
  /** RFC 5506 reduced-size RTCP; on by default as browsers do. */
  rtcpRsize?: boolean;
}

function transportAttributes(init: TransportSectionInit, rtp: boolean): SdpAttribute[] {
  const out: SdpAttribute[] = [];
  // RFC 9429 5.2.1 writes a=rtcp with the dummy address; RTCP is muxed anyway (RFC 8035).
  if (rtp) out.push({ type: 'rtcp', port: 9, netType: 'IN', addrType: 'IP4', address: '0.0.0.0' });
  for (const candidate of init.candidates ?? []) out.push({ type: 'candidate', candidate });
  if (init.endOfCandidates) out.push({ type: 'end-of-candidates' });
  out.push({ type: 'ice-ufrag', value: init.iceUfrag }, { type: 'ice-pwd', value: init.icePwd });
  const options = init.iceOptions ?? ['trickle'];
  if (options.length > 0) out.push({ type: 'ice-options', options });
  for (const fp of init.fingerprints)
    out.push({ type: 'fingerprint', algorithm: fp.algorithm, value: fp.value });
  out.push({ type: 'setup', role: init.setup }, { type: 'mid', value: init.mid });
  if (init.bundleOnly) out.push({ type: 'generic', key: 'bundle-only' });
  return out;
}

function section(
  kind: string,
  protocol: string,
  formats: string[],
  init: TransportSectionInit,
): SdpMediaSection {
  return {
    kind,
    port: init.bundleOnly ? 0 : (init.port ?? 9),
    protocol,
    formats,
    connections: [init.connection ?? { netType: 'IN', addrType: 'IP4', address: '0.0.0.0' }],
    bandwidths: [],
    attributes: [],
  };
}

/** RFC 8841 4.1 / RFC 9429 5.2.1: `m=application <port> UDP/DTLS/SCTP webrtc-datachannel`. */
export function buildDataSection(init: DataSectionInit): SdpMediaSection {
  const m = section('application', 'UDP/DTLS/SCTP', ['webrtc-datachannel'], init);
  m.attributes.push(
    ...transportAttributes(init, false),
    { type: 'sctp-port', port: init.sctpPort ?? 5000 },
    { type: 'max-message-size', size: init.maxMessageSize ?? 262144 },
  );
  return m;
}

/** RFC 9429 5.2.1: an audio or video section, `UDP/TLS/RTP/SAVPF`, attributes in Chrome's order. */
export function buildRtpSection(init: RtpSectionInit): SdpMediaSection {
  const formats = init.codecs.map((c) => String(c.payloadType));
  const m = section(init.kind, 'UDP/TLS/RTP/SAVPF', formats, init);
  const a = m.attributes;
  a.push(...transportAttributes(init, true));
  for (const ext of init.headerExtensions ?? []) {
    const extmap: SdpAttribute = { type: 'extmap', id: ext.id, uri: ext.uri };
    if (ext.direction !== undefined) extmap.direction = ext.direction;
    a.push(extmap);
  }
  a.push({ type: 'direction', direction: init.direction });
  if (init.msid !== undefined)
    a.push({ type: 'msid', streamId: init.msid.streamId, trackId: init.msid.trackId });
  // RFC 8843 / RFC 9429 5.2.1: rtcpMuxPolicy "require" always offers rtcp-mux.
  a.push({ type: 'rtcp-mux' });
  if (init.rtcpRsize ?? true) a.push({ type: 'rtcp-rsize' });
  for (const codec of init.codecs) a.push(...codecAttributes(codec));
  for (const rid of init.rids ?? []) {
    const attribute: SdpAttribute = { type: 'rid', id: rid.id, direction: rid.direction, params: [] };
    if (rid.payloadTypes !== undefined) attribute.payloadTypes = rid.payloadTypes;
    a.push(attribute);
  }
  if (init.simulcast !== undefined) a.push({ type: 'simulcast', ...init.simulcast });
  for (const s of init.ssrcs ?? []) {
    if (s.rtxSsrc !== undefined) a.push({ type: 'ssrc-group', semantics: 'FID', ssrcs: [s.ssrc, s.rtxSsrc] });
  }
  for (const s of init.ssrcs ?? []) {
    for (const ssrc of s.rtxSsrc === undefined ? [s.ssrc] : [s.ssrc, s.rtxSsrc]) {
      a.push({ type: 'ssrc', ssrc, attribute: 'cname', value: s.cname });
      if (init.msid !== undefined) {
        a.push({
          type: 'ssrc',
          ssrc,
          attribute: 'msid',
          value: `${init.msid.streamId} ${init.msid.trackId}`,
        });
      }
    }
  }
  return m;
}

export interface SessionInit {
  /** Decimal, at most 63 bits (RFC 9429 5.2.1). */
  sessionId: string;
  sessionVersion: string | number | bigint;
  media: SdpMediaSection[];
  /** Each group becomes `a=group:BUNDLE ...`; by default one group of every non-rejected mid. */
  bundleGroups?: string[][];
  extmapAllowMixed?: boolean;
  /** Stream ids for `a=msid-semantic: WMS` (Chrome writes the line even with none). */
  msidStreamIds?: string[];
  iceLite?: boolean;
  originAddress?: string;
}

/** The session part as RFC 9429 5.2.1 writes it (`o=- <id> <version> IN IP4 127.0.0.1`, `s=-`, `t=0 0`). */
export function buildSessionDescription(init: SessionInit): SessionDescription {
  const attributes: SdpAttribute[] = [];
  const defaultGroup = init.media
    .filter((m) => m.port !== 0 || m.attributes.some((a) => a.type === 'generic' && a.key === 'bundle-only'))
    .flatMap((m) => m.attributes.filter((a) => a.type === 'mid').map((a) => a.value));
  const groups = init.bundleGroups ?? (defaultGroup.length > 0 ? [defaultGroup] : []);
  for (const mids of groups) attributes.push({ type: 'group', semantics: 'BUNDLE', mids });
  if (init.extmapAllowMixed ?? true) attributes.push({ type: 'extmap-allow-mixed' });
  if (init.iceLite) attributes.push({ type: 'ice-lite' });
  attributes.push({ type: 'msid-semantic', semantics: 'WMS', ids: init.msidStreamIds ?? [] });
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: init.sessionId,
      sessionVersion: String(init.sessionVersion),
      netType: 'IN',
      addrType: 'IP4',
      address: init.originAddress ?? '127.0.0.1',
    },
    sessionName: '-',
    emails: [],
    phones: [],
    bandwidths: [],
    timing: [{ start: '0', stop: '0', repeats: [] }],
    attributes,
    media: init.media,
  };
}
