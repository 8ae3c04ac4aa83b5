import { buildDataSection, buildRtpSection, buildSessionDescription } from '../../sdp/build.js';
import { getCodecs } from '../../sdp/codecs.js';
import { answerDirection, directionSends } from '../../sdp/direction.js';
import type {
  DtlsSetupRole,
  MediaDirection,
  SdpCandidate,
  SdpMediaSection,
  SessionDescription,
} from '../../sdp/model.js';
import { negotiateCodecs, negotiateHeaderExtensions } from '../../sdp/negotiate.js';
import {
  getAttribute,
  getAttributes,
  getBundleGroups,
  getDirection,
  getMid,
  isDataSection,
  isRejected,
} from '../../sdp/query.js';
import { defaultHeaderExtensions, SUPPORTED_EXTENSION_URIS } from '../media/default-codecs.js';
import type { SimulcastDescription } from '../media/simulcast.js';
import { answerSimulcastFor, offerSimulcastFor } from '../media/simulcast-reception.js';
import type { RTCRtpTransceiver } from '../media/transceiver.js';
import type { LocalTransportParameters, MLine } from './m-line.js';

export interface LocalDescriptionContext {
  sessionId: string;
  sessionVersion: number;
  transport: LocalTransportParameters;
  /**
   * The transport parameters of each section when they are not all `transport` (RFC 9429 5.2.1:
   * sections on different transports carry different ICE credentials).
   */
  transportFor?: (mid: string) => LocalTransportParameters;
  candidates: SdpCandidate[];
  endOfCandidates: boolean;
  /** Our max-message-size (RFC 8841 6). */
  maxMessageSize: number;
}

