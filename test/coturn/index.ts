/**
 * coturn (Debian's `turnserver`) started for a test: a generated config on a free loopback port,
 * long-term credentials, loopback peers allowed; UDP by default, TCP/TLS/IPv6 on request. Used by
 * the ice and peer interop tests (`.ci/run` installs coturn and openssl).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TURNSERVER = '/usr/bin/turnserver';
const OPENSSL = '/usr/bin/openssl';

export function coturnInstalled(): boolean {
  return existsSync(TURNSERVER);
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

export interface CoturnOptions {
  /** Accept TURN over UDP on `port` (default true); off proves a client used TCP or TLS. */
  udp?: boolean;
  /** Also accept TURN over TCP on `port`. */
  tcp?: boolean;
  /** Also accept TURN over TLS on `tlsPort`, with a self-signed certificate (needs openssl). */
  tls?: boolean;
  /** Also listen and relay on ::1 when the machine has IPv6 loopback. */
  ipv6?: boolean;
  /** Relay ports coturn allocates from; tests running at once keep theirs apart. */
  relayPorts?: readonly [number, number];
}

export interface Coturn {
  /** UDP (and, with `tcp`, TCP) listening port. */
  readonly port: number;
  /** Whether it also listens and relays on ::1. */
  readonly ipv6: boolean;
  /** With `tls` (and openssl present): the TLS port and the certificate (PEM) coturn presents. */
  readonly tlsPort: number | undefined;
  readonly certificate: string | undefined;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (bound and released). */
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

/**
 * A minimal Binding request (RFC 8489 5: type 0x0001, length 0, magic cookie, transaction id),
 * built by hand so this helper depends on no package under test.
 */
function bindingRequest(): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt16BE(0x0001, 0);
  b.writeUInt32BE(0x2112a442, 4);
  b.fill(7, 8, 20);
  return b;
}

/** Binding requests every 100 ms until coturn answers with a success response, at most `timeoutMs`. */
async function waitForStun(port: number, timeoutMs: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const request = bindingRequest();
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
        if (
          msg.length >= 20 &&
          msg.readUInt16BE(0) === 0x0101 &&
          msg.subarray(8, 20).equals(request.subarray(8, 20))
        )
          resolve();
      });
      send();
    });
  } finally {
    clearInterval(retry);
    clearTimeout(fail);
    socket.close();
  }
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

/** A self-signed P-256 certificate for 127.0.0.1 and localhost (what a client verifies there). */
function selfSignedCertificate(dir: string): { cert: string; key: string; pem: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    OPENSSL,
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
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key, pem: readFileSync(cert, 'utf8') };
}

export async function startCoturn(options: CoturnOptions = {}): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-coturn-'));
  const port = await freePort();
  const username = 'purertc';
  const password = 'secret-password';
  const realm = 'purertc.test';
  const ipv6 = options.ipv6 === true && (await ipv6LoopbackAvailable());
  const tls = options.tls && existsSync(OPENSSL) ? selfSignedCertificate(dir) : undefined;
  const tlsPort = tls ? await freePort() : undefined;
  const [minPort, maxPort] = options.relayPorts ?? [40000, 59999];
  const config = [
    'listening-ip=127.0.0.1',
    ...(ipv6 ? ['listening-ip=::1'] : []),
    'relay-ip=127.0.0.1',
    ...(ipv6 ? ['relay-ip=::1'] : []),
    `listening-port=${port}`,
    `min-port=${minPort}`,
    `max-port=${maxPort}`,
    'lt-cred-mech',
    `user=${username}:${password}`,
    `realm=${realm}`,
    'fingerprint',
    ...(tls && tlsPort !== undefined
      ? [`tls-listening-port=${tlsPort}`, `cert=${tls.cert}`, `pkey=${tls.key}`]
      : ['no-tls']),
    'no-dtls',
    ...(options.udp === false ? ['no-udp'] : []),
    ...(options.tcp ? [] : ['no-tcp']),
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
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (options.udp !== false) await waitForStun(port, 10_000);
    if (options.tcp) await waitForTcp(port, 10_000);
    if (tlsPort !== undefined) await waitForTcp(tlsPort, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { port, ipv6, tlsPort, certificate: tls?.pem, username, password, realm, stop };
}
