/**
 * A/B micro-benchmark for the AEAD profiles' two paths, alternating in one process so machine load
 * affects both alike: ECB keystream + constant-time JS GHASH (`gcmJsMaxPayload` large) against a
 * Node GCM object per packet (`gcmJsMaxPayload` 0). Reports the median CPU time per packet over
 * 15 rounds. This is how `DEFAULT_GCM_JS_MAX_PAYLOAD` was chosen.
 *
 *   npx tsx packages/srtp/bench/gcm-crossover.ts [sizes...]     (default 64 160 224 320 640 1200)
 *   KEY=32 for AEAD_AES_256_GCM
 */
import { createTransform } from '../src/srtp/srtp-context.js';

const keyLength = Number(process.env.KEY ?? 16);
const key = new Uint8Array(keyLength).fill(7);
const salt = new Uint8Array(12).fill(3);
const keys = {
  rtpKey: key,
  rtpSalt: salt,
  rtpAuthKey: new Uint8Array(0),
  rtcpKey: key,
  rtcpSalt: salt,
  rtcpAuthKey: new Uint8Array(0),
};
const profile = keyLength === 32 ? 8 : 7;
const paths = { js: createTransform(profile, keys, 1 << 20), node: createTransform(profile, keys, 0) };
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [64, 160, 224, 320, 640, 1200];
const N = 2000;
const ROUNDS = 15;

function cpuMicros(fn: () => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / N;
}

for (const size of sizes) {
  const packet = new Uint8Array(12 + size).fill(9);
  packet[0] = 0x80;
  const protectedPacket = paths.node.protectRtp(packet, 12, 0x1234, 0, 5);
  for (const op of ['protect', 'unprotect'] as const) {
    const times: Record<string, number[]> = { js: [], node: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, t] of Object.entries(paths)) {
        let seq = 0;
        times[name]!.push(
          op === 'protect'
            ? cpuMicros(() => t.protectRtp(packet, 12, 0x1234, 0, seq++ & 0xffff))
            : cpuMicros(() => {
                if (!t.unprotectRtp(protectedPacket, 12, 0x1234, 0, 5)) throw new Error('auth failed');
              }),
        );
      }
    }
    const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1]!;
    const js = median(times.js!);
    const node = median(times.node!);
    console.log(
      `${op.padEnd(9)} 12+${String(size).padEnd(5)} js-ghash ${js.toFixed(2)} us  node-gcm ${node.toFixed(2)} us  js/node ${(js / node).toFixed(2)}`,
    );
  }
}
