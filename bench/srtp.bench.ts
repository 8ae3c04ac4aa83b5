/**
 * SRTP protect/unprotect throughput, purertc vs werift (werift has AES_CM_128_HMAC_SHA1_80 and
 * AEAD_AES_128_GCM only). Unprotect cases cycle through a ring of distinct protected packets and
 * start a fresh receiving context (or werift session) each lap, so replay protection sees new
 * indices; the context creation is amortised over the ring.
 */
import {
  SrtpContext,
  type SrtpProfileId,
  serializeRtcp,
  serializeRtp,
  srtpProfileParameters,
} from '@purertc/srtp';
import { RtpHeader, RtpPacket, SrtcpSession, SrtpSession } from 'werift';
import { type BenchCase, defineSuite } from './harness.js';

const RING = 4096;
const PROFILE_NAMES: Record<SrtpProfileId, string> = {
  1: 'AES_CM_128_HMAC_SHA1_80',
  2: 'AES_CM_128_HMAC_SHA1_32',
  7: 'AEAD_AES_128_GCM',
  8: 'AEAD_AES_256_GCM',
};
const WERIFT_PROFILES = new Set<SrtpProfileId>([1, 7]);

function keys(profile: SrtpProfileId, seed: number) {
  const p = srtpProfileParameters(profile);
  return {
    masterKey: Buffer.from(Array.from({ length: p.keyLength }, (_, i) => (i * 31 + seed) & 0xff)),
    masterSalt: Buffer.from(Array.from({ length: p.saltLength }, (_, i) => (i * 17 + seed) & 0xff)),
  };
}

function rtpPacket(seq: number, payloadLength: number): Buffer {
  return Buffer.from(
    serializeRtp({
      marker: false,
      payloadType: 96,
      sequenceNumber: seq & 0xffff,
      timestamp: seq * 3000,
      ssrc: 0x12345678,
      csrcs: [],
      extension: undefined,
      payload: Buffer.alloc(payloadLength, seq & 0xff),
      paddingLength: 0,
    }),
  );
}

function weriftSession(profile: SrtpProfileId, seed: number, Cls: typeof SrtpSession | typeof SrtcpSession) {
  const k = keys(profile, seed);
  return new Cls({
    keys: {
      localMasterKey: k.masterKey,
      localMasterSalt: k.masterSalt,
      remoteMasterKey: k.masterKey,
      remoteMasterSalt: k.masterSalt,
    },
    profile: profile as 1 | 7,
  });
}

/** A 1-report SR (RFC 3550 6.4.1): 8 + 20 + 24 bytes. */
const SENDER_REPORT = Buffer.from(
  serializeRtcp([
    {
      type: 'sr',
      ssrc: 0x12345678,
      ntpSeconds: 0xe3a1b2c3,
      ntpFraction: 0x80000000,
      rtpTimestamp: 90000,
      packetCount: 100,
      octetCount: 16000,
      reports: [
        {
          ssrc: 0x55667788,
          fractionLost: 10,
          packetsLost: 2,
          highestSequence: 0x11234,
          jitter: 32,
          lastSenderReport: 0xb2c38000,
          delaySinceLastSenderReport: 0x10000,
        },
      ],
      profileExtension: new Uint8Array(0),
    },
  ]),
);

/**
 * Feeds a ring of protected packets to a receiver, starting a fresh receiver each time the ring
 * wraps so replay protection never rejects a repeat.
 */
function replayRing<R, P>(
  ring: readonly P[],
  fresh: () => R,
  use: (receiver: R, packet: P) => unknown,
): () => unknown {
  let receiver = fresh();
  let k = 0;
  return () => {
    if (k === ring.length) {
      k = 0;
      receiver = fresh();
    }
    return use(receiver, ring[k++]!);
  };
}

