import {
  type CipherGCMTypes,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
} from 'node:crypto';
import { canUseJsGcm } from '@purertc/common';
import { ownedCopy } from '../bytes.js';
import { ContentType } from '../constants.js';
import { Dtls12GcmJs } from './gcm-js.js';
import type { AeadAlgorithm } from './suites.js';

const TAG_LENGTH = 16;
/** RFC 5288 3: GCM records carry the 8-byte nonce_explicit in front of the ciphertext. */
const GCM_EXPLICIT_NONCE_LENGTH = 8;
export const DTLS12_HEADER_LENGTH = 13;
/**
 * Largest plaintext sealed and opened by the JS GCM path (gcm-js.ts). Node's GCM costs about 5 us
 * a record whatever its size; the JS path about 1.3 us at 40 bytes, 3.5 us at 200, and breaks even
 * near 320 (AES-128) to 384 bytes (AES-256) on a 2-core x86-64 (packages/dtls/bench/gcm-crossover.ts).
 */
export const DEFAULT_MAX_JS_PLAINTEXT = 256;
/**
 * Small application-data records a direction carries on Node's GCM before it builds the JS path.
 * Most of a server's connections are idle most of the time (a HEARTBEAT every 30 s, a few
 * control messages), and the JS path's state costs about 7 KiB per direction; a connection that
 * exchanges small messages or SACKs passes this within its first burst and gets the cheap path.
 */
export const DEFAULT_JS_AFTER_RECORDS = 64;

/**
 * One direction of DTLS 1.2 AEAD record protection. The header layout and additional data follow
 * RFC 6347 4.1.2.1 with RFC 5246 6.2.3.3: AAD = epoch(2) seq(6) type(1) version(2) length(2).
 */
export class Dtls12RecordAead {
  private readonly nonce = Buffer.alloc(12);
  private readonly aad = Buffer.alloc(13);
  private readonly explicitLength: number;
  /** A KeyObject spares node:crypto validating and copying raw key bytes for every record. */
  private readonly key: KeyObject;
  private readonly fixedIv: Buffer;
  /** Kept only until the JS path is built. */
  private rawKey: Buffer | undefined;
  /**
   * Built once `jsAfterRecords` small application-data records went through Node in this
   * direction: handshake records (Finished, alerts) never count, so a connection that carries only
   * SRTP keys, or little data, never pays for the JS path's memory (about 7 KiB per direction:
   * GHASH key powers, stage, one keystream batch of at most 2 KiB).
   */
  private js: Dtls12GcmJs | undefined;
  private smallRecords = 0;
  /** Plaintexts up to this length take the JS GCM path; -1 when it is off (ChaCha20, big-endian). */
  private readonly maxJsPlaintext: number;
  readonly overhead: number;

  constructor(
    private readonly algorithm: AeadAlgorithm,
    key: Buffer,
    fixedIv: Buffer,
    maxJsPlaintext = DEFAULT_MAX_JS_PLAINTEXT,
    private readonly jsAfterRecords = DEFAULT_JS_AFTER_RECORDS,
  ) {
    this.key = createSecretKey(key);
    this.fixedIv = ownedCopy(fixedIv);
    this.explicitLength = algorithm === 'chacha20-poly1305' ? 0 : GCM_EXPLICIT_NONCE_LENGTH;
    this.overhead = this.explicitLength + TAG_LENGTH;
    this.maxJsPlaintext = algorithm !== 'chacha20-poly1305' && canUseJsGcm ? maxJsPlaintext : -1;
    this.rawKey = this.maxJsPlaintext >= 0 ? ownedCopy(key) : undefined;
  }

  /** The JS path for a small application-data record, once this direction has earned it. */
  private jsGcm(): Dtls12GcmJs | undefined {
    if (!this.js) {
      if (this.smallRecords++ < this.jsAfterRecords) return undefined;
      this.js = new Dtls12GcmJs(this.rawKey!, this.fixedIv, this.maxJsPlaintext);
      this.rawKey = undefined;
    }
    return this.js;
  }

