import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../src/bytes.js';
import { DtlsParseError } from '../src/errors.js';
import {
  ecPointFormats,
  parseExtensions,
  renegotiationInfo,
  signatureAlgorithms,
  supportedGroups,
  useSrtp,
} from '../src/handshake/extensions.js';
import {
  encodeHandshakeFragment,
  fragmentMessage,
  type HandshakeFragment,
  parseHandshakeFragments,
} from '../src/handshake/fragment.js';
import { encodeCertificate, parseCertificate } from '../src/handshake/messages/certificate.js';
import {
  encodeCertificateRequest,
  parseCertificateRequest,
} from '../src/handshake/messages/certificate-request.js';
import {
  encodeCertificateVerify,
  parseCertificateVerify,
} from '../src/handshake/messages/certificate-verify.js';
import {
  type ClientHello,
  encodeClientHello,
  parseClientHello,
} from '../src/handshake/messages/client-hello.js';
import {
  encodeClientKeyExchange,
  parseClientKeyExchange,
} from '../src/handshake/messages/client-key-exchange.js';
import { parseFinished } from '../src/handshake/messages/finished.js';
import {
  encodeHelloVerifyRequest,
  parseHelloVerifyRequest,
} from '../src/handshake/messages/hello-verify-request.js';
import { encodeServerHello, parseServerHello } from '../src/handshake/messages/server-hello.js';
import {
  encodeServerKeyExchange,
  parseServerKeyExchange,
} from '../src/handshake/messages/server-key-exchange.js';
import { HandshakeReassembler } from '../src/handshake/reassembler.js';
import { encodeAlert, parseAlert } from '../src/record/alert.js';
import { encodeRecord, parseDatagram, parseRecord } from '../src/record/record.js';

const bytes = (max = 300): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

/** Runs a parser on arbitrary bytes: anything but DtlsParseError fails; accepted input round-trips. */
function checkParser<T>(
  name: string,
  parse: (b: Buffer) => T,
  encode: (v: T) => Buffer,
  gen = bytes(),
): void {
  it(`${name}: only DtlsParseError on arbitrary bytes, and round-trips what it accepts`, () => {
    fc.assert(
      fc.property(gen, (b) => {
        let v: T;
        try {
          v = parse(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DtlsParseError);
          return;
        }
        expect(parse(encode(v))).toEqual(v);
      }),
      { numRuns: 1000 },
    );
  });
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const ext = fc.record({ type: u16, data: bytes(40) });
const uniqueExts = fc.uniqueArray(ext, { selector: (e) => e.type, maxLength: 6 });

const clientHelloArb: fc.Arbitrary<ClientHello> = fc.record({
  version: u16,
  random: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a)),
  sessionId: bytes(32),
  cookie: bytes(255),
  cipherSuites: fc.array(u16, { minLength: 1, maxLength: 20 }),
  compressionMethods: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 }),
  extensions: uniqueExts,
});

