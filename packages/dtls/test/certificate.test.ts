import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { time } from '../src/cert/der.js';
import { certificatePublicKey } from '../src/cert/spki.js';
import { DtlsParseError } from '../src/errors.js';
import { DtlsCertificate, fingerprint, generateCertificate, matchesAnyFingerprint } from '../src/index.js';
import { hasOpenSsl, tempPem } from './interop-helpers.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('self-signed certificates', () => {
  for (const keyType of ['ecdsa', 'rsa'] as const) {
    it(`generates a ${keyType} certificate node can parse and verify`, () => {
      const c = generateCertificate({ keyType, now: NOW });
      const x = new X509Certificate(c.der);
      expect(x.verify(x.publicKey)).toBe(true);
      expect(x.subject).toBe('CN=WebRTC');
      expect(x.issuer).toBe('CN=WebRTC');
      expect(Date.parse(x.validFrom)).toBe(NOW - 86_400_000);
      expect(c.expires).toBe(NOW + 30 * 86_400_000);
      expect(x.publicKey.asymmetricKeyType).toBe(keyType === 'ecdsa' ? 'ec' : 'rsa');
      if (keyType === 'rsa') expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      else expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(c.keyType).toBe(keyType);
    });
  }

  it('round-trips through PEM', () => {
    const c = generateCertificate({ now: NOW, validityMs: 3_600_000, commonName: 'x' });
    const back = DtlsCertificate.fromPem(c.toPem().cert, c.toPem().key);
    expect(back.der).toEqual(c.der);
    expect(back.expires).toBe(NOW + 3_600_000);
  });

  it('refuses a key that does not belong to the certificate', () => {
    const a = generateCertificate({ now: NOW });
    const b = generateCertificate({ now: NOW });
    expect(() => new DtlsCertificate(a.der, b.privateKey)).toThrow();
  });

  it('writes UTCTime before 2050 and GeneralizedTime after (RFC 5280 4.1.2.5)', () => {
    expect(
      time(Date.UTC(2026, 0, 2, 3, 4, 5))
        .subarray(2)
        .toString(),
    ).toBe('260102030405Z');
    expect(time(Date.UTC(2000, 1, 29, 23, 59, 59))[0]).toBe(0x17);
    expect(
      time(Date.UTC(2051, 11, 31, 0, 0, 0))
        .subarray(2)
        .toString(),
    ).toBe('20511231000000Z');
  });

  it('formats fingerprints as SDP does and matches them case-insensitively', () => {
    const c = generateCertificate({ now: NOW });
    const fp = fingerprint(c.der, 'sha-256');
    expect(fp.algorithm).toBe('sha-256');
    expect(fp.value).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(fingerprint(c.der, 'sha-512').value.split(':').length).toBe(64);
    expect(c.getFingerprints(['sha-256', 'sha-384']).map((f) => f.algorithm)).toEqual(['sha-256', 'sha-384']);
    expect(matchesAnyFingerprint(c.der, [{ algorithm: 'SHA-256', value: fp.value.toLowerCase() }])).toBe(
      true,
    );
    expect(matchesAnyFingerprint(c.der, [{ algorithm: 'md5', value: fp.value }])).toBe(false);
    expect(matchesAnyFingerprint(c.der, [{ algorithm: 'sha-256', value: 'zz' }])).toBe(false);
    expect(matchesAnyFingerprint(c.der, [])).toBe(false);
  });

  it.skipIf(!hasOpenSsl())('openssl accepts the encoding and the self-signature', () => {
    const tmp = tempPem({
      e: generateCertificate({ now: Date.now() }),
      r: generateCertificate({ keyType: 'rsa', now: Date.now() }),
    });
    try {
      for (const name of ['e', 'r']) {
        const crt = join(tmp.dir, `${name}.crt`);
        const r = spawnSync('openssl', ['verify', '-CAfile', crt, crt], { encoding: 'utf8' });
        expect(r.stdout.trim()).toBe(`${crt}: OK`);
      }
    } finally {
      tmp.dispose();
    }
  });
});

describe('generated certificates are not parsed again', () => {
  it('carry the same key, type and expiry a parse of their DER gives', () => {
    for (const keyType of ['ecdsa', 'rsa'] as const) {
      const c = generateCertificate({ keyType, now: NOW + 1234 });
      const parsed = new DtlsCertificate(c.der, c.privateKey);
      expect(c.keyType).toBe(parsed.keyType);
      expect(c.expires).toBe(parsed.expires);
      expect(c.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
        parsed.publicKey.export({ type: 'spki', format: 'der' }),
      );
    }
  });
});

describe('subjectPublicKeyInfo extraction', () => {
  it('finds the same key node does, for both key types', () => {
    for (const keyType of ['ecdsa', 'rsa'] as const) {
      const c = generateCertificate({ keyType, now: NOW });
      const ours = certificatePublicKey(c.der).export({ type: 'spki', format: 'der' });
      expect(ours).toEqual(new X509Certificate(c.der).publicKey.export({ type: 'spki', format: 'der' }));
    }
  });

  it('only throws DtlsParseError on arbitrary or mutated certificates', () => {
    const der = generateCertificate({ now: NOW }).der;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }),
        (junk, flips) => {
          for (const input of [Buffer.from(junk), Buffer.from(der)]) {
            for (const [pos, v] of flips) if (input.length > 0) input[pos % input.length] = v;
            try {
              certificatePublicKey(input);
            } catch (e) {
              expect(e).toBeInstanceOf(DtlsParseError);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
