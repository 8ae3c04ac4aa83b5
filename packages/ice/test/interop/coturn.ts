import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StunClass, StunMessage, StunMessageBuilder, StunMethod } from '../../src/index.js';

export const TURNSERVER = '/usr/bin/turnserver';

export function coturnInstalled(): boolean {
  return existsSync(TURNSERVER);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether this machine has IPv6 loopback (some containers and namespaces lack it). */
export async function ipv6LoopbackAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp6');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind(0, '::1', () => {
      s.close();
      resolve(true);
    });
  });
}

export interface Coturn {
  readonly port: number;
  readonly ipv6: boolean;
  /** TLS listening port, with the self-signed certificate (PEM) it presents; absent without openssl. */
  readonly tlsPort: number | undefined;
  readonly certificate: string | undefined;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  stop(): Promise<void>;
}

/** Sends Binding requests until coturn answers (a STUN retransmission loop, bounded). */
async function waitForStun(port: number, timeoutMs: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const request = new StunMessageBuilder(
        StunMethod.Binding,
        StunClass.Request,
        Buffer.alloc(12, 5),
      ).finish({
        fingerprint: true,
      });
      const send = () => socket.send(request, port, '127.0.0.1');
      const retry = setInterval(send, 100);
      const fail = setTimeout(() => {
        clearInterval(retry);
        reject(new Error('coturn did not answer STUN'));
      }, timeoutMs);
      socket.on('message', (msg) => {
        if (StunMessage.tryParse(msg)?.messageClass === StunClass.SuccessResponse) {
          clearInterval(retry);
          clearTimeout(fail);
          resolve();
        }
      });
      send();
    });
  } finally {
    socket.close();
  }
}

/** Starts coturn on a free loopback port with a generated config and long-term credentials. */
export async function startCoturn(): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-coturn-'));
  const port = await freePort();
  const username = 'purertc';
  const password = 'secret-password';
  const realm = 'purertc.test';
  const ipv6 = await ipv6LoopbackAvailable();
  let tlsPort: number | undefined;
  let certificate: string | undefined;
  const tlsLines: string[] = ['no-tls'];
  if (existsSync('/usr/bin/openssl')) {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    tlsPort = await freePort();
    certificate = readFileSync(cert, 'utf8');
    tlsLines.length = 0;
    tlsLines.push(`tls-listening-port=${tlsPort}`, `cert=${cert}`, `pkey=${key}`);
  }
  const config = [
    'listening-ip=127.0.0.1',
    ...(ipv6 ? ['listening-ip=::1'] : []),
    'relay-ip=127.0.0.1',
    ...(ipv6 ? ['relay-ip=::1'] : []),
    `listening-port=${port}`,
    'min-port=50000',
    'max-port=59999',
    'lt-cred-mech',
    `user=${username}:${password}`,
    `realm=${realm}`,
    'fingerprint',
    ...tlsLines,
    'no-dtls',
    'allow-loopback-peers',
    'no-cli',
    'no-multicast-peers',
    `userdb=${join(dir, 'turndb')}`,
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `log-file=${join(dir, 'turn.log')}`,
    'simple-log',
  ].join('\n');
  const configPath = join(dir, 'turnserver.conf');
  writeFileSync(configPath, `${config}\n`);
  const child: ChildProcess = spawn(TURNSERVER, ['-c', configPath], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForStun(port, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    ipv6,
    tlsPort,
    certificate,
    username,
    password,
    realm,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