  private setNonce(epoch: number, seq: number, explicit?: Buffer): void {
    if (this.algorithm === 'chacha20-poly1305') {
      // RFC 7905 2: the 64-bit sequence number, left-padded, XORed into the 12-byte IV.
      this.fixedIv.copy(this.nonce, 0, 0, 12);
      const hi = Math.floor(seq / 0x1000000);
      const lo = seq % 0x1000000;
      this.nonce[4]! ^= epoch >>> 8;
      this.nonce[5]! ^= epoch & 0xff;
      this.nonce[6]! ^= (hi >>> 16) & 0xff;
      this.nonce[7]! ^= (hi >>> 8) & 0xff;
      this.nonce[8]! ^= hi & 0xff;
      this.nonce[9]! ^= (lo >>> 16) & 0xff;
      this.nonce[10]! ^= (lo >>> 8) & 0xff;
      this.nonce[11]! ^= lo & 0xff;
      return;
    }
    this.fixedIv.copy(this.nonce, 0, 0, 4);
    if (explicit) {
      explicit.copy(this.nonce, 4, 0, 8);
    } else {
      // The explicit part only needs to be unique per key; epoch||seq is, and costs nothing.
      this.nonce.writeUInt16BE(epoch, 4);
      this.nonce.writeUIntBE(seq, 6, 6);
    }
  }

  private setAad(type: number, version: number, epoch: number, seq: number, length: number): void {
    this.aad.writeUInt16BE(epoch, 0);
    this.aad.writeUIntBE(seq, 2, 6);
    this.aad[8] = type;
    this.aad.writeUInt16BE(version, 9);
    this.aad.writeUInt16BE(length, 11);
  }

  /** Returns the whole protected record, header included, in one allocation. */
  seal(type: number, version: number, epoch: number, seq: number, plaintext: Uint8Array): Buffer {
    if (type === ContentType.application_data && plaintext.length <= this.maxJsPlaintext) {
      const js = this.jsGcm();
      if (js) return js.seal(type, version, epoch, seq, plaintext);
    }
    const bodyLength = this.explicitLength + plaintext.length + TAG_LENGTH;
    const out = Buffer.allocUnsafe(DTLS12_HEADER_LENGTH + bodyLength);
    out[0] = type;
    out.writeUInt16BE(version, 1);
    out.writeUInt16BE(epoch, 3);
    out.writeUIntBE(seq, 5, 6);
    out.writeUInt16BE(bodyLength, 11);
    this.setNonce(epoch, seq);
    let o = DTLS12_HEADER_LENGTH;
    if (this.explicitLength > 0) {
      this.nonce.copy(out, o, 4, 12);
      o += this.explicitLength;
    }
    this.setAad(type, version, epoch, seq, plaintext.length);
    const cipher = createCipheriv(this.algorithm as CipherGCMTypes, this.key, this.nonce, {
      authTagLength: TAG_LENGTH,
    });
    // plaintextLength matters only to CCM; leaving the options out skips their validation.
    cipher.setAAD(this.aad);
    o += cipher.update(plaintext).copy(out, o);
    o += cipher.final().copy(out, o);
    cipher.getAuthTag().copy(out, o);
    return out;
  }

  /** Returns the plaintext, or undefined when the record does not authenticate. */
  open(type: number, version: number, epoch: number, seq: number, fragment: Buffer): Buffer | undefined {
    const plaintextLength = fragment.length - this.overhead;
    if (plaintextLength < 0) return undefined;
    if (type === ContentType.application_data && plaintextLength <= this.maxJsPlaintext) {
      const js = this.jsGcm();
      if (js) return js.open(type, version, epoch, seq, fragment);
    }
    this.setNonce(
      epoch,
      seq,
      this.explicitLength > 0 ? fragment.subarray(0, this.explicitLength) : undefined,
    );
    this.setAad(type, version, epoch, seq, plaintextLength);
    // ChaCha20-Poly1305 shares GCM's AEAD interface in node; the cast only picks that overload.
    const decipher = createDecipheriv(this.algorithm as CipherGCMTypes, this.key, this.nonce, {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAuthTag(fragment.subarray(fragment.length - TAG_LENGTH));
    decipher.setAAD(this.aad);
    const ciphertext = fragment.subarray(this.explicitLength, fragment.length - TAG_LENGTH);
    try {
      const head = decipher.update(ciphertext);
      const tail = decipher.final();
      return tail.length === 0 ? head : Buffer.concat([head, tail]);
    } catch {
      return undefined;
    }
  }
}

/** A plain AEAD seal (ciphertext || tag); the record class inlines the same steps to avoid a copy. */
export function aeadSeal(
  algorithm: AeadAlgorithm,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Buffer {
  const cipher = createCipheriv(algorithm as CipherGCMTypes, key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The inverse of aeadSeal; undefined when the tag does not verify. */
export function aeadOpen(
  algorithm: AeadAlgorithm,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Buffer | undefined {
  if (sealed.length < TAG_LENGTH) return undefined;
  const ciphertext = sealed.subarray(0, sealed.length - TAG_LENGTH);
  const decipher = createDecipheriv(algorithm as CipherGCMTypes, key, nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad, { plaintextLength: ciphertext.length });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
