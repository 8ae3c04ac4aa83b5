import { findHeaderExtension } from '../../rtp/find-extension.js';
import type { SdpCodec } from '../../sdp/codecs.js';
import type { SdpMediaSection, SimulcastRid } from '../../sdp/model.js';
import { getAttribute, getAttributes } from '../../sdp/query.js';
import { EXT_REPAIRED_RID, EXT_RID } from './default-codecs.js';

/** What an m= section says about RIDs and simulcast in one direction (RFC 8851, RFC 8853). */
export interface SimulcastDescription {
  rids: { id: string; direction: 'send' | 'recv'; payloadTypes?: number[] }[];
  simulcast: { send?: SimulcastRid[][]; recv?: SimulcastRid[][] };
}

/**
 * RFC 8853 5.3 / RFC 9429 5.3.1: the answer to an offered `a=simulcast:send` with `a=rid:<id> send`
 * lines: the same rids and streams with the direction reversed, keeping only rids that were
 * declared, and only when the rid header extension (RFC 8852) was accepted, without which the
 * streams could not be told apart. A rid's `pt=` list keeps the payload types we accepted; a rid
 * left with none is dropped (RFC 8851 6.1). Undefined when there is no simulcast to answer.
 */
export function simulcastAnswer(
  offer: SdpMediaSection,
  acceptedExtensionUris: readonly string[],
  acceptedCodecs: readonly SdpCodec[],
): SimulcastDescription | undefined {
  const offered = getAttribute(offer, 'simulcast')?.send;
  if (!offered || !acceptedExtensionUris.includes(EXT_RID)) return undefined;
  const accepted = new Set(acceptedCodecs.map((c) => c.payloadType));
  const rids: SimulcastDescription['rids'] = [];
  for (const rid of getAttributes(offer, 'rid')) {
    if (rid.direction !== 'send' || rids.some((r) => r.id === rid.id)) continue;
    if (rid.payloadTypes === undefined) {
      rids.push({ id: rid.id, direction: 'recv' });
      continue;
    }
    const payloadTypes = rid.payloadTypes.filter((pt) => accepted.has(pt));
    if (payloadTypes.length > 0) rids.push({ id: rid.id, direction: 'recv', payloadTypes });
  }
  const known = new Set(rids.map((r) => r.id));
  const streams = offered
    .map((alternatives) => alternatives.filter((a) => known.has(a.rid)))
    .filter((alternatives) => alternatives.length > 0);
  if (streams.length === 0) return undefined;
  // RFC 8853 5.3: rids the answer does not list in a=simulcast must not be kept.
  const listed = new Set(streams.flat().map((a) => a.rid));
  return { rids: rids.filter((r) => listed.has(r.id)), simulcast: { recv: streams } };
}

/**
 * Node-only, RFC 8853 5.2: an offer asking the answerer to send simulcast to us, one `a=rid:<id>
 * recv` per layer and `a=simulcast:recv` listing them.
 */
export function simulcastReceiveOffer(rids: readonly string[]): SimulcastDescription {
  return {
    rids: rids.map((id) => ({ id, direction: 'recv' })),
    simulcast: { recv: rids.map((rid) => [{ rid, paused: false }]) },
  };
}

/**
 * The rids that will flow toward us once `answer` is applied: the recv streams of our own answer,
 * or the send streams of the remote's answer to our receive-simulcast offer. Paused streams
 * count too: they may be resumed without a new negotiation. Empty when not simulcast.
 */
export function receivedRids(answer: SdpMediaSection, answerSide: 'local' | 'remote'): string[] {
  const simulcast = getAttribute(answer, 'simulcast');
  const streams = answerSide === 'local' ? simulcast?.recv : simulcast?.send;
  if (!streams) return [];
  const direction = answerSide === 'local' ? 'recv' : 'send';
  const declared = new Set(
    getAttributes(answer, 'rid')
      .filter((r) => r.direction === direction)
      .map((r) => r.id),
  );
  const out: string[] = [];
  for (const alternatives of streams) {
    for (const a of alternatives) if (declared.has(a.rid) && !out.includes(a.rid)) out.push(a.rid);
  }
  return out;
}

