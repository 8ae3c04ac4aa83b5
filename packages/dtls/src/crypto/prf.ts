import { createHmac } from 'node:crypto';

export type PrfHash = 'sha256' | 'sha384';

/** P_hash from RFC 5246 5: HMAC chaining A(i) = HMAC(secret, A(i-1)), output HMAC(secret, A(i) + seed). */
export function pHash(hash: PrfHash, secret: Uint8Array, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let a: Buffer = createHmac(hash, secret).update(seed).digest();
  let filled = 0;
  while (filled < length) {
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    block.copy(out, filled, 0, Math.min(block.length, length - filled));
    filled += block.length;
    a = createHmac(hash, secret).update(a).digest();
  }
  return out;
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed) (RFC 5246 5). */
export function prf(
  hash: PrfHash,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Buffer {
  return pHash(hash, secret, Buffer.concat([Buffer.from(label, 'latin1'), seed]), length);
}

/** RFC 7627 4: the master secret bound to the whole handshake up to ClientKeyExchange. */
export function extendedMasterSecret(
  hash: PrfHash,
  preMasterSecret: Uint8Array,
  sessionHash: Uint8Array,
): Buffer {
  return prf(hash, preMasterSecret, 'extended master secret', sessionHash, 48);
}

/** RFC 5246 8.1: the legacy master secret; kept for tests and for peers without EMS (which we refuse). */
export function masterSecret(
  hash: PrfHash,
  preMasterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Buffer {
  return prf(hash, preMasterSecret, 'master secret', Buffer.concat([clientRandom, serverRandom]), 48);
}

export interface KeyBlock {
  clientWriteKey: Buffer;
  serverWriteKey: Buffer;
  clientWriteIv: Buffer;
  serverWriteIv: Buffer;
}

/** RFC 5246 6.3: AEAD suites have no MAC keys, so the block is keys then fixed IVs. */
export function expandKeyBlock(
  hash: PrfHash,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  keyLength: number,
  ivLength: number,
): KeyBlock {
  const block = prf(
    hash,
    master,
    'key expansion',
    Buffer.concat([serverRandom, clientRandom]),
    2 * (keyLength + ivLength),
  );
  let o = 0;
  const take = (n: number) => {
    const b = block.subarray(o, o + n);
    o += n;
    return b;
  };
  return {
    clientWriteKey: take(keyLength),
    serverWriteKey: take(keyLength),
    clientWriteIv: take(ivLength),
    serverWriteIv: take(ivLength),
  };
}

/** RFC 5705 4: keying material exporter; the context, when present, is length-prefixed. */
export function exportKeyingMaterial(
  hash: PrfHash,
  master: Uint8Array,
  label: string,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  length: number,
  context?: Uint8Array,
): Buffer {
  const parts: Uint8Array[] = [clientRandom, serverRandom];
  if (context) {
    if (context.length > 0xffff) throw new RangeError('exporter context longer than 65535 bytes');
    const len = Buffer.allocUnsafe(2);
    len.writeUInt16BE(context.length);
    parts.push(len, context);
  }
  return prf(hash, master, label, Buffer.concat(parts), length);
}

/** verify_data for Finished (RFC 5246 7.4.9); 12 bytes for every suite we offer. */
export function finishedVerifyData(
  hash: PrfHash,
  master: Uint8Array,
  role: 'client' | 'server',
  transcriptHash: Uint8Array,
): Buffer {
  return prf(hash, master, role === 'client' ? 'client finished' : 'server finished', transcriptHash, 12);
}
