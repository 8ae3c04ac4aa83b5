import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StunClass, StunMessage, StunMessageBuilder, StunMethod } from '@purertc/ice';

const TURNSERVER = '/usr/bin/turnserver';

export function coturnInstalled(): boolean {
  return existsSync(TURNSERVER);
}

export interface Coturn {
  /** UDP (and, with `tcp`, TCP) listening port. */
  readonly port: number;
  /** With `tls`: the TLS listening port and the self-signed certificate (PEM) coturn presents. */
  readonly tlsPort?: number;
  readonly certificate?: string;
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

/** A TCP port nobody listens on right now. */
async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Connects every 100 ms until the port accepts, at most `timeoutMs` (coturn opens TLS last). */
async function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (performance.now() > deadline) throw new Error(`coturn did not listen on TCP ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A self-signed P-256 certificate for 127.0.0.1 (the name a client connecting there verifies). */
function selfSignedCertificate(dir: string): { cert: string; key: string; pem: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=purertc-test-turn',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key, pem: readFileSync(cert, 'utf8') };
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

export interface CoturnOptions {
  /** Accept TURN over UDP on `port` (default true); off proves a client used TCP or TLS. */
  udp?: boolean;
  /** Also accept TURN over TCP on `port` (RFC 6062 control connections). */
  tcp?: boolean;
  /** Also accept TURN over TLS on `tlsPort`, with a self-signed certificate. */
  tls?: boolean;
}

/** coturn on loopback with long-term credentials and loopback peers allowed. */
export async function startCoturn(options: CoturnOptions = {}): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-peer-coturn-'));
  const port = await freeUdpPort();
  const tlsPort = options.tls ? await freeTcpPort() : undefined;
  const tls = options.tls ? selfSignedCertificate(dir) : undefined;
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
    ...(tls && tlsPort !== undefined
      ? [`tls-listening-port=${tlsPort}`, `cert=${tls.cert}`, `pkey=${tls.key}`]
      : ['no-tls']),
    'no-dtls',
    ...(options.udp === false ? ['no-udp'] : []),
    ...(options.tcp ? [] : ['no-tcp']),
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
    if (options.udp !== false) await waitForStun(port, 10_000);
    if (options.tcp) await waitForTcp(port, 10_000);
    if (tlsPort !== undefined) await waitForTcp(tlsPort, 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    username,
    password,
    stop,
    ...(tlsPort !== undefined && tls ? { tlsPort, certificate: tls.pem } : {}),
  };
}