/** The negotiated ids of the rid and repaired-rid header extensions (RFC 8852 3.1, 3.2). */
export function ridExtensionIds(extensions: readonly { id: number; uri: string }[]): {
  rid: number | undefined;
  repairedRid: number | undefined;
} {
  return {
    rid: extensions.find((e) => e.uri === EXT_RID)?.id,
    repairedRid: extensions.find((e) => e.uri === EXT_REPAIRED_RID)?.id,
  };
}

/** More SSRCs than this per section is an attack or a bug; the oldest binding is forgotten. */
const MAX_BOUND_SSRCS = 64;

function readSsrc(packet: Uint8Array): number {
  return ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0;
}

function ridOf(data: Uint8Array | undefined): string | undefined {
  // RFC 8852 3.1: the value is the rid-id in US-ASCII, without padding or terminator.
  return data && data.length > 0 ? Buffer.from(data).toString('latin1') : undefined;
}

/**
 * Which SSRC carries which layer of a simulcast reception, learnt from the packets themselves
 * (Chrome signals no SSRCs for rid-based simulcast): a media SSRC is bound by the rid header
 * extension, an RTX SSRC by the repaired-rid one (RFC 8852 3.2). A binding lasts after the sender
 * stops adding the extensions; a new SSRC for the same rid replaces the old one.
 */
export class SimulcastLayerMap {
  readonly rids: readonly string[];
  readonly #ridId: number | undefined;
  readonly #repairedRidId: number | undefined;
  readonly #mediaRid = new Map<number, string>();
  readonly #rtxRid = new Map<number, string>();
  readonly #mediaSsrcByRid = new Map<string, number>();
  /** Packets that named a rid we did not negotiate. */
  unknownRid = 0;

  constructor(rids: readonly string[], ids: { rid: number | undefined; repairedRid: number | undefined }) {
    this.rids = rids;
    this.#ridId = ids.rid;
    this.#repairedRidId = ids.repairedRid;
  }

  /**
   * Learns from one received packet (raw RTP bytes). Returns the media SSRC when the packet is
   * RTX of a bound layer (the caller ties the two for RFC 4588 unwrapping), else undefined.
   */
  learn(packet: Uint8Array): number | undefined {
    if (packet.length < 12) return undefined;
    const ssrc = readSsrc(packet);
    if (!this.#mediaRid.has(ssrc) && !this.#rtxRid.has(ssrc)) {
      const rid = this.#ridId === undefined ? undefined : ridOf(findHeaderExtension(packet, this.#ridId));
      const repaired =
        this.#repairedRidId === undefined
          ? undefined
          : ridOf(findHeaderExtension(packet, this.#repairedRidId));
      if (rid !== undefined && this.rids.includes(rid)) this.#bindMedia(ssrc, rid);
      else if (repaired !== undefined && this.rids.includes(repaired))
        this.#bind(this.#rtxRid, ssrc, repaired);
      else if (rid !== undefined || repaired !== undefined) this.unknownRid++;
    }
    const rtxRid = this.#rtxRid.get(ssrc);
    return rtxRid === undefined ? undefined : this.#mediaSsrcByRid.get(rtxRid);
  }

  /** The layer of a media SSRC (after RTX unwrapping), if known. */
  ridOf(mediaSsrc: number): string | undefined {
    return this.#mediaRid.get(mediaSsrc >>> 0);
  }

  /** The media SSRC currently carrying `rid`, if seen. */
  ssrcOf(rid: string): number | undefined {
    return this.#mediaSsrcByRid.get(rid);
  }

  /** The latest RTX SSRC that repaired-rid tied to `rid`, if seen. */
  rtxSsrcOf(rid: string): number | undefined {
    let found: number | undefined;
    for (const [ssrc, r] of this.#rtxRid) if (r === rid) found = ssrc;
    return found;
  }

  #bindMedia(ssrc: number, rid: string): void {
    const previous = this.#mediaSsrcByRid.get(rid);
    if (previous !== undefined) this.#mediaRid.delete(previous);
    this.#mediaSsrcByRid.set(rid, ssrc);
    this.#bind(this.#mediaRid, ssrc, rid);
  }

  #bind(map: Map<number, string>, ssrc: number, rid: string): void {
    map.set(ssrc, rid);
    if (map.size > MAX_BOUND_SSRCS) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }
}
