import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Capabilities, decodeCapabilities, encodeCapabilities } from './capabilities.js';

/**
 * What the INIT ACK sender needs to build the association when the COOKIE ECHO comes back
 * (RFC 9260 5.1.3): we keep no state until then, so an INIT flood costs no memory.
 */
export interface CookieState {
  localTag: number;
  peerTag: number;
  localInitialTsn: number;
  peerInitialTsn: number;
  peerRwnd: number;
  /** Negotiated stream counts. */
  outboundStreams: number;
  inboundStreams: number;
  localTieTag: number;
  peerTieTag: number;
  capabilities: Capabilities;
  createdAt: number;
  /** Valid life of this cookie in ms: ours, plus any Cookie Preservative increment (RFC 9260 5.2.6). */
  lifetime: number;
}

const MAGIC = 0x70727463; // "prtc"
const BODY = 4 + 4 * 5 + 2 * 2 + 4 * 2 + 1 + 8 + 4;
const MAC = 32;
export const COOKIE_LENGTH = BODY + MAC;

/** RFC 9260 5.1.3: the cookie carries a MAC over its contents with a secret only we know. */
export class CookieCodec {
  constructor(private readonly secret: Buffer) {}

  encode(s: CookieState): Buffer {
    const b = Buffer.alloc(COOKIE_LENGTH);
    let o = 0;
    b.writeUInt32BE(MAGIC, o);
    o += 4;
    for (const v of [s.localTag, s.peerTag, s.localInitialTsn, s.peerInitialTsn, s.peerRwnd]) {
      b.writeUInt32BE(v >>> 0, o);
      o += 4;
    }
    b.writeUInt16BE(s.outboundStreams, o);
    b.writeUInt16BE(s.inboundStreams, o + 2);
    b.writeUInt32BE(s.localTieTag >>> 0, o + 4);
    b.writeUInt32BE(s.peerTieTag >>> 0, o + 8);
    b[o + 12] = encodeCapabilities(s.capabilities);
    b.writeDoubleBE(s.createdAt, o + 13);
    b.writeUInt32BE(Math.min(0xffffffff, Math.max(0, Math.floor(s.lifetime))), o + 21);
    this.mac(b.subarray(0, BODY)).copy(b, BODY);
    return b;
  }

  /** Undefined when the cookie was not made by us or was altered. */
  decode(b: Buffer): CookieState | undefined {
    if (b.length !== COOKIE_LENGTH || b.readUInt32BE(0) !== MAGIC) return undefined;
    if (!timingSafeEqual(this.mac(b.subarray(0, BODY)), b.subarray(BODY))) return undefined;
    const u = (o: number) => b.readUInt32BE(o);
    return {
      localTag: u(4),
      peerTag: u(8),
      localInitialTsn: u(12),
      peerInitialTsn: u(16),
      peerRwnd: u(20),
      outboundStreams: b.readUInt16BE(24),
      inboundStreams: b.readUInt16BE(26),
      localTieTag: u(28),
      peerTieTag: u(32),
      capabilities: decodeCapabilities(b[36]!),
      createdAt: b.readDoubleBE(37),
      lifetime: u(45),
    };
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}
