import { ChunkType } from '../packet/chunk.js';
import { findParameter, type Parameter } from '../packet/parameter.js';
import { EDMID_SCTP_OVER_DTLS } from '../packet/parameters/zero-checksum-acceptable.js';
import type { AssociationOptions } from './options.js';

/** What both ends support, decided from our options and the peer's INIT or INIT ACK. */
export interface Capabilities {
  partialReliability: boolean;
  messageInterleaving: boolean;
  reconfig: boolean;
  /** The peer accepts zero checksums from us (RFC 9653 5.2). */
  zeroChecksumSend: boolean;
}

export function ourInitParameters(o: AssociationOptions): Parameter[] {
  const ext: number[] = [ChunkType.RECONFIG];
  if (o.partialReliability) ext.push(ChunkType.FORWARD_TSN);
  if (o.messageInterleaving) ext.push(ChunkType.IDATA, ChunkType.IFORWARD_TSN);
  const params: Parameter[] = [];
  if (o.partialReliability) params.push({ type: 'forward-tsn-supported' });
  params.push({ type: 'supported-extensions', chunkTypes: ext });
  if (o.zeroChecksum) params.push({ type: 'zero-checksum-acceptable', edmid: EDMID_SCTP_OVER_DTLS });
  return params;
}

export function negotiate(o: AssociationOptions, peer: readonly Parameter[]): Capabilities {
  const ext = findParameter(peer, 'supported-extensions')?.chunkTypes ?? [];
  const peerPr =
    findParameter(peer, 'forward-tsn-supported') !== undefined || ext.includes(ChunkType.FORWARD_TSN);
  const zc = findParameter(peer, 'zero-checksum-acceptable');
  return {
    partialReliability: o.partialReliability && peerPr,
    messageInterleaving:
      o.messageInterleaving && ext.includes(ChunkType.IDATA) && ext.includes(ChunkType.IFORWARD_TSN),
    reconfig: ext.includes(ChunkType.RECONFIG),
    zeroChecksumSend: zc !== undefined && zc.edmid === EDMID_SCTP_OVER_DTLS,
  };
}

export function encodeCapabilities(c: Capabilities): number {
  return (
    (c.partialReliability ? 1 : 0) |
    (c.messageInterleaving ? 2 : 0) |
    (c.reconfig ? 4 : 0) |
    (c.zeroChecksumSend ? 8 : 0)
  );
}

export function decodeCapabilities(b: number): Capabilities {
  return {
    partialReliability: (b & 1) !== 0,
    messageInterleaving: (b & 2) !== 0,
    reconfig: (b & 4) !== 0,
    zeroChecksumSend: (b & 8) !== 0,
  };
}
