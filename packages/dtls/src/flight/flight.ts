import { ContentType } from '../constants.js';
import { encodeHandshakeFragment, HANDSHAKE_HEADER_LENGTH } from '../handshake/fragment.js';
import type { Dtls12RecordLayer } from '../record/record-layer.js';

/** One message of a flight, kept unencoded so a retransmission gets fresh record numbers (RFC 6347 4.2.4). */
export type FlightMessage =
  | { kind: 'handshake'; epoch: number; msgType: number; messageSeq: number; body: Buffer }
  | { kind: 'change_cipher_spec'; epoch: number };

/** Fragments smaller than this are not worth starting in a nearly full datagram. */
const MIN_USEFUL_FRAGMENT = 16;

/**
 * Encodes a flight into as few datagrams as the MTU allows: several records per datagram
 * (RFC 6347 4.1.1) and handshake messages fragmented to fit (RFC 6347 4.2.3).
 */
export function packFlight(
  layer: Dtls12RecordLayer,
  messages: readonly FlightMessage[],
  mtu: number,
): Buffer[] {
  const datagrams: Buffer[] = [];
  let current: Buffer[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) datagrams.push(Buffer.concat(current, size));
    current = [];
    size = 0;
  };
  const push = (record: Buffer) => {
    if (size + record.length > mtu) flush();
    current.push(record);
    size += record.length;
  };
  for (const m of messages) {
    const overhead = layer.overhead(m.epoch);
    if (m.kind === 'change_cipher_spec') {
      push(layer.protect(m.epoch, ContentType.change_cipher_spec, Buffer.of(1)));
      continue;
    }
    let offset = 0;
    do {
      const left = m.body.length - offset;
      let room = mtu - size - overhead - HANDSHAKE_HEADER_LENGTH;
      if (room < Math.min(left, MIN_USEFUL_FRAGMENT)) {
        flush();
        room = Math.max(1, mtu - overhead - HANDSHAKE_HEADER_LENGTH);
      }
      const take = Math.min(left, room);
      const fragment = encodeHandshakeFragment({
        msgType: m.msgType,
        length: m.body.length,
        messageSeq: m.messageSeq,
        fragmentOffset: offset,
        body: m.body.subarray(offset, offset + take),
      });
      push(layer.protect(m.epoch, ContentType.handshake, fragment));
      offset += take;
    } while (offset < m.body.length);
  }
  flush();
  return datagrams;
}
