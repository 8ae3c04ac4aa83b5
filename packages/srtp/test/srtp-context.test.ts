import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deriveSessionKeys,
  parseRtcp,
  type RtpPacket,
  SrtpContext,
  SrtpError,
  SrtpProfile,
  type SrtpProfileId,
  SrtpSession,
  serializeRtcp,
  serializeRtp,
  srtpKeysFromExporter,
  srtpProfileParameters,
} from '../src/index.js';
import { createTransform } from '../src/srtp/srtp-context.js';

const PROFILES: SrtpProfileId[] = [1, 2, 7, 8];

function keysFor(profile: SrtpProfileId, seed = 1) {
  const p = srtpProfileParameters(profile);
  return {
    masterKey: Uint8Array.from({ length: p.keyLength }, (_, i) => (i * 7 + seed) & 0xff),
    masterSalt: Uint8Array.from({ length: p.saltLength }, (_, i) => (i * 13 + seed * 3) & 0xff),
  };
}

function pair(profile: SrtpProfileId, replayWindowSize?: number, maxSsrcs?: number) {
  const keys = keysFor(profile);
  return {
    sender: new SrtpContext({ profile, ...keys }),
    receiver: new SrtpContext({ profile, ...keys, replayWindowSize, maxSsrcs }),
    keys,
  };
}

function rtp(seq: number, ssrc = 0x11223344, payload = 40): Uint8Array {
  return serializeRtp({
    marker: false,
    payloadType: 96,
    sequenceNumber: seq,
    timestamp: seq * 960,
    ssrc,
    csrcs: [],
    extension: undefined,
    payload: Uint8Array.from({ length: payload }, (_, i) => (i + seq) & 0xff),
    paddingLength: 0,
  });
}

const ok = (r: { ok: boolean }) => r.ok;
const reason = (r: { ok: true } | { ok: false; reason: string }) => (r.ok ? 'ok' : r.reason);

describe('SRTP round trip', () => {
  for (const profile of PROFILES) {
    it(`profile ${profile}: protect then unprotect is the identity, with the right overhead`, () => {
      const { sender, receiver } = pair(profile);
      const plain = rtp(1000);
      const prot = sender.protectRtp(plain);
      expect(prot.length).toBe(plain.length + srtpProfileParameters(profile).rtpTagLength);
      expect(Buffer.from(prot.subarray(12, plain.length)).equals(Buffer.from(plain.subarray(12)))).toBe(
        false,
      );
      const r = receiver.unprotectRtp(prot);
      expect(r.ok && Buffer.from(r.packet).equals(Buffer.from(plain))).toBe(true);
      const rtcp = serializeRtcp([
        { type: 'rr', ssrc: 0x55, reports: [], profileExtension: new Uint8Array(0) },
      ]);
      const sr = sender.protectRtcp(rtcp);
      const back = receiver.unprotectRtcp(sr);
      expect(back.ok && Buffer.from(back.packet).equals(Buffer.from(rtcp))).toBe(true);
    });
  }
});

describe('output buffers', () => {
  it('leave no HMAC key material in the bytes around the returned packet', () => {
    const { sender, receiver } = pair(1);
    const keys = keysFor(1);
    const authKey = deriveSessionKeys(1, keys.masterKey, keys.masterSalt).rtpAuthKey;
    const innerPadStart = Buffer.from(authKey.subarray(0, 8).map((b) => b ^ 0x36));
    const prot = sender.protectRtp(rtp(1));
    const r = receiver.unprotectRtp(prot);
    for (const out of [prot, r.ok ? r.packet : new Uint8Array(0)]) {
      const backing = Buffer.from(
        out.buffer,
        out.byteOffset - Math.min(out.byteOffset, 64),
        Math.min(out.byteOffset, 64),
      );
      expect(backing.indexOf(innerPadStart)).toBe(-1);
    }
  });
});