function rejectedSection(kind: string, protocol: string, formats: string[], mid: string): SdpMediaSection {
  return {
    kind,
    port: 0,
    protocol,
    formats: formats.length > 0 ? formats : ['0'],
    connections: [{ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' }],
    bandwidths: [],
    attributes: [{ type: 'mid', value: mid }],
  };
}

function transportInit(ctx: LocalDescriptionContext, mid: string, setup: DtlsSetupRole, first: boolean) {
  const transport = ctx.transportFor?.(mid) ?? ctx.transport;
  const port = ctx.candidates[0]?.port;
  const address = ctx.candidates[0]?.address;
  return {
    mid,
    iceUfrag: transport.ufrag,
    icePwd: transport.pwd,
    fingerprints: transport.fingerprints,
    setup,
    // Chrome lists the candidates once, in the first bundled section (RFC 9143 7.1.3).
    candidates: first ? ctx.candidates : [],
    endOfCandidates: first && ctx.endOfCandidates,
    ...(port !== undefined && address !== undefined
      ? {
          port,
          connection: { netType: 'IN', addrType: address.includes(':') ? 'IP6' : 'IP4', address },
        }
      : {}),
  };
}

function rtpSection(
  ctx: LocalDescriptionContext,
  t: RTCRtpTransceiver,
  mid: string,
  setup: DtlsSetupRole,
  first: boolean,
  direction: MediaDirection,
  codecs: ReturnType<typeof getCodecs>,
  extensions: { id: number; uri: string }[],
  simulcast?: SimulcastDescription,
): SdpMediaSection {
  const track = t.sender.track;
  const sends = directionSends(direction);
  const hasRtx = codecs.some((c) => c.name.toLowerCase() === 'rtx');
  return buildRtpSection({
    ...transportInit(ctx, mid, setup, first),
    kind: t.kind,
    direction,
    codecs,
    headerExtensions: extensions,
    ...(simulcast ?? {}),
    ...(track ? { msid: { streamId: t.sender.streamIds[0] ?? '-', trackId: track.id } } : {}),
    ...(sends
      ? {
          ssrcs: [
            { ssrc: t.sender.ssrc, cname: t.sender.cname, ...(hasRtx ? { rtxSsrc: t.sender.rtxSsrc } : {}) },
          ],
        }
      : {}),
  });
}

/** RFC 9429 5.2: an offer over the given m-lines, every live section in one BUNDLE group. */
export function buildOffer(lines: readonly MLine[], ctx: LocalDescriptionContext): SessionDescription {
  const media: SdpMediaSection[] = [];
  let first = true;
  for (const line of lines) {
    const t = line.transceiver;
    if (line.rejected || (t?.stopped ?? false)) {
      const protocol = line.data ? 'UDP/DTLS/SCTP' : 'UDP/TLS/RTP/SAVPF';
      media.push(rejectedSection(line.kind, protocol, line.data ? ['webrtc-datachannel'] : [], line.mid));
      continue;
    }
    if (line.data) {
      media.push(
        buildDataSection({
          ...transportInit(ctx, line.mid, 'actpass', first),
          maxMessageSize: ctx.maxMessageSize,
        }),
      );
    } else if (t) {
      const direction = t.direction === 'stopped' ? 'inactive' : t.direction;
      media.push(
        rtpSection(
          ctx,
          t,
          line.mid,
          'actpass',
          first,
          direction,
          [...t.localCodecs()],
          defaultHeaderExtensions(t.kind),
          offerSimulcastFor(t),
        ),
      );
    }
    first = false;
  }
  return buildSessionDescription({
    sessionId: ctx.sessionId,
    sessionVersion: ctx.sessionVersion,
    media,
    msidStreamIds: [],
  });
}

/**
 * RFC 9429 5.3: the answer to `remote`, section by section. `lines` is aligned with the remote
 * sections; `setup` is our DTLS role (RFC 8842 5.3: active when offered actpass).
 */
export function buildAnswer(
  remote: SessionDescription,
  lines: readonly MLine[],
  ctx: LocalDescriptionContext,
  setup: DtlsSetupRole,
): SessionDescription {
  const media: SdpMediaSection[] = [];
  const accepted: string[] = [];
  let first = true;
  remote.media.forEach((section, index) => {
    const line = lines[index];
    const mid = getMid(section) ?? String(index);
    const t = line?.transceiver;
    if (!line || line.rejected || isRejected(section) || (t?.stopped ?? false)) {
      media.push(rejectedSection(section.kind, section.protocol, section.formats, mid));
      return;
    }
    if (isDataSection(section)) {
      media.push(
        buildDataSection({ ...transportInit(ctx, mid, setup, first), maxMessageSize: ctx.maxMessageSize }),
      );
    } else if (t) {
      const codecs = negotiateCodecs(getCodecs(section), t.localCodecs());
      if (codecs.length === 0) {
        media.push(rejectedSection(section.kind, section.protocol, section.formats, mid));
        return;
      }
      const extensions = negotiateHeaderExtensions(
        getAttributes(section, 'extmap'),
        SUPPORTED_EXTENSION_URIS,
      );
      const localWish = t.direction === 'stopped' ? 'inactive' : t.direction;
      const direction = answerDirection(getDirection(section, remote), localWish);
      media.push(
        rtpSection(
          ctx,
          t,
          mid,
          setup,
          first,
          direction,
          codecs,
          extensions.map((e) => ({ id: e.id, uri: e.uri })),
          answerSimulcastFor(t, section),
        ),
      );
    } else {
      media.push(rejectedSection(section.kind, section.protocol, section.formats, mid));
      return;
    }
    accepted.push(mid);
    first = false;
  });
  // RFC 9143 7.3.1: the answer's group holds the offered group's mids that were accepted.
  // RFC 9143 7.3: each offered group keeps the mids that were accepted; an answer never bundles
  // what the offer did not (an offer without BUNDLE gets one transport per section).
  const groups = getBundleGroups(remote)
    .map((g) => g.filter((m) => accepted.includes(m)))
    .filter((g) => g.length > 0);
  return buildSessionDescription({
    sessionId: ctx.sessionId,
    sessionVersion: ctx.sessionVersion,
    media,
    bundleGroups: groups,
    extmapAllowMixed: getAttribute(remote, 'extmap-allow-mixed') !== undefined,
    msidStreamIds: [],
  });
}
