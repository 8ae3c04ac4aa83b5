import { serializeRtp } from '@purertc/srtp';
import { tryParseRtp } from './try-parse-rtp.js';

/**
 * A bounded history of the RTP packets one sender put on the wire, indexed by sequence number,
 * so that NACKed packets (RFC 4585 6.2.1) can be sent again. Older entries are overwritten.
 */
export class SendHistory {
  readonly capacity: number;
  readonly #slots: ({ seq: number; packet: Uint8Array } | undefined)[];

  constructor(capacity = 512) {
    this.capacity = Math.max(1, capacity);
    this.#slots = new Array(this.capacity);
  }

  /** Keeps the exact bytes sent (unprotected RTP) under their sequence number. */
  store(packet: Uint8Array): void {
    if (packet.length < 12) return;
    const seq = ((packet[2]! << 8) | packet[3]!) & 0xffff;
    this.#slots[seq % this.capacity] = { seq, packet };
  }

  get(sequenceNumber: number): Uint8Array | undefined {
    const slot = this.#slots[(sequenceNumber & 0xffff) % this.capacity];
    return slot && slot.seq === (sequenceNumber & 0xffff) ? slot.packet : undefined;
  }
}

/**
 * RFC 4588 4: the retransmission of `original` on the RTX stream: RTX SSRC and payload type, the
 * RTX stream's own sequence number, and the original sequence number (OSN) in the first two
 * payload bytes. Padding is dropped. Undefined when `original` is not RTP.
 */
export function buildRtxPacket(
  original: Uint8Array,
  rtx: { ssrc: number; payloadType: number; sequenceNumber: number },
): Uint8Array | undefined {
  const packet = tryParseRtp(original);
  if (!packet) return undefined;
  const payload = new Uint8Array(packet.payload.length + 2);
  payload[0] = packet.sequenceNumber >> 8;
  payload[1] = packet.sequenceNumber & 0xff;
  payload.set(packet.payload, 2);
  return serializeRtp({
    ...packet,
    ssrc: rtx.ssrc,
    payloadType: rtx.payloadType,
    sequenceNumber: rtx.sequenceNumber & 0xffff,
    payload,
    paddingLength: 0,
  });
}

/**
 * RFC 4588 4: the original packet back from an RTX packet, given the original stream's SSRC and
 * payload type. Undefined when the payload is too short to hold the OSN or the bytes are not RTP.
 */
export function unwrapRtxPacket(
  rtxPacket: Uint8Array,
  original: { ssrc: number; payloadType: number },
): Uint8Array | undefined {
  const packet = tryParseRtp(rtxPacket);
  if (!packet) return undefined;
  if (packet.payload.length < 2) return undefined;
  return serializeRtp({
    ...packet,
    ssrc: original.ssrc,
    payloadType: original.payloadType,
    sequenceNumber: (packet.payload[0]! << 8) | packet.payload[1]!,
    payload: packet.payload.subarray(2),
    paddingLength: 0,
  });
}