function rtpCases(profile: SrtpProfileId, payload: number): BenchCase[] {
  const name = `${PROFILE_NAMES[profile]} 12+${payload}`;
  const bytes = 12 + payload;
  const plain = Array.from({ length: RING }, (_, i) => rtpPacket(i, payload));
  const cases: BenchCase[] = [];

  // purertc
  const sender = new SrtpContext({ profile, ...keys(profile, 1) });
  const protectedRing = plain.map((p) => sender.protectRtp(p));
  let i = 0;
  cases.push({
    case: `protect ${name}`,
    impl: 'purertc',
    bytesPerOp: bytes,
    fn: () => sender.protectRtp(plain[i++ & (RING - 1)]!),
  });
  const receiverKeys = () => new SrtpContext({ profile, ...keys(profile, 1) });
  cases.push({
    case: `unprotect ${name}`,
    impl: 'purertc',
    bytesPerOp: bytes,
    fn: replayRing(protectedRing, receiverKeys, (receiver, packet) => {
      const r = receiver.unprotectRtp(packet);
      if (!r.ok) throw new Error(`purertc unprotect failed: ${r.reason}`);
    }),
  });
  // Forwarding: unprotect from one peer, protect for another (what an SFU does per receiver).
  const egress = new SrtpContext({ profile, ...keys(profile, 2) });
  cases.push({
    case: `forward ${name}`,
    impl: 'purertc',
    bytesPerOp: bytes,
    fn: replayRing(protectedRing, receiverKeys, (ingress, packet) => {
      const r = ingress.unprotectRtp(packet);
      if (!r.ok) throw new Error(`purertc forward failed: ${r.reason}`);
      return egress.protectRtp(r.packet);
    }),
  });

  if (!WERIFT_PROFILES.has(profile)) return cases;

  // werift: encrypt takes a parsed header and payload, as its RTCRtpSender does.
  const wSender = weriftSession(profile, 1, SrtpSession) as SrtpSession;
  const parsed = plain.map((p) => RtpPacket.deSerialize(p));
  const wProtected = parsed.map((p) => wSender.encrypt(p.payload, p.header));
  let wi = 0;
  cases.push({
    case: `protect ${name}`,
    impl: 'werift',
    bytesPerOp: bytes,
    fn: () => {
      const p = parsed[wi++ & (RING - 1)]!;
      return wSender.encrypt(p.payload, p.header);
    },
  });
  const weriftReceiver = () => weriftSession(profile, 1, SrtpSession) as SrtpSession;
  cases.push({
    case: `unprotect ${name}`,
    impl: 'werift',
    bytesPerOp: bytes,
    fn: replayRing(wProtected, weriftReceiver, (receiver, packet) => receiver.decrypt(packet)),
  });
  const wEgress = weriftSession(profile, 2, SrtpSession) as SrtpSession;
  cases.push({
    case: `forward ${name}`,
    impl: 'werift',
    bytesPerOp: bytes,
    fn: replayRing(wProtected, weriftReceiver, (ingress, packet) => {
      const dec = ingress.decrypt(packet);
      const header = RtpHeader.deSerialize(dec);
      return wEgress.encrypt(dec.subarray(header.payloadOffset), header);
    }),
  });
  return cases;
}

function rtcpCases(profile: SrtpProfileId): BenchCase[] {
  const name = `SRTCP SR ${PROFILE_NAMES[profile]}`;
  const bytes = SENDER_REPORT.length;
  const cases: BenchCase[] = [];
  const sender = new SrtpContext({ profile, ...keys(profile, 1) });
  cases.push({
    case: `protect ${name}`,
    impl: 'purertc',
    bytesPerOp: bytes,
    fn: () => sender.protectRtcp(SENDER_REPORT),
  });
  const ring = Array.from({ length: RING }, () => sender.protectRtcp(SENDER_REPORT));
  cases.push({
    case: `unprotect ${name}`,
    impl: 'purertc',
    bytesPerOp: bytes,
    fn: replayRing(
      ring,
      () => new SrtpContext({ profile, ...keys(profile, 1) }),
      (receiver, packet) => {
        const r = receiver.unprotectRtcp(packet);
        if (!r.ok) throw new Error(`purertc SRTCP unprotect failed: ${r.reason}`);
      },
    ),
  });
  if (!WERIFT_PROFILES.has(profile)) return cases;
  const wSender = weriftSession(profile, 1, SrtcpSession) as SrtcpSession;
  cases.push({
    case: `protect ${name}`,
    impl: 'werift',
    bytesPerOp: bytes,
    fn: () => wSender.encrypt(SENDER_REPORT),
  });
  const wRing = Array.from({ length: RING }, () => wSender.encrypt(SENDER_REPORT));
  const wReceiver = weriftSession(profile, 1, SrtcpSession) as SrtcpSession;
  let wj = 0;
  cases.push({
    case: `unprotect ${name}`,
    impl: 'werift',
    bytesPerOp: bytes,
    fn: () => wReceiver.decrypt(wRing[wj++ & (RING - 1)]!),
  });
  return cases;
}

export default defineSuite({
  suite: 'srtp',
  cases: () => {
    const all: BenchCase[] = [];
    for (const payload of [160, 1200]) {
      for (const profile of [1, 2, 7, 8] as SrtpProfileId[]) all.push(...rtpCases(profile, payload));
    }
    // Near the AEAD crossover between the JS GHASH path and Node's GCM (DEFAULT_GCM_JS_MAX_PAYLOAD).
    for (const profile of [7, 8] as SrtpProfileId[]) all.push(...rtpCases(profile, 224));
    for (const profile of [1, 2, 7, 8] as SrtpProfileId[]) all.push(...rtcpCases(profile));
    // Same order for both implementations keeps each pair adjacent in the table.
    return all.sort((a, b) => a.case.localeCompare(b.case) || a.impl.localeCompare(b.impl));
  },
});
