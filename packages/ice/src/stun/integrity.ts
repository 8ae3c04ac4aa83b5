import { createHash, type Hash } from 'node:crypto';

/**
 * A MESSAGE-INTEGRITY key (RFC 8489 section 9). The HMAC is computed from two hash states
 * pre-keyed with the padded key (RFC 2104) and cloned per message: node:crypto cannot reuse a
 * finished HMAC, and cloning a keyed hash state is cheaper than `createHmac` keying afresh
 * each time (see bench/stun.bench.ts).
 */
export class StunIntegrityKey {
  readonly key: Buffer;
  private sha1?: { inner: Hash; outer: Hash };
  private sha256?: { inner: Hash; outer: Hash };

  constructor(key: Uint8Array | string) {
    const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    // Memory of its own: a small Buffer.from() is a slice of an 8 KiB pool slab, and a key lives
    // as long as its connection, so it would keep the whole slab alive per connection.
    this.key = Buffer.allocUnsafeSlow(bytes.length);
    this.key.set(bytes);
  }

  /** RFC 8489 section 9.1: the short-term key is the password itself (after OpaqueString). */
  static shortTerm(password: string): StunIntegrityKey {
    return new StunIntegrityKey(saslPrep(password));
  }

  /**
   * RFC 8489 section 9.2.2: key = MD5(username ":" realm ":" password), or SHA-256 of the
   * same when PASSWORD-ALGORITHM says so.
   */
  static longTerm(
    username: string,
    realm: string,
    password: string,
    algorithm: 'md5' | 'sha256' = 'md5',
  ): StunIntegrityKey {
    const digest = createHash(algorithm)
      .update(`${username}:${realm}:${saslPrep(password)}`, 'utf8')
      .digest();
    return new StunIntegrityKey(digest);
  }

  hmacSha1(data: Uint8Array): Buffer {
    this.sha1 ??= keyedStates('sha1', 64, this.key);
    const inner = this.sha1.inner.copy().update(data).digest();
    return this.sha1.outer.copy().update(inner).digest();
  }

  hmacSha256(data: Uint8Array): Buffer {
    this.sha256 ??= keyedStates('sha256', 64, this.key);
    const inner = this.sha256.inner.copy().update(data).digest();
    return this.sha256.outer.copy().update(inner).digest();
  }
}

function keyedStates(algorithm: string, blockSize: number, key: Buffer): { inner: Hash; outer: Hash } {
  const block = Buffer.alloc(blockSize);
  (key.length > blockSize ? createHash(algorithm).update(key).digest() : key).copy(block);
  const ipad = Buffer.alloc(blockSize);
  const opad = Buffer.alloc(blockSize);
  for (let i = 0; i < blockSize; i++) {
    ipad[i] = block[i]! ^ 0x36;
    opad[i] = block[i]! ^ 0x5c;
  }
  return { inner: createHash(algorithm).update(ipad), outer: createHash(algorithm).update(opad) };
}

/**
 * RFC 4013 SASLprep as RFC 8489 section 9.2.2 asks (OpaqueString of RFC 8265 gives the same
 * result for the passwords seen in practice): non-ASCII spaces become U+0020, characters
 * "commonly mapped to nothing" are removed, then NFKC.
 */
export function saslPrep(text: string): string {
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: these code points are listed individually in RFC 3454 B.1
  const mappedToNothing = /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/g;
  const nonAsciiSpace = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
  return text.replace(mappedToNothing, '').replace(nonAsciiSpace, ' ').normalize('NFKC');
}
