/**
 * Per-packet CPU time through `SrtpContext` for every profile at 12+160 and 12+1200 bytes,
 * alternating implementations in one process: this version, this version with Node's GCM only
 * (`gcmJsMaxPayload: 0`), werift 0.25.2 where it has the profile, and optionally an older tree of
 * this package for before/after figures; then SRTCP protect/unprotect of a one-report SR. Prints the
 * minimum over ROUNDS rounds of N packets.
 *
 *   npx tsx packages/srtp/bench/context-ab.ts
 *   BEFORE=/tmp/old/packages/srtp/src/index.ts npx tsx packages/srtp/bench/context-ab.ts
 *     (the old tree from e.g. `git archive 4d89785 packages/srtp | tar -x -C /tmp/old`)
 */
import { RtpPacket, SrtcpSession, SrtpSession } from 'werift';
import * as current from '../src/index.js';

type Api = Pick<typeof current, 'SrtpContext'>;
const N = Number(process.env.N ?? 512);
const ROUNDS = Number(process.env.ROUNDS ?? 41);
const RING = 1024;
const before = process.env.BEFORE ? ((await import(process.env.BEFORE)) as Api) : undefined;

function keys(profile: current.SrtpProfileId) {
  const p = current.srtpProfileParameters(profile);
  return {
    masterKey: Buffer.from(Array.from({ length: p.keyLength }, (_, i) => (i * 31 + 1) & 0xff)),
    masterSalt: Buffer.from(Array.from({ length: p.saltLength }, (_, i) => (i * 17 + 1) & 0xff)),
  };
}

function rtp(seq: number, payload: number): Buffer {
  const b = Buffer.alloc(12 + payload, seq & 0xff);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(seq * 3000, 4);
  b.writeUInt32BE(0x12345678, 8);
  return b;
}

function cpuMicros(fn: () => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / N;
}

interface Impl {
  protect: () => void;
  unprotect: () => void;
}

function ours(api: Api, profile: current.SrtpProfileId, plain: Buffer[], extra: object): Impl {
  const make = () => new api.SrtpContext({ profile, ...keys(profile), ...extra });
  const sender = make();
  const ring = plain.map((p) => sender.protectRtp(p));
  let receiver = make();
  let i = 0;
  let j = 0;
  return {
    protect: () => {
      sender.protectRtp(plain[i++ & (RING - 1)]!);
    },
    unprotect: () => {
      if (j === RING) {
        j = 0;
        receiver = make();
      }
      if (!receiver.unprotectRtp(ring[j++]!).ok) throw new Error('unprotect failed');
    },
  };
}

function werift(profile: 1 | 7, plain: Buffer[]): Impl {
  const k = keys(profile);
  const make = () =>
    new SrtpSession({
      keys: {
        localMasterKey: k.masterKey,
        localMasterSalt: k.masterSalt,
        remoteMasterKey: k.masterKey,
        remoteMasterSalt: k.masterSalt,
      },
      profile,
    });
  const sender = make();
  const parsed = plain.map((p) => RtpPacket.deSerialize(p));
  const ring = parsed.map((p) => sender.encrypt(p.payload, p.header));
  let receiver = make();
  let i = 0;
  let j = 0;
  return {
    protect: () => {
      const p = parsed[i++ & (RING - 1)]!;
      sender.encrypt(p.payload, p.header);
    },
    unprotect: () => {
      if (j === RING) {
        j = 0;
        receiver = make();
      }
      receiver.decrypt(ring[j++]!);
    },
  };
}