describe('record and handshake parsers (property)', () => {
  it('datagram splitter never throws and re-encodes byte-identically', () => {
    fc.assert(
      fc.property(bytes(200), (b) => {
        const { records, malformed } = parseDatagram(b);
        if (!malformed) expect(Buffer.concat(records.map(encodeRecord))).toEqual(b);
      }),
      { numRuns: 3000 },
    );
  });

  it('generated records survive the splitter', () => {
    const rec = fc.record({
      type: fc.constantFrom(20, 21, 22, 23),
      version: fc.constantFrom(0xfefd, 0xfeff),
      epoch: u16,
      seq: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
      fragment: bytes(100),
    });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 5 }), (records) => {
        const parsed = parseDatagram(Buffer.concat(records.map(encodeRecord)));
        expect(parsed.malformed).toBe(false);
        expect(parsed.records).toEqual(records);
      }),
    );
  });

  checkParser(
    'parseRecord',
    (b) => {
      const r = new ByteReader(b);
      const rec = parseRecord(r);
      r.end();
      return rec;
    },
    encodeRecord,
  );

  checkParser('handshake fragments', parseHandshakeFragments, (fs) =>
    Buffer.concat(fs.map(encodeHandshakeFragment)),
  );

  checkParser('ClientHello', parseClientHello, encodeClientHello);
  it('ClientHello generated round trip', () => {
    fc.assert(
      fc.property(clientHelloArb, (ch) => {
        expect(parseClientHello(encodeClientHello(ch))).toEqual(ch);
      }),
    );
  });
  checkParser(
    'ClientHello (mutated valid input)',
    parseClientHello,
    encodeClientHello,
    mutated(clientHelloArb.map(encodeClientHello)),
  );
  checkParser('ServerHello', parseServerHello, encodeServerHello);
  checkParser('HelloVerifyRequest', parseHelloVerifyRequest, encodeHelloVerifyRequest);
  checkParser('Certificate', parseCertificate, encodeCertificate);
  checkParser('ServerKeyExchange', parseServerKeyExchange, encodeServerKeyExchange);
  checkParser('CertificateRequest', parseCertificateRequest, encodeCertificateRequest);
  checkParser('ClientKeyExchange', parseClientKeyExchange, encodeClientKeyExchange);
  checkParser('CertificateVerify', parseCertificateVerify, encodeCertificateVerify);
  checkParser('Finished', parseFinished, (b) => b);
  checkParser('Alert', parseAlert, encodeAlert);
  checkParser(
    'extensions block',
    (b) => {
      const r = new ByteReader(b);
      const e = parseExtensions(r);
      r.end();
      return e;
    },
    (e) => {
      const inner = Buffer.concat(
        e.map((x) => {
          const h = Buffer.alloc(4);
          h.writeUInt16BE(x.type);
          h.writeUInt16BE(x.data.length, 2);
          return Buffer.concat([h, x.data]);
        }),
      );
      const len = Buffer.alloc(2);
      len.writeUInt16BE(inner.length);
      return e.length === 0 ? Buffer.alloc(0) : Buffer.concat([len, inner]);
    },
  );
  checkParser(
    'use_srtp',
    (b) => useSrtp.decode({ type: 14, data: b }),
    (v) => useSrtp.encode(v).data,
  );
  checkParser(
    'supported_groups',
    (b) => supportedGroups.decode({ type: 10, data: b }),
    (v) => supportedGroups.encode(v).data,
  );
  checkParser(
    'signature_algorithms',
    (b) => signatureAlgorithms.decode({ type: 13, data: b }),
    (v) => signatureAlgorithms.encode(v).data,
  );
  checkParser(
    'renegotiation_info',
    (b) => renegotiationInfo.decode({ type: 0xff01, data: b }),
    (v) => Buffer.concat([Buffer.of(v.length), v]),
  );
  it('ec_point_formats: only DtlsParseError', () => {
    fc.assert(
      fc.property(bytes(20), (b) => {
        try {
          ecPointFormats.decode({ type: 11, data: b });
        } catch (e) {
          expect(e).toBeInstanceOf(DtlsParseError);
        }
      }),
    );
  });
});

/** Valid encodings with a few bytes flipped, truncated or extended: closer to the parser's edge cases. */
function mutated(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      fc.integer({ min: -4, max: 4 }),
    )
    .map(([b, flips, resize]) => {
      const out = Buffer.from(b);
      for (const [pos, v] of flips) if (out.length > 0) out[pos % out.length] = v;
      if (resize < 0) return out.subarray(0, Math.max(0, out.length + resize));
      return Buffer.concat([out, Buffer.alloc(resize, 0x41)]);
    });
}

describe('handshake reassembly (property)', () => {
  it('rebuilds a message from shuffled, duplicated, overlapping fragments', () => {
    fc.assert(
      fc.property(
        bytes(3000).filter((b) => b.length > 0),
        fc.array(fc.integer({ min: 13, max: 400 }), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        (body, sizes, seed) => {
          let frags: HandshakeFragment[] = [];
          for (const size of sizes) frags.push(...fragmentMessage(11, 0, body, size));
          // Deterministic shuffle from the seed.
          let s = seed;
          frags = frags
            .map((f) => {
              s = (s * 1103515245 + 12345) | 0;
              return { f, k: s };
            })
            .sort((a, b) => a.k - b.k)
            .map((x) => x.f);
          const r = new HandshakeReassembler({
            maxMessageSize: 65536,
            maxMessagesAhead: 4,
            maxRangesPerMessage: 2000,
          });
          for (const f of frags) r.add(f, 0);
          const msg = r.next();
          expect(msg?.body).toEqual(body);
          expect(msg?.msgType).toBe(11);
          expect(r.next()).toBeUndefined();
        },
      ),
    );
  });
});
