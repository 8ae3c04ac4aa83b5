import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SrtpContext,
  type SrtpProfileId,
  serializeRtcp,
  serializeRtp,
  srtpProfileParameters,
} from '../src/index.js';

/**
 * Cross-implementation tests against libsrtp 2 (Debian libsrtp2-dev) through a small C helper
 * compiled here. Packets travel over the helper's stdin/stdout as hex lines.
 */
const HEADER = '/usr/include/srtp2/srtp.h';
const haveLibsrtp = existsSync(HEADER);
if (!haveLibsrtp) {
  console.warn(`\n!!! SKIPPING libsrtp interop: ${HEADER} is missing (apt-get install libsrtp2-dev) !!!\n`);
}

const workDir = mkdtempSync(join(tmpdir(), 'purertc-libsrtp-'));
const helper = join(workDir, 'libsrtp-helper');
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function buildHelper(): void {
  if (existsSync(helper)) return;
  const source = fileURLToPath(new URL('./libsrtp-helper.c', import.meta.url));
  execFileSync('cc', ['-O1', '-o', helper, source, '-lsrtp2'], { stdio: 'pipe', timeout: 60_000 });
}

/** Runs the helper over `lines` and returns its answer lines; bounded by a timeout. */
function runHelper(profile: SrtpProfileId, mode: 'protect' | 'unprotect', keyHex: string, lines: string[]) {
  return new Promise<string[]>((resolve, reject) => {
    const child = spawn(helper, [String(profile), mode, keyHex], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('libsrtp helper timed out'));
    }, 10_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`libsrtp helper exited ${code}: ${err}`));
      else resolve(out.trim().split('\n'));
    });
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

function keysFor(profile: SrtpProfileId) {
  const p = srtpProfileParameters(profile);
  const masterKey = Uint8Array.from({ length: p.keyLength }, (_, i) => (i * 11 + 5) & 0xff);
  const masterSalt = Uint8Array.from({ length: p.saltLength }, (_, i) => (i * 29 + 3) & 0xff);
  return { masterKey, masterSalt, hex: Buffer.concat([masterKey, masterSalt]).toString('hex') };
}

/** Sequence numbers crossing a wrap, so both sides must agree on the ROC. */
const SEQS = [65530, 65531, 65533, 65532, 65534, 65535, 0, 1, 3, 2, 4];

function rtp(seq: number, i: number): Uint8Array {
  return serializeRtp({
    marker: i % 3 === 0,
    payloadType: 111,
    sequenceNumber: seq,
    timestamp: 1000 + i * 960,
    ssrc: 0x0badcafe,
    csrcs: i % 4 === 1 ? [0x01020304] : [],
    extension: i % 2 === 0 ? { profile: 0xbede, data: Uint8Array.of(0x10, 0xaa, 0, 0) } : undefined,
    // The last packet is large enough to take the node:crypto GCM path rather than the JS one.
    payload: Uint8Array.from(
      { length: i === SEQS.length - 1 ? 1200 : 20 + i * 37 },
      (_, k) => (k * i) & 0xff,
    ),
    paddingLength: 0,
  });
}

function rtcp(i: number): Uint8Array {
  return serializeRtcp([
    {
      type: 'sr',
      ssrc: 0x0badcafe,
      ntpSeconds: i,
      ntpFraction: 0,
      rtpTimestamp: i * 960,
      packetCount: i,
      octetCount: i * 100,
      reports: [],
      profileExtension: new Uint8Array(0),
    },
    { type: 'sdes', chunks: [{ ssrc: 0x0badcafe, items: [{ itemType: 1, value: Buffer.from('purertc') }] }] },
  ]);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.skipIf(!haveLibsrtp)('libsrtp 2 interop', () => {
  for (const profile of [1, 2, 7, 8] as SrtpProfileId[]) {
    const name = srtpProfileParameters(profile).name;

    it(`${name}: libsrtp protects, purertc unprotects`, async () => {
      buildHelper();
      const keys = keysFor(profile);
      const plainRtp = SEQS.map(rtp);
      const plainRtcp = [0, 1, 2].map(rtcp);
      const answers = await runHelper(profile, 'protect', keys.hex, [
        ...plainRtp.map((p) => `rtp ${hex(p)}`),
        ...plainRtcp.map((p) => `rtcp ${hex(p)}`),
      ]);
      expect(answers.every((a) => a.startsWith('ok '))).toBe(true);
      const ours = new SrtpContext({ profile, ...keys });
      answers.forEach((a, i) => {
        const bytes = Buffer.from(a.slice(3), 'hex');
        const isRtp = i < plainRtp.length;
        const r = isRtp ? ours.unprotectRtp(bytes) : ours.unprotectRtcp(bytes);
        expect(r.ok ? hex(r.packet) : r.reason).toBe(
          hex(isRtp ? plainRtp[i]! : plainRtcp[i - plainRtp.length]!),
        );
      });
    });

    it(`${name}: purertc protects, libsrtp unprotects (and rejects a replay and a forgery)`, async () => {
      buildHelper();
      const keys = keysFor(profile);
      const ours = new SrtpContext({ profile, ...keys });
      const plainRtp = SEQS.map(rtp);
      const plainRtcp = [0, 1, 2].map(rtcp);
      const protectedRtp = plainRtp.map((p) => ours.protectRtp(p));
      const protectedRtcp = plainRtcp.map((p) => ours.protectRtcp(p));
      const fresh = ours.protectRtp(rtp(5, 11));
      const forged = Uint8Array.from(fresh);
      forged[forged.length - 1]! ^= 1;
      const answers = await runHelper(profile, 'unprotect', keys.hex, [
        ...protectedRtp.map((p) => `rtp ${hex(p)}`),
        ...protectedRtcp.map((p) => `rtcp ${hex(p)}`),
        `rtp ${hex(protectedRtp[3]!)}`,
        `rtp ${hex(forged)}`,
        `rtp ${hex(fresh)}`,
      ]);
      const expected = [...plainRtp, ...plainRtcp].map((p) => `ok ${hex(p)}`);
      expect(answers.slice(0, expected.length)).toEqual(expected);
      // libsrtp: err_status_replay_fail = 9, err_status_auth_fail = 7.
      expect(answers.slice(expected.length)).toEqual(['err 9', 'err 7', `ok ${hex(rtp(5, 11))}`]);
    });
  }
});
