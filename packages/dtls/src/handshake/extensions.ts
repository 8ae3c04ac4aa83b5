import { ByteReader, ByteWriter } from '../bytes.js';
import { ExtensionType } from '../constants.js';
import { DtlsParseError } from '../errors.js';

/** An extension kept as raw bytes; the typed helpers below decode the ones we understand. */
export interface Extension {
  type: number;
  data: Buffer;
}

/** RFC 5246 7.4.1.4: the extensions block; a repeated type is a decode error. */
export function parseExtensions(reader: ByteReader): Extension[] {
  if (reader.remaining === 0) return [];
  const block = new ByteReader(reader.vector(2));
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (block.remaining > 0) {
    const type = block.u16();
    const data = block.vector(2);
    if (seen.has(type)) throw new DtlsParseError(`duplicate extension ${type}`);
    seen.add(type);
    out.push({ type, data });
  }
  return out;
}

export function writeExtensions(w: ByteWriter, extensions: readonly Extension[]): void {
  if (extensions.length === 0) return;
  const block = new ByteWriter();
  for (const e of extensions) block.u16(e.type).vector(2, e.data);
  w.vector(2, block.finish());
}

export function findExtension(extensions: readonly Extension[], type: number): Extension | undefined {
  return extensions.find((e) => e.type === type);
}

function u16List(data: Buffer, min: number): number[] {
  const r = new ByteReader(data);
  const list = r.vector(2, min);
  r.end();
  if (list.length % 2 !== 0) throw new DtlsParseError('odd-length u16 list');
  const out: number[] = [];
  for (let i = 0; i < list.length; i += 2) out.push(list.readUInt16BE(i));
  return out;
}

function encodeU16List(values: readonly number[]): Buffer {
  const w = new ByteWriter();
  const inner = Buffer.allocUnsafe(values.length * 2);
  values.forEach((v, i) => {
    inner.writeUInt16BE(v, i * 2);
  });
  return w.vector(2, inner).finish();
}

/** RFC 8422 5.1.1 (supported_groups, named elliptic_curves in older texts). */
export const supportedGroups = {
  encode: (groups: readonly number[]): Extension => ({
    type: ExtensionType.supported_groups,
    data: encodeU16List(groups),
  }),
  decode: (e: Extension): number[] => u16List(e.data, 2),
};

/** RFC 5246 7.4.1.4.1 signature_algorithms (TLS 1.3 names the values SignatureScheme). */
export const signatureAlgorithms = {
  encode: (schemes: readonly number[]): Extension => ({
    type: ExtensionType.signature_algorithms,
    data: encodeU16List(schemes),
  }),
  decode: (e: Extension): number[] => u16List(e.data, 2),
};

/** RFC 8422 5.1.2: we only speak uncompressed (0). */
export const ecPointFormats = {
  encode: (): Extension => ({ type: ExtensionType.ec_point_formats, data: Buffer.of(1, 0) }),
  decode: (e: Extension): number[] => {
    const r = new ByteReader(e.data);
    const list = r.vector(1, 1);
    r.end();
    return [...list];
  },
};

export interface UseSrtp {
  profiles: number[];
  mki: Buffer;
}

/** RFC 5764 4.1.1: use_srtp carries SRTPProtectionProfiles<2..2^16-1> and srtp_mki<0..255>. */
export const useSrtp = {
  encode: (v: UseSrtp): Extension => {
    const w = new ByteWriter();
    w.bytes(encodeU16List(v.profiles)).vector(1, v.mki);
    return { type: ExtensionType.use_srtp, data: w.finish() };
  },
  decode: (e: Extension): UseSrtp => {
    const r = new ByteReader(e.data);
    const list = r.vector(2, 2);
    if (list.length % 2 !== 0) throw new DtlsParseError('odd-length SRTP profile list');
    const mki = r.vector(1);
    r.end();
    const profiles: number[] = [];
    for (let i = 0; i < list.length; i += 2) profiles.push(list.readUInt16BE(i));
    return { profiles, mki };
  },
};

/** RFC 7627 5.1: empty. */
export const extendedMasterSecretExt = {
  encode: (): Extension => ({ type: ExtensionType.extended_master_secret, data: Buffer.alloc(0) }),
};

/** RFC 5746 3.2: renegotiated_connection<0..255>, empty on the initial handshake. */
export const renegotiationInfo = {
  encode: (): Extension => ({ type: ExtensionType.renegotiation_info, data: Buffer.of(0) }),
  decode: (e: Extension): Buffer => {
    const r = new ByteReader(e.data);
    const v = r.vector(1);
    r.end();
    return v;
  },
};
