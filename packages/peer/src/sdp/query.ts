import type {
  DtlsSetupRole,
  MediaDirection,
  SdpAttribute,
  SdpAttributeOf,
  SdpAttributeType,
  SdpMediaSection,
  SessionDescription,
} from './model.js';

/** A session or a media section: anything that carries attributes. */
export interface HasAttributes {
  attributes: readonly SdpAttribute[];
}

export function getAttribute<T extends SdpAttributeType>(
  holder: HasAttributes,
  type: T,
): SdpAttributeOf<T> | undefined {
  return holder.attributes.find((a): a is SdpAttributeOf<T> => a.type === type);
}

export function getAttributes<T extends SdpAttributeType>(
  holder: HasAttributes,
  type: T,
): SdpAttributeOf<T>[] {
  return holder.attributes.filter((a): a is SdpAttributeOf<T> => a.type === type);
}

/** An attribute we keep generic, by its name (`bundle-only`, `rtcp-xr`, ...). */
export function getGenericAttribute(
  holder: HasAttributes,
  key: string,
): SdpAttributeOf<'generic'> | undefined {
  return holder.attributes.find((a): a is SdpAttributeOf<'generic'> => a.type === 'generic' && a.key === key);
}

export function getMid(media: SdpMediaSection): string | undefined {
  return getAttribute(media, 'mid')?.value;
}

/** RFC 8866 6.7: a media-level direction wins over the session's; RFC 3264 5.1: sendrecv if none. */
export function getDirection(media: SdpMediaSection, session?: SessionDescription): MediaDirection {
  return (
    getAttribute(media, 'direction')?.direction ??
    (session && getAttribute(session, 'direction')?.direction) ??
    'sendrecv'
  );
}

/** The mids of each `a=group:BUNDLE` (RFC 9143 7.1). */
export function getBundleGroups(session: SessionDescription): string[][] {
  return getAttributes(session, 'group')
    .filter((g) => g.semantics === 'BUNDLE')
    .map((g) => g.mids);
}

export interface SdpIceParameters {
  ufrag: string | undefined;
  pwd: string | undefined;
  options: string[];
  lite: boolean;
}

/** RFC 8839 5.4: ice-ufrag/ice-pwd at media level override the session level. */
export function getIceParameters(media: SdpMediaSection, session?: SessionDescription): SdpIceParameters {
  const pick = <T extends SdpAttributeType>(type: T): SdpAttributeOf<T> | undefined =>
    getAttribute(media, type) ?? (session && getAttribute(session, type));
  return {
    ufrag: pick('ice-ufrag')?.value,
    pwd: pick('ice-pwd')?.value,
    options: pick('ice-options')?.options ?? [],
    // RFC 8839 5.3: ice-lite is session-level only.
    lite: session !== undefined && getAttribute(session, 'ice-lite') !== undefined,
  };
}

/** RFC 8122 5: media-level fingerprints replace the session-level ones. */
export function getFingerprints(
  media: SdpMediaSection,
  session?: SessionDescription,
): { algorithm: string; value: string }[] {
  const own = getAttributes(media, 'fingerprint');
  const list = own.length > 0 || session === undefined ? own : getAttributes(session, 'fingerprint');
  return list.map(({ algorithm, value }) => ({ algorithm, value }));
}

export function getSetupRole(
  media: SdpMediaSection,
  session?: SessionDescription,
): DtlsSetupRole | undefined {
  return getAttribute(media, 'setup')?.role ?? (session && getAttribute(session, 'setup')?.role);
}

/** RFC 9143 6: `a=bundle-only` marks a section with port 0 that is nevertheless in use. */
export function isBundleOnly(media: SdpMediaSection): boolean {
  return getGenericAttribute(media, 'bundle-only') !== undefined;
}

/** RFC 3264 6 / RFC 9429 5.3.1: port 0 rejects a section, unless it is bundle-only. */
export function isRejected(media: SdpMediaSection): boolean {
  return media.port === 0 && !isBundleOnly(media);
}

/** True for the data channel section (RFC 8841 4.1, `UDP/DTLS/SCTP webrtc-datachannel`). */
export function isDataSection(media: SdpMediaSection): boolean {
  return media.kind === 'application' && media.protocol.toUpperCase().includes('SCTP');
}
