import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { RtpPacket, SrtcpSession, SrtpSession } from 'werift';
import {
  SrtpContext,
  type SrtpProfileId,
  serializeRtcp,
  serializeRtp,
  srtpProfileParameters,
} from '../src/index.js';

/** werift 0.25.2 implements AES_CM_128_HMAC_SHA1_80 (1) and AEAD_AES_128_GCM (7). */
const WERIFT_PROFILES: (1 | 7)[] = [1, 7];

function keysFor(profile: SrtpProfileId) {
  const p = srtpProfileParameters(profile);
  return {
    masterKey: Buffer.from(Array.from({ length: p.keyLength }, (_, i) => (i * 19 + 1) & 0xff)),
    masterSalt: Buffer.from(Array.from({ length: p.saltLength }, (_, i) => (i * 23 + 9) & 0xff)),
  };
}

function weriftSession<T extends typeof SrtpSession | typeof SrtcpSession>(
  Cls: T,
  profile: 1 | 7,
): InstanceType<T> {
  const k = keysFor(profile);
  return new Cls({
    keys: {
      localMasterKey: k.masterKey,
      localMasterSalt: k.masterSalt,
      remoteMasterKey: k.masterKey,
      remoteMasterSalt: k.masterSalt,
    },
    profile,
  }) as InstanceType<T>;
}

/** Sends datagrams over real loopback UDP sockets and returns them as received (bounded wait). */
async function overLoopback(datagrams: Uint8Array[]): Promise<Buffer[]> {
  const rx = createSocket('udp4');
  const tx = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => rx.bind(0, '127.0.0.1', resolve));
    const received: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length}/${datagrams.length} arrived`)),
        5000,
      );
      rx.on('message', (msg) => {
        received.push(msg);
        if (received.length === datagrams.length) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const { port } = rx.address();
    for (const d of datagrams) {
      await new Promise<void>((resolve, reject) =>
        tx.send(d, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    }
    await done;
    return received;
  } finally {
    rx.close();
    tx.close();
  }
}

const SEQS = [65533, 65534, 65535, 0, 1, 2];

function rtp(seq: number, i: number): Buffer {
  return Buffer.from(
    serializeRtp({
      marker: i === 0,
      payloadType: 96,
      sequenceNumber: seq,
      timestamp: 90000 + i * 3000,
      ssrc: 0x1234abcd,
      csrcs: [],
      extension: undefined,
      payload: Buffer.alloc(100 + i * 50, i + 1),
      paddingLength: 0,
    }),
  );
}

const rtcp = (i: number) =>
  Buffer.from(
    serializeRtcp([{ type: 'rr', ssrc: 0x1234abcd, reports: [], profileExtension: Buffer.alloc(4, i) }]),
  );

describe('werift SRTP interop over loopback UDP', () => {
  for (const profile of WERIFT_PROFILES) {
    const name = srtpProfileParameters(profile).name;

    it(`${name}: werift protects, purertc unprotects`, async () => {
      const w = weriftSession(SrtpSession, profile);
      const wc = weriftSession(SrtcpSession, profile);
      const plain = SEQS.map(rtp);
      const sent = [
        ...plain.map((p) => {
          const parsed = RtpPacket.deSerialize(p);
          return w.encrypt(parsed.payload, parsed.header);
        }),
        ...[0, 1].map((i) => wc.encrypt(rtcp(i))),
      ];
      const received = await overLoopback(sent);
      const ours = new SrtpContext({ profile, ...keysFor(profile) });
      received.slice(0, plain.length).forEach((d, i) => {
        const r = ours.unprotectRtp(d);
        expect(r.ok ? Buffer.from(r.packet).toString('hex') : r.reason).toBe(plain[i]!.toString('hex'));
      });
      received.slice(plain.length).forEach((d, i) => {
        const r = ours.unprotectRtcp(d);
        expect(r.ok ? Buffer.from(r.packet).toString('hex') : r.reason).toBe(rtcp(i).toString('hex'));
      });
    });

    it(`${name}: purertc protects, werift unprotects`, async () => {
      const ours = new SrtpContext({ profile, ...keysFor(profile) });
      const plain = SEQS.map(rtp);
      const sent = [...plain.map((p) => ours.protectRtp(p)), ...[0, 1].map((i) => ours.protectRtcp(rtcp(i)))];
      const received = await overLoopback(sent);
      const w = weriftSession(SrtpSession, profile);
      const wc = weriftSession(SrtcpSession, profile);
      received.slice(0, plain.length).forEach((d, i) => {
        expect(w.decrypt(d).toString('hex')).toBe(plain[i]!.toString('hex'));
      });
      received.slice(plain.length).forEach((d, i) => {
        expect(wc.decrypt(d).toString('hex')).toBe(rtcp(i).toString('hex'));
      });
    });
  }
});
