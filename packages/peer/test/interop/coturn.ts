import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StunClass, StunMessage, StunMessageBuilder, StunMethod } from '@purertc/ice';

const TURNSERVER = '/usr/bin/turnserver';

export function coturnInstalled(): boolean {
  return existsSync(TURNSERVER);
}

export interface Coturn {
  readonly port: number;
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

/** A UDP port nobody uses right now (bound and released). */
async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Binding requests every 100 ms until coturn answers, at most `timeoutMs`. */
async function waitForStun(port: number, timeoutMs: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const request = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, Buffer.alloc(12, 7)).finish({
    fingerprint: true,
  });
  let retry: NodeJS.Timeout | undefined;
  let fail: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const send = (): void => {
        socket.send(request, port, '127.0.0.1');
      };
      retry = setInterval(send, 100);
      fail = setTimeout(() => reject(new Error('coturn did not answer STUN')), timeoutMs);
      socket.on('message', (msg) => {
        if (StunMessage.tryParse(msg)?.messageClass === StunClass.SuccessResponse) resolve();
      });
      send();
    });
  } finally {
    clearInterval(retry);
    clearTimeout(fail);
    socket.close();
  }
}

/** coturn on loopback with long-term credentials and loopback peers allowed. */
export async function startCoturn(): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-peer-coturn-'));
  const port = await freeUdpPort();
  const username = 'peer';
  const password = 'peer-secret';
  const config = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    'min-port=40000',
    'max-port=49999',
    'lt-cred-mech',
    `user=${username}:${password}`,
    'realm=purertc.test',
    'fingerprint',
    'no-tls',
    'no-dtls',
    'no-tcp',
    'allow-loopback-peers',
    'no-cli',
    `userdb=${join(dir, 'turndb')}`,
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `log-file=${join(dir, 'turn.log')}`,
    'simple-log',
  ].join('\n');
  const configPath = join(dir, 'turnserver.conf');
  writeFileSync(configPath, `${config}\n`);
  const child: ChildProcess = spawn(TURNSERVER, ['-c', configPath], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForStun(port, 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, username, password, stop };
}
