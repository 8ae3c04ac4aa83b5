import type { ChunkCodec } from './chunk-codec.js';
import { type AbortChunk, abortCodec } from './chunks/abort.js';
import { type CookieAckChunk, cookieAckCodec } from './chunks/cookie-ack.js';
import { type CookieEchoChunk, cookieEchoCodec } from './chunks/cookie-echo.js';
import { type DataChunk, dataCodec } from './chunks/data.js';
import { type ErrorChunk, errorCodec } from './chunks/error.js';
import { type ForwardTsnChunk, forwardTsnCodec } from './chunks/forward-tsn.js';
import { type HeartbeatAckChunk, heartbeatAckCodec } from './chunks/heartbeat-ack.js';
import { type HeartbeatRequestChunk, heartbeatRequestCodec } from './chunks/heartbeat-request.js';
import { type IDataChunk, idataCodec } from './chunks/idata.js';
import { type IForwardTsnChunk, iforwardTsnCodec } from './chunks/iforward-tsn.js';
import { type InitChunk, initCodec } from './chunks/init.js';
import { type InitAckChunk, initAckCodec } from './chunks/init-ack.js';
import { type PadChunk, padCodec } from './chunks/pad.js';
import { type ReconfigChunk, reconfigCodec } from './chunks/reconfig.js';
import { type SackChunk, sackCodec } from './chunks/sack.js';
import { type ShutdownChunk, shutdownCodec } from './chunks/shutdown.js';
import { type ShutdownAckChunk, shutdownAckCodec } from './chunks/shutdown-ack.js';
import { type ShutdownCompleteChunk, shutdownCompleteCodec } from './chunks/shutdown-complete.js';

/** A chunk type we do not implement; the association applies RFC 9260 3.2 to its upper bits. */
export interface UnknownChunk {
  type: 'unknown';
  code: number;
  flags: number;
  value: Buffer;
}

export type Chunk =
  | DataChunk
  | IDataChunk
  | InitChunk
  | InitAckChunk
  | SackChunk
  | HeartbeatRequestChunk
  | HeartbeatAckChunk
  | AbortChunk
  | ShutdownChunk
  | ShutdownAckChunk
  | ErrorChunk
  | CookieEchoChunk
  | CookieAckChunk
  | ShutdownCompleteChunk
  | ForwardTsnChunk
  | IForwardTsnChunk
  | ReconfigChunk
  | PadChunk
  | UnknownChunk;

export const ChunkType = {
  DATA: 0,
  INIT: 1,
  INIT_ACK: 2,
  SACK: 3,
  HEARTBEAT: 4,
  HEARTBEAT_ACK: 5,
  ABORT: 6,
  SHUTDOWN: 7,
  SHUTDOWN_ACK: 8,
  ERROR: 9,
  COOKIE_ECHO: 10,
  COOKIE_ACK: 11,
  SHUTDOWN_COMPLETE: 14,
  IDATA: 64,
  RECONFIG: 130,
  PAD: 132,
  FORWARD_TSN: 192,
  IFORWARD_TSN: 194,
} as const;

type AnyCodec = ChunkCodec<Chunk>;
const all = [
  dataCodec,
  idataCodec,
  initCodec,
  initAckCodec,
  sackCodec,
  heartbeatRequestCodec,
  heartbeatAckCodec,
  abortCodec,
  shutdownCodec,
  shutdownAckCodec,
  errorCodec,
  cookieEchoCodec,
  cookieAckCodec,
  shutdownCompleteCodec,
  forwardTsnCodec,
  iforwardTsnCodec,
  reconfigCodec,
  padCodec,
] as unknown as AnyCodec[];

const byCode: (AnyCodec | undefined)[] = new Array(256);
const byType = new Map<string, AnyCodec>();
for (const c of all) {
  byCode[c.code] = c;
  byType.set(c.type, c);
}

export function parseChunk(code: number, flags: number, value: Buffer): Chunk {
  const codec = byCode[code];
  if (!codec) return { type: 'unknown', code, flags, value: Buffer.from(value) };
  return codec.parse(flags, value);
}

/** Length of the chunk on the wire without trailing padding. */
export function chunkLength(c: Chunk): number {
  // DATA is most of the traffic: no codec lookup for it.
  if (c.type === 'data') return 16 + c.payload.length;
  if (c.type === 'unknown') return 4 + c.value.length;
  return 4 + byType.get(c.type)!.valueLength(c);
}

/** Writes the chunk and its padding at `offset`; returns the offset past it. */
export function writeChunk(c: Chunk, buf: Buffer, offset: number): number {
  const length = chunkLength(c);
  let code: number;
  let flags: number;
  if (c.type === 'data') {
    code = 0;
    flags = dataCodec.write(c, buf, offset + 4);
  } else if (c.type === 'unknown') {
    code = c.code;
    flags = c.flags;
    c.value.copy(buf, offset + 4);
  } else {
    const codec = byType.get(c.type)!;
    code = codec.code;
    flags = codec.write(c, buf, offset + 4);
  }
  buf[offset] = code;
  buf[offset + 1] = flags;
  buf.writeUInt16BE(length, offset + 2);
  const end = offset + ((length + 3) & ~3);
  for (let i = offset + length; i < end; i++) buf[i] = 0;
  return end;
}
