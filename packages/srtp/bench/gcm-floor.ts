/**
 * Where the AES-GCM floor is with node:crypto: CPU time of each native call a GCM packet needs,
 * measured cumulatively (each row adds one call to the previous row) so the differences are the
 * per-call costs, plus the long-lived ECB keystream call, the constant-time JS GHASH per block, and
 * whole-packet protect by werift 0.25.2 and by us for scale.
 * Rows alternate within each round so machine load affects all alike; the median of ROUNDS is shown.
 *
 *   npx tsx packages/srtp/bench/gcm-floor.ts            (PAYLOAD=1200 by default)
 */
import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto';
import { Ghash } from '@purertc/common';
import { RtpPacket, SrtpSession } from 'werift';
import { SrtpContext } from '../src/index.js';

const PAYLOAD = Number(process.env.PAYLOAD ?? 1200);
const N = Number(process.env.N ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 21);
const key = Buffer.alloc(16, 7);
const keyObject = createSecretKey(key);
const iv = Buffer.alloc(12, 3);
const header = Buffer.alloc(12, 1);
const payload = Buffer.alloc(PAYLOAD, 9);
const sealed = (() => {
  const c = createCipheriv('aes-128-gcm', key, iv);
  c.setAAD(header);
  const body = c.update(payload);
  c.final();
  return { body, tag: c.getAuthTag() };
})();
const ecb = createCipheriv('aes-128-ecb', key, null);
ecb.setAutoPadding(false);
const counters = Buffer.alloc(Math.ceil(PAYLOAD / 16) * 16 + 16);
const ghash = new Ghash(Buffer.alloc(16, 5));
const ghashInput = new Int32Array(counters.length / 4);
const ghashBlocks = counters.length / 16;

const rtp = Buffer.concat([Buffer.from('806000000000000012345678', 'hex'), payload]);
const ours = new SrtpContext({ profile: 7, masterKey: key, masterSalt: Buffer.alloc(12, 1) });
const theirs = new SrtpSession({
  keys: {
    localMasterKey: key,
    localMasterSalt: Buffer.alloc(12, 1),
    remoteMasterKey: key,
    remoteMasterSalt: Buffer.alloc(12, 1),
  },
  profile: 7,
});
const parsed = RtpPacket.deSerialize(rtp);
let seq = 0;

const cases: Record<string, () => void> = {
  'werift SrtpSession.encrypt (AEAD_AES_128_GCM)': () => {
    parsed.header.sequenceNumber = seq++ & 0xffff;
    theirs.encrypt(parsed.payload, parsed.header);
  },
  'purertc SrtpContext.protectRtp (AEAD_AES_128_GCM)': () => {
    rtp.writeUInt16BE(seq++ & 0xffff, 2);
    ours.protectRtp(rtp);
  },
  'Buffer.allocUnsafe(12+payload+16)': () => Buffer.allocUnsafe(PAYLOAD + 28),
  'createCipheriv(Buffer key)': () => createCipheriv('aes-128-gcm', key, iv),
  'createCipheriv(KeyObject)': () => createCipheriv('aes-128-gcm', keyObject, iv),
  'createCipheriv(KeyObject, { authTagLength: 16 })': () =>
    createCipheriv('aes-128-gcm', keyObject, iv, { authTagLength: 16 }),
  '+ setAAD(12)': () => createCipheriv('aes-128-gcm', keyObject, iv).setAAD(header),
  '+ update(payload)': () => {
    const c = createCipheriv('aes-128-gcm', keyObject, iv);
    c.setAAD(header);
    c.update(payload);
  },
  '+ final()': () => {
    const c = createCipheriv('aes-128-gcm', keyObject, iv);
    c.setAAD(header);
    c.update(payload);
    c.final();
  },
  '+ getAuthTag()': () => {
    const c = createCipheriv('aes-128-gcm', keyObject, iv);
    c.setAAD(header);
    c.update(payload);
    c.final();
    c.getAuthTag();
  },
  'decipher: create+setAuthTag+setAAD+update+final': () => {
    const d = createDecipheriv('aes-128-gcm', keyObject, iv);
    d.setAuthTag(sealed.tag);
    d.setAAD(header);
    d.update(sealed.body);
    d.final();
  },
  'ECB update(payload + J0 block), long-lived': () => ecb.update(counters),
  [`JS GHASH ${ghashBlocks} blocks`]: () => ghash.update(ghashInput, 0, ghashBlocks),
};

function cpuMicros(fn: () => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / N;
}

const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++)
  for (const [name, fn] of Object.entries(cases)) times[name]!.push(cpuMicros(fn));
console.log(`payload ${PAYLOAD} bytes, median of ${ROUNDS} rounds x ${N} calls, CPU us per call`);
for (const [name, v] of Object.entries(times)) {
  const median = v.sort((a, b) => a - b)[v.length >> 1]!;
  const perBlock = name.startsWith('JS GHASH')
    ? `  (${((median * 1000) / ghashBlocks).toFixed(0)} ns/block)`
    : '';
  console.log(`${name.padEnd(52)} ${median.toFixed(3)}${perBlock}`);
}
