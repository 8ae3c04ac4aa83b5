import { createHash } from 'node:crypto';

/**
 * The handshake transcript: every message in its unfragmented form with fragment_offset 0
 * (RFC 6347 4.2.6), excluding the cookie exchange's first ClientHello and HelloVerifyRequest
 * (RFC 6347 4.2.1). Kept as bytes because CertificateVerify may hash with a different function than
 * the PRF, and a handshake is only a few kilobytes.
 */
export class Transcript {
  private readonly messages: Buffer[] = [];

  add(wholeMessage: Buffer): void {
    this.messages.push(wholeMessage);
  }

  clear(): void {
    this.messages.length = 0;
  }

  bytes(): Buffer {
    return Buffer.concat(this.messages);
  }

  digest(algorithm: 'sha256' | 'sha384'): Buffer {
    const h = createHash(algorithm);
    for (const m of this.messages) h.update(m);
    return h.digest();
  }
}
