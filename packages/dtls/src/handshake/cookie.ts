import { createHmac, timingSafeEqual } from 'node:crypto';

const COOKIE_LENGTH = 32;

/**
 * Stateless HelloVerifyRequest cookies (RFC 6347 4.2.1): Cookie = HMAC(secret, client address,
 * client_version, random, session_id). The random is fixed across the two ClientHellos, so the
 * cookie can be checked from the first fragment alone, before any per-client state exists.
 */
export class CookieAuthority {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 16) throw new Error('cookie secret must be at least 16 bytes');
  }

  issue(clientAddress: string, version: number, random: Buffer, sessionId: Buffer): Buffer {
    const v = Buffer.allocUnsafe(2);
    v.writeUInt16BE(version);
    return createHmac('sha256', this.secret)
      .update(clientAddress)
      .update(v)
      .update(random)
      .update(Buffer.of(sessionId.length))
      .update(sessionId)
      .digest()
      .subarray(0, COOKIE_LENGTH);
  }

  verify(clientAddress: string, version: number, random: Buffer, sessionId: Buffer, cookie: Buffer): boolean {
    if (cookie.length !== COOKIE_LENGTH) return false;
    return timingSafeEqual(this.issue(clientAddress, version, random, sessionId), cookie);
  }
}