describe('rollover counter (RFC 3711 3.3.1)', () => {
  /** The ROC a packet was protected with is checked against the transform directly, not via the context. */
  function rocOf(profile: SrtpProfileId, protectedPacket: Uint8Array): number | undefined {
    const keys = keysFor(profile);
    const t = createTransform(profile, deriveSessionKeys(profile, keys.masterKey, keys.masterSalt));
    const seq = (protectedPacket[2]! << 8) | protectedPacket[3]!;
    for (let roc = 0; roc < 4; roc++) {
      if (t.unprotectRtp(protectedPacket, 12, 0x11223344, roc, seq)) return roc;
    }
    return undefined;
  }

  it('the sender increments ROC when SEQ wraps, and the receiver follows', () => {
    const { sender, receiver } = pair(1);
    const seqs = [65533, 65534, 65535, 0, 1, 2];
    const prot = seqs.map((s) => sender.protectRtp(rtp(s)));
    expect(prot.map((p) => rocOf(1, p))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(prot.map((p) => reason(receiver.unprotectRtp(p)))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('a packet from before the wrap, arriving after it, uses ROC - 1', () => {
    const { sender, receiver } = pair(2);
    const p65534 = sender.protectRtp(rtp(65534));
    const p65535 = sender.protectRtp(rtp(65535));
    const p0 = sender.protectRtp(rtp(0));
    const p1 = sender.protectRtp(rtp(1));
    expect(reason(receiver.unprotectRtp(p65534))).toBe('ok');
    expect(reason(receiver.unprotectRtp(p0))).toBe('ok');
    expect(reason(receiver.unprotectRtp(p1))).toBe('ok');
    // s_l = 1 < 2^15 and SEQ - s_l > 2^15: v = ROC - 1.
    expect(reason(receiver.unprotectRtp(p65535))).toBe('ok');
    // And once more it is a replay.
    expect(reason(receiver.unprotectRtp(p65535))).toBe('replay');
  });

  it('a packet from after the wrap, arriving first, uses ROC + 1', () => {
    const { sender, receiver } = pair(7);
    const a = sender.protectRtp(rtp(40000));
    const b = sender.protectRtp(rtp(65535));
    const c = sender.protectRtp(rtp(3));
    expect(reason(receiver.unprotectRtp(a))).toBe('ok');
    // s_l = 40000 >= 2^15 and s_l - 2^15 > SEQ: v = ROC + 1.
    expect(reason(receiver.unprotectRtp(c))).toBe('ok');
    expect(reason(receiver.unprotectRtp(b))).toBe('ok');
  });

  it('a jump of more than 2^15 backwards at ROC 0 is treated as older than the stream', () => {
    const { sender, receiver } = pair(1);
    const first = sender.protectRtp(rtp(100));
    expect(reason(receiver.unprotectRtp(first))).toBe('ok');
    // SEQ - s_l = 65400 > 2^15 with ROC 0 would need ROC = -1: dropped, not wrapped backwards.
    const other = new SrtpContext({ profile: 1, ...keysFor(1) });
    expect(reason(receiver.unprotectRtp(other.protectRtp(rtp(65500))))).toBe('replay');
  });
});

describe('replay protection (RFC 3711 3.3.2)', () => {
  it('drops repeats and packets older than the window, accepts reordering inside it', () => {
    const { sender, receiver } = pair(1);
    const prot = Array.from({ length: 200 }, (_, i) => sender.protectRtp(rtp(1000 + i)));
    expect(reason(receiver.unprotectRtp(prot[150]!))).toBe('ok');
    expect(reason(receiver.unprotectRtp(prot[150]!))).toBe('replay');
    // 150 - 100 = 50 < 64: inside the window.
    expect(reason(receiver.unprotectRtp(prot[100]!))).toBe('ok');
    expect(reason(receiver.unprotectRtp(prot[100]!))).toBe('replay');
    // 150 - 80 = 70 >= 64: too old.
    expect(reason(receiver.unprotectRtp(prot[80]!))).toBe('replay');
    expect(receiver.stats.dropped.replay).toBe(3);
  });

  it('a larger window accepts older packets', () => {
    const { sender, receiver } = pair(8, 1024);
    const prot = Array.from({ length: 1100 }, (_, i) => sender.protectRtp(rtp(i)));
    expect(reason(receiver.unprotectRtp(prot[1099]!))).toBe('ok');
    expect(reason(receiver.unprotectRtp(prot[100]!))).toBe('ok');
    expect(reason(receiver.unprotectRtp(prot[50]!))).toBe('replay');
  });

  it('a far jump ahead is accepted and clears the window', () => {
    const { sender, receiver } = pair(1);
    const early = sender.protectRtp(rtp(10));
    const far = sender.protectRtp(rtp(30010));
    expect(reason(receiver.unprotectRtp(early))).toBe('ok');
    expect(reason(receiver.unprotectRtp(far))).toBe('ok');
    expect(reason(receiver.unprotectRtp(early))).toBe('replay');
  });

  it('a forged packet neither advances the window nor creates state', () => {
    const { sender, receiver } = pair(1, 64, 1);
    const genuine = [sender.protectRtp(rtp(10)), sender.protectRtp(rtp(11))];
    expect(reason(receiver.unprotectRtp(genuine[0]!))).toBe('ok');
    const forged = Uint8Array.from(sender.protectRtp(rtp(5000)));
    forged[forged.length - 1]! ^= 1;
    expect(reason(receiver.unprotectRtp(forged))).toBe('auth');
    // Had the forgery moved the window to 5000, packet 11 would now be too old.
    expect(reason(receiver.unprotectRtp(genuine[1]!))).toBe('ok');
    // A forged packet of a new SSRC must not take the only SSRC slot.
    const stranger = Uint8Array.from(sender.protectRtp(rtp(1, 0x99)));
    stranger[20]! ^= 4;
    expect(reason(receiver.unprotectRtp(stranger))).toBe('ssrc-limit');
    expect(receiver.stats.dropped.auth).toBe(1);
  });

  it('bounds the number of SSRCs', () => {
    const { sender, receiver } = pair(7, 64, 2);
    expect(reason(receiver.unprotectRtp(sender.protectRtp(rtp(1, 1))))).toBe('ok');
    expect(reason(receiver.unprotectRtp(sender.protectRtp(rtp(1, 2))))).toBe('ok');
    expect(reason(receiver.unprotectRtp(sender.protectRtp(rtp(1, 3))))).toBe('ssrc-limit');
    const limited = new SrtpContext({ profile: 1, ...keysFor(1), maxSsrcs: 1 });
    limited.protectRtp(rtp(1, 1));
    expect(() => limited.protectRtp(rtp(1, 2))).toThrow(SrtpError);
  });
});

describe('SRTCP (RFC 3711 3.4, RFC 7714 9)', () => {
  const sr = serializeRtcp([
    {
      type: 'sr',
      ssrc: 0xabcdef01,
      ntpSeconds: 1,
      ntpFraction: 2,
      rtpTimestamp: 3,
      packetCount: 4,
      octetCount: 5,
      reports: [],
      profileExtension: new Uint8Array(0),
    },
  ]);

  for (const profile of PROFILES) {
    it(`profile ${profile}: sets the E flag, counts the index up and drops replays`, () => {
      const { sender, receiver } = pair(profile);
      const tag = srtpProfileParameters(profile).rtcpTagLength;
      const a = sender.protectRtcp(sr);
      const b = sender.protectRtcp(sr);
      expect(a.length).toBe(sr.length + 4 + tag);
      const wordAt = profile >= 7 ? a.length - 4 : a.length - tag - 4;
      expect(Buffer.from(a).readUInt32BE(wordAt)).toBe(0x80000000);
      expect(Buffer.from(b).readUInt32BE(wordAt)).toBe(0x80000001);
      expect(reason(receiver.unprotectRtcp(b))).toBe('ok');
      expect(reason(receiver.unprotectRtcp(a))).toBe('ok');
      expect(reason(receiver.unprotectRtcp(a))).toBe('replay');
      const r = receiver.unprotectRtcp(sender.protectRtcp(sr));
      expect(r.ok && parseRtcp(r.packet)[0]!.type).toBe('sr');
    });
  }

  it('rejects a flipped E flag', () => {
    const { sender, receiver } = pair(1);
    const a = Uint8Array.from(sender.protectRtcp(sr));
    a[a.length - 14]! ^= 0x80;
    expect(reason(receiver.unprotectRtcp(a))).toBe('auth');
  });
});

describe('bad input', () => {
  it('returns malformed for short, wrong-version and overrunning packets without state change', () => {
    for (const profile of PROFILES) {
      const { receiver, sender } = pair(profile);
      const bad = [
        new Uint8Array(0),
        new Uint8Array(12),
        Uint8Array.from([0x40, ...new Uint8Array(40)]),
        Uint8Array.from([0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, ...new Uint8Array(30)]),
      ];
      for (const b of bad) {
        expect(reason(receiver.unprotectRtp(b))).toBe('malformed');
        expect(reason(receiver.unprotectRtcp(b))).toBe('malformed');
      }
      expect(() => sender.protectRtp(new Uint8Array(5))).toThrow(SrtpError);
      expect(() => sender.protectRtcp(new Uint8Array(5))).toThrow(SrtpError);
      expect(receiver.stats.dropped.malformed).toBe(8);
      expect(reason(receiver.unprotectRtp(sender.protectRtp(rtp(1))))).toBe('ok');
    }
  });

  it('rejects keys of the wrong size', () => {
    expect(
      () => new SrtpContext({ profile: 7, masterKey: new Uint8Array(16), masterSalt: new Uint8Array(14) }),
    ).toThrow(RangeError);
  });
});

describe('DTLS-SRTP key layout (RFC 5764 4.2)', () => {
  it('splits client key, server key, client salt, server salt', () => {
    const material = Uint8Array.from({ length: 60 }, (_, i) => i);
    const { client, server } = srtpKeysFromExporter(material, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    expect([...client.masterKey]).toEqual([...Array(16).keys()]);
    expect([...server.masterKey]).toEqual([...Array(16).keys()].map((i) => i + 16));
    expect([...client.masterSalt]).toEqual([...Array(14).keys()].map((i) => i + 32));
    expect([...server.masterSalt]).toEqual([...Array(14).keys()].map((i) => i + 46));
    const gcm256 = srtpKeysFromExporter(
      new Uint8Array(88).map((_, i) => i),
      SrtpProfile.AEAD_AES_256_GCM,
    );
    expect(gcm256.server.masterSalt[0]).toBe(76);
    expect(() => srtpKeysFromExporter(new Uint8Array(10), 1)).toThrow(RangeError);
  });

  it('client and server sessions built from one exporter output talk to each other', () => {
    const material = Uint8Array.from({ length: 56 }, (_, i) => i * 3);
    const client = SrtpSession.fromExporter(material, 7, 'client');
    const server = SrtpSession.fromExporter(material, 7, 'server');
    const r = server.unprotectRtp(client.protectRtp(rtp(9)));
    expect(r.ok).toBe(true);
    expect(reason(client.unprotectRtp(client.protectRtp(rtp(10))))).toBe('auth');
  });
});

const rtpArb: fc.Arbitrary<RtpPacket> = fc.record({
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
  timestamp: fc.integer({ min: 0, max: 0xffffffff }),
  ssrc: fc.integer({ min: 0, max: 0xffffffff }),
  csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 3 }),
  extension: fc.option(
    fc.record({ profile: fc.constant(0xbede), data: fc.uint8Array({ minLength: 4, maxLength: 4 }) }),
    { nil: undefined },
  ),
  payload: fc.uint8Array({ maxLength: 300 }),
  paddingLength: fc.constantFrom(0, 0, 4),
});

describe('SRTP properties', () => {
  it('protect then unprotect is the identity for random packets and all profiles', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILES), rtpArb, (profile, packet) => {
        const { sender, receiver } = pair(profile);
        const plain = serializeRtp(packet);
        const r = receiver.unprotectRtp(sender.protectRtp(plain));
        expect(r.ok && Buffer.from(r.packet).equals(Buffer.from(plain))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('any single flipped bit fails authentication and leaves the receiver unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILES), rtpArb, fc.nat(), (profile, packet, bit) => {
        const { sender, receiver } = pair(profile);
        const prot = sender.protectRtp(serializeRtp(packet));
        const flipped = Uint8Array.from(prot);
        const at = bit % (prot.length * 8);
        flipped[at >> 3]! ^= 1 << (at & 7);
        const r = receiver.unprotectRtp(flipped);
        expect(r.ok).toBe(false);
        expect(['auth', 'malformed']).toContain(reason(r));
        expect(receiver.unprotectRtp(prot).ok).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('any single flipped bit fails SRTCP authentication', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROFILES),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(),
        (profile, body, bit) => {
          const { sender, receiver } = pair(profile);
          const rtcp = serializeRtcp([
            { type: 'app', subtype: 0, ssrc: 7, name: new Uint8Array(4), data: body },
          ]);
          const prot = sender.protectRtcp(rtcp);
          const flipped = Uint8Array.from(prot);
          const at = bit % (prot.length * 8);
          flipped[at >> 3]! ^= 1 << (at & 7);
          expect(ok(receiver.unprotectRtcp(flipped))).toBe(false);
          expect(ok(receiver.unprotectRtcp(prot))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('unprotect never throws on arbitrary bytes', () => {
    const contexts = PROFILES.map((profile) => pair(profile).receiver);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        for (const c of contexts) {
          expect(c.unprotectRtp(bytes).ok).toBe(false);
          expect(c.unprotectRtcp(bytes).ok).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
