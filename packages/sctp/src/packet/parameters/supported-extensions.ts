import type { TlvCodec } from '../tlv.js';

/** RFC 5061 4.2.7: the chunk types the sender supports beyond RFC 9260. */
export interface SupportedExtensionsParameter {
  type: 'supported-extensions';
  chunkTypes: number[];
}

export const supportedExtensionsCodec: TlvCodec<SupportedExtensionsParameter> = {
  code: 0x8008,
  parse: (value) => ({ type: 'supported-extensions', chunkTypes: [...value] }),
  valueLength: (p) => p.chunkTypes.length,
  write: (p, buf, off) => {
    p.chunkTypes.forEach((t, i) => {
      buf[off + i] = t & 0xff;
    });
  },
};
