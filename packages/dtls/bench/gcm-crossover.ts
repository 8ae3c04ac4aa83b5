/**
 * Where the JS GCM record path stops paying: seal and open time per record, JS path vs Node's GCM,
 * by plaintext length. `npx tsx packages/dtls/bench/gcm-crossover.ts [aes-128-gcm|aes-256-gcm]`.
 * Reports the minimum over rounds (the machine is shared; the minimum is the least disturbed).
 */
import { performance } from 'node:perf_hooks';
import { Dtls12RecordAead } from '../src/crypto/aead.js';

const alg = (process.argv[2] ?? 'aes-128-gcm') as 'aes-128-gcm' | 'aes-256-gcm';
const key = Buffer.alloc(alg === 'aes-128-gcm' ? 16 : 32, 7);
const salt = Buffer.alloc(4, 3);
const N = 4000;
const ROUNDS = 9;

function perRecord(maxJs: number, length: number): { seal: number; open: number } {
  const sealer = new Dtls12RecordAead(alg, key, salt, maxJs);
  const opener = new Dtls12RecordAead(alg, key, salt, maxJs);
  const plaintext = Buffer.alloc(length, 1);
  const records: Buffer[] = [];
  let seq = 0;
  let seal = Number.POSITIVE_INFINITY;
  let open = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    records.length = 0;
    const first = seq;
    let t = performance.now();
    for (let i = 0; i < N; i++) records.push(sealer.seal(23, 0xfefd, 1, seq++, plaintext));
    seal = Math.min(seal, ((performance.now() - t) * 1000) / N);
    t = performance.now();
    for (let i = 0; i < N; i++) {
      if (!opener.open(23, 0xfefd, 1, first + i, records[i]!.subarray(13))) throw new Error('open failed');
    }
    open = Math.min(open, ((performance.now() - t) * 1000) / N);
  }
  return { seal, open };
}

for (const length of [16, 40, 64, 100, 128, 160, 200, 256, 320, 384, 448, 512, 768, 1024]) {
  const js = perRecord(1024, length);
  const node = perRecord(-1, length);
  console.log(
    `${alg} ${String(length).padStart(4)} B  seal js ${js.seal.toFixed(2)} us node ${node.seal.toFixed(2)} us (js/node ${(js.seal / node.seal).toFixed(2)})` +
      `  open js ${js.open.toFixed(2)} us node ${node.open.toFixed(2)} us (js/node ${(js.open / node.open).toFixed(2)})`,
  );
}