for (const payload of [160, 1200]) {
  for (const profile of [1, 2, 7, 8] as current.SrtpProfileId[]) {
    const plain = Array.from({ length: RING }, (_, i) => rtp(i, payload));
    const impls: Record<string, Impl> = {};
    if (before) impls.before = ours(before, profile, plain, {});
    impls.now = ours(current, profile, plain, {});
    if (profile === 7 || profile === 8)
      impls.nodeGcmOnly = ours(current, profile, plain, { gcmJsMaxPayload: 0 });
    if (profile === 1 || profile === 7) impls.werift = werift(profile, plain);
    for (const op of ['protect', 'unprotect'] as const) {
      const times: Record<string, number[]> = Object.fromEntries(
        Object.keys(impls).map((name) => [name, []]),
      );
      for (let r = 0; r < ROUNDS; r++) {
        for (const [name, impl] of Object.entries(impls)) times[name]!.push(cpuMicros(impl[op]));
      }
      const best = Object.entries(times).map(([name, v]) => [name, Math.min(...v)] as const);
      const w = best.find(([name]) => name === 'werift')?.[1];
      const cells = best.map(
        ([name, t]) =>
          `${name} ${t.toFixed(2)}us${w !== undefined && name !== 'werift' ? ` (${(w / t).toFixed(2)}x werift)` : ''}`,
      );
      console.log(
        `${op.padEnd(9)} ${current.srtpProfileParameters(profile).name} 12+${payload}: ${cells.join('  ')}`,
      );
    }
  }
}

/** RFC 3550 6.4.1 sender report with one report block (52 bytes), as the bench suite uses. */
const SENDER_REPORT = Buffer.from(
  '80c8000c12345678' +
    'e8a1b2c3d4e5f607' +
    '0001e24000000064' +
    '00003e80' +
    '8765432100000005' +
    '0000abcd00000010' +
    '1234567800000100',
  'hex',
);

function oursRtcp(api: Api, profile: current.SrtpProfileId, extra: object): Impl {
  const make = () => new api.SrtpContext({ profile, ...keys(profile), ...extra });
  const sender = make();
  const ring = Array.from({ length: RING }, () => sender.protectRtcp(SENDER_REPORT));
  let receiver = make();
  let j = 0;
  return {
    protect: () => {
      sender.protectRtcp(SENDER_REPORT);
    },
    unprotect: () => {
      if (j === RING) {
        j = 0;
        receiver = make();
      }
      if (!receiver.unprotectRtcp(ring[j++]!).ok) throw new Error('unprotect failed');
    },
  };
}

function weriftRtcp(profile: 1 | 7): Impl {
  const k = keys(profile);
  const make = () =>
    new SrtcpSession({
      keys: {
        localMasterKey: k.masterKey,
        localMasterSalt: k.masterSalt,
        remoteMasterKey: k.masterKey,
        remoteMasterSalt: k.masterSalt,
      },
      profile,
    });
  const sender = make();
  const ring = Array.from({ length: RING }, () => sender.encrypt(SENDER_REPORT));
  let receiver = make();
  let j = 0;
  return {
    protect: () => {
      sender.encrypt(SENDER_REPORT);
    },
    unprotect: () => {
      if (j === RING) {
        j = 0;
        receiver = make();
      }
      receiver.decrypt(ring[j++]!);
    },
  };
}

for (const profile of [1, 7, 8] as current.SrtpProfileId[]) {
  const impls: Record<string, Impl> = {};
  if (before) impls.before = oursRtcp(before, profile, {});
  impls.now = oursRtcp(current, profile, {});
  if (profile === 7 || profile === 8) impls.nodeGcmOnly = oursRtcp(current, profile, { gcmJsMaxPayload: 0 });
  if (profile === 1 || profile === 7) impls.werift = weriftRtcp(profile);
  for (const op of ['protect', 'unprotect'] as const) {
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((name) => [name, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, impl] of Object.entries(impls)) times[name]!.push(cpuMicros(impl[op]));
    }
    const best = Object.entries(times).map(([name, v]) => [name, Math.min(...v)] as const);
    const w = best.find(([name]) => name === 'werift')?.[1];
    const cells = best.map(
      ([name, t]) =>
        `${name} ${t.toFixed(2)}us${w !== undefined && name !== 'werift' ? ` (${(w / t).toFixed(2)}x werift)` : ''}`,
    );
    console.log(
      `${op.padEnd(9)} SRTCP SR ${current.srtpProfileParameters(profile).name}: ${cells.join('  ')}`,
    );
  }
}
