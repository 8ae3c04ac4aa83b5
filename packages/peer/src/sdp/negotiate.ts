import { isRtx, parseFmtpParameters, rtxApt, type SdpCodec, type SdpRtcpFeedback } from './codecs.js';
import type { SdpAttributeOf } from './model.js';

function fmtp(codec: SdpCodec, key: string, fallback: string): string {
  return (parseFmtpParameters(codec.parameters).get(key) ?? fallback).toLowerCase();
}

/**
 * Whether two codec descriptions denote the same format. RFC 3264 6.1 matches on encoding name,
 * clock rate and channels; some codecs also need fmtp parameters that change the bitstream:
 * H.264 packetization-mode and profile (RFC 6184 8.2.2; the level may differ), VP9 profile-id
 * (RFC 9628 6), AV1 profile (AV1 RTP spec 7.2).
 */
export function codecsMatch(a: SdpCodec, b: SdpCodec): boolean {
  const name = a.name.toLowerCase();
  if (name !== b.name.toLowerCase() || a.clockRate !== b.clockRate) return false;
  if ((a.channels ?? 1) !== (b.channels ?? 1)) return false;
  switch (name) {
    case 'h264':
      return (
        fmtp(a, 'packetization-mode', '0') === fmtp(b, 'packetization-mode', '0') &&
        // profile_idc and profile-iop: the first two bytes of profile-level-id (RFC 6184 8.1).
        fmtp(a, 'profile-level-id', '420010').slice(0, 4) ===
          fmtp(b, 'profile-level-id', '420010').slice(0, 4)
      );
    case 'vp9':
      return fmtp(a, 'profile-id', '0') === fmtp(b, 'profile-id', '0');
    case 'av1':
      return fmtp(a, 'profile', '0') === fmtp(b, 'profile', '0');
    default:
      return true;
  }
}

function sameFeedback(a: SdpRtcpFeedback, b: SdpRtcpFeedback): boolean {
  return a.type === b.type && a.parameter === b.parameter;
}

export interface NegotiateCodecsOptions {
  /**
   * 'offer' (default) keeps the offerer's order, as Chrome does; 'local' orders by the local list,
   * which is what RFC 9429 5.3.1 asks for once codec preferences are set.
   */
  order?: 'offer' | 'local';
}

/**
 * The codecs of an answer (RFC 9429 5.3.1, RFC 3264 6.1): the offered codecs the answerer
 * supports, under the offerer's payload types; rtcp-fb limited to what both list; RTX only for a
 * primary codec that is kept, with `apt` naming the offered primary. `local` is the answerer's
 * supported list (its payload types do not matter). The answerer's own fmtp is used for a
 * primary codec (it describes what the answerer receives), except for RED whose parameters name
 * payload types.
 */
export function negotiateCodecs(
  offered: readonly SdpCodec[],
  local: readonly SdpCodec[],
  options: NegotiateCodecsOptions = {},
): SdpCodec[] {
  const localPrimaries = local.filter((c) => !isRtx(c));
  const localRtx = local.filter(isRtx);
  const accepted: { codec: SdpCodec; rank: number; rtx?: SdpCodec }[] = [];
  for (const offer of offered) {
    if (isRtx(offer)) continue;
    const rank = localPrimaries.findIndex((l) => codecsMatch(offer, l));
    if (rank < 0) continue;
    const mine = localPrimaries[rank]!;
    const codec: SdpCodec = {
      payloadType: offer.payloadType,
      name: offer.name,
      clockRate: offer.clockRate,
      feedback: offer.feedback.filter((fb) => mine.feedback.some((m) => sameFeedback(fb, m))),
    };
    if (offer.channels !== undefined) codec.channels = offer.channels;
    const useOffered = offer.name.toLowerCase() === 'red' || mine.parameters === undefined;
    const parameters = useOffered ? offer.parameters : mine.parameters;
    if (parameters !== undefined) codec.parameters = parameters;
    accepted.push({ codec, rank });
  }
  // RFC 4588 8.6: an answer keeps RTX only where the answerer can do RTX at that clock rate.
  for (const offer of offered) {
    if (!isRtx(offer)) continue;
    const apt = rtxApt(offer);
    const primary = accepted.find((a) => a.codec.payloadType === apt);
    if (primary === undefined || primary.rtx !== undefined) continue;
    if (!localRtx.some((r) => r.clockRate === offer.clockRate)) continue;
    primary.rtx = {
      payloadType: offer.payloadType,
      name: offer.name,
      clockRate: offer.clockRate,
      parameters: `apt=${apt}`,
      feedback: [],
    };
  }
  if (options.order === 'local') accepted.sort((a, b) => a.rank - b.rank);
  return accepted.flatMap((a) => (a.rtx === undefined ? [a.codec] : [a.codec, a.rtx]));
}

/**
 * RFC 8285 6 / RFC 9429 5.3.1: an answer lists the offered header extensions it supports, with
 * the offerer's ids, in the offer's order.
 */
export function negotiateHeaderExtensions(
  offered: readonly SdpAttributeOf<'extmap'>[],
  supportedUris: readonly string[],
): SdpAttributeOf<'extmap'>[] {
  return offered
    .filter((e) => supportedUris.includes(e.uri))
    .map((e) => ({ type: 'extmap', id: e.id, uri: e.uri }));
}
