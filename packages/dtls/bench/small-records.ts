/**
 * CPU per small application-data record through whole DTLS connections (send, poll, handle, event),
 * client and server in memory, AES-128-GCM: the path interactive data-channel traffic (game, chat,
 * control messages) and SCTP SACKs take. `npx tsx packages/dtls/bench/small-records.ts [bytes...]`.
 * Prints the minimum over rounds of CPU microseconds per message (seal on one side, open on the other).
 */
import { DtlsClient, type DtlsConnection, DtlsServer, generateCertificate } from '../src/index.js';

const sizes = process.argv.slice(2).map(Number);
const clientCert = generateCertificate({ now: 1_700_000_000_000 });
const serverCert = generateCertificate({ now: 1_700_000_000_000 });
const client = new DtlsClient({ certificate: clientCert, remoteFingerprints: serverCert.getFingerprints() });
const server = new DtlsServer({ certificate: serverCert, remoteFingerprints: clientCert.getFingerprints() });
client.start(0);
server.start(0);
const move = (from: DtlsConnection, to: DtlsConnection) => {
  let moved = 0;
  for (let d = from.poll(); d; d = from.poll()) {
    to.handle(d, 0);
    moved++;
  }
  return moved;
};
for (let i = 0; i < 20 && move(client, server) + move(server, client) > 0; i++);
if (client.state !== 'connected' || server.state !== 'connected') throw new Error('handshake failed');
while (client.pollEvent() || server.pollEvent());

const N = 20_000;
for (const size of sizes.length > 0 ? sizes : [40, 200, 1200]) {
  const message = Buffer.alloc(size, 1);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      client.send(message);
      move(client, server);
      const e = server.pollEvent();
      if (e?.type !== 'data' || e.data.length !== size) throw new Error('lost');
    }
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (cpu.user + cpu.system) / N);
  }
  console.log(
    `${String(size).padStart(5)} B per message (seal + open, whole connection): ${best.toFixed(2)} us CPU`,
  );
}
