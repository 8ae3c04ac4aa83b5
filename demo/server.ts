/**
 * The purertc demo: `npm start` and open http://localhost:8080. Each page that clicks Connect
 * gets a purertc RTCPeerConnection here: its camera and microphone come back over RTP, its chat
 * goes to every open page, and both ends chart the connection's statistics.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type DemoConfig, parseConfig, peerConfiguration } from './config.js';
import { createHandler } from './http.js';
import { Room } from './room.js';

export interface RunningDemo {
  url: string;
  room: Room;
  close(): Promise<void>;
}

export async function startDemo(config: DemoConfig): Promise<RunningDemo> {
  const room = new Room({ peer: peerConfiguration(config), announcedAddress: config.announcedAddress });
  const root = fileURLToPath(new URL('./public', import.meta.url));
  const server = createServer((req, res) => void createHandler(root, room)(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    room,
    close: async () => {
      room.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  let config: DemoConfig;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const demo = await startDemo(config);
  console.log(`purertc demo listening on ${demo.url}`);
  const stop = (): void => {
    console.log('shutting down');
    void demo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
