import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDtlsConnection,
  type DtlsConnection,
  type DtlsEvent,
  type DtlsFingerprint,
} from '../src/index.js';
import { cert } from './helpers.js';
import { waitUntil } from './interop-helpers.js';
import { isStunBindingRequest, stunBindingResponse } from './stun-lite.js';

/** The browser globals used inside page.evaluate (this package compiles without the DOM lib). */
interface BrowserPc {
  close(): void;
  createDataChannel(label: string): unknown;
  setLocalDescription(): Promise<void>;
  setRemoteDescription(d: { type: 'answer'; sdp: string }): Promise<void>;
  localDescription: { sdp: string } | null;
  getStats(): Promise<{ forEach(cb: (s: Record<string, unknown>) => void): void }>;
}
type BrowserGlobals = { pc?: BrowserPc; RTCPeerConnection: new () => BrowserPc };

const SRTP_NAMES: Record<number, string> = {
  1: 'SRTP_AES128_CM_HMAC_SHA1_80',
  7: 'SRTP_AEAD_AES_128_GCM',
  8: 'SRTP_AEAD_AES_256_GCM',
};

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ICE_UFRAG = 'purertcdtls';
const ICE_PWD = 'purertc-dtls-test-password-0123';

/**
 * Chromium (the live browser, DTLS 1.3 and 1.2 offered, post-quantum key share) connects to our
 * DTLS endpoint behind a minimal ICE-lite responder. Chrome's own getStats() tells which DTLS
 * version and cipher suite it negotiated; our side checks Chrome's certificate fingerprint from its
 * SDP and receives Chrome's first SCTP packet as DTLS application data.
 */
describe.skipIf(!existsSync(CHROMIUM))('interop with Chromium over loopback UDP', () => {
  let context: BrowserContext;
  let page: Page;
  let server: Server;
  let profile: string;
  beforeAll(async () => {
    // Chrome gathers loopback candidates only for an origin granted camera and microphone, and in
    // a loopback-only network namespace it has no other address to send from.
    server = createServer((_req, res) => res.end('<!doctype html><title>dtls</title>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'purertc-dtls-chrome-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--allow-loopback-in-peer-connection',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
      ],
      timeout: 30_000,
    });
    await context.grantPermissions(['camera', 'microphone'], { origin });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/`);
  }, 40_000);
  afterAll(async () => {
    await context?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  for (const ourRole of ['server', 'client'] as const) {
    it(`Chrome as DTLS ${ourRole === 'server' ? 'client' : 'server'}, us as DTLS ${ourRole}`, async () => {
      const socket: Socket = createSocket('udp4');
      await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
      const port = socket.address().port;
      try {
        const offer = await page.evaluate(async () => {
          const w = globalThis as unknown as BrowserGlobals;
          w.pc?.close();
          const pc = new w.RTCPeerConnection();
          w.pc = pc;
          pc.createDataChannel('probe');
          await pc.setLocalDescription();
          return pc.localDescription!.sdp;
        });
        const fp = /a=fingerprint:(\S+) (\S+)/.exec(offer)!;
        const chromeFingerprint: DtlsFingerprint = { algorithm: fp[1]!, value: fp[2]! };
        const mid = /a=mid:(\S+)/.exec(offer)![1]!;
        const ours = cert('ecdsa', 1);
        const conn: DtlsConnection = createDtlsConnection(
          {
            role: ourRole,
            certificate: ours,
            remoteFingerprints: [chromeFingerprint],
            retransmit: { initialMs: 100 },
          },
          performance.now(),
        );
        const events: DtlsEvent[] = [];
        let remote: { address: string; port: number } | undefined;
        let timer: NodeJS.Timeout | undefined;
        const flush = () => {
          for (let d = conn.poll(); d; d = conn.poll())
            if (remote) socket.send(d, remote.port, remote.address);
          for (let e = conn.pollEvent(); e; e = conn.pollEvent()) events.push(e);
          if (timer) clearTimeout(timer);
          const deadline = conn.nextDeadline();
          if (deadline !== undefined) {
            timer = setTimeout(
              () => {
                conn.handleTimeout(performance.now());
                flush();
              },
              Math.max(0, deadline - performance.now()),
            );
          }
        };
        socket.on('message', (msg, rinfo) => {
          if (isStunBindingRequest(msg)) {
            socket.send(stunBindingResponse(msg, rinfo, ICE_PWD), rinfo.port, rinfo.address);
            if (!remote) {
              remote = { address: rinfo.address, port: rinfo.port };
              conn.start(performance.now());
              flush();
            }
            return;
          }
          if (msg[0]! >= 20 && msg[0]! <= 63) {
            conn.handle(msg, performance.now());
            flush();
          }
        });
        const answer = [
          'v=0',
          'o=- 1 1 IN IP4 127.0.0.1',
          's=-',
          't=0 0',
          `a=group:BUNDLE ${mid}`,
          'a=ice-lite',
          'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
          'c=IN IP4 127.0.0.1',
          `a=mid:${mid}`,
          `a=ice-ufrag:${ICE_UFRAG}`,
          `a=ice-pwd:${ICE_PWD}`,
          `a=fingerprint:sha-256 ${ours.getFingerprints()[0]!.value}`,
          `a=setup:${ourRole === 'server' ? 'passive' : 'active'}`,
          'a=sctp-port:5000',
          `a=candidate:1 1 udp 2130706431 127.0.0.1 ${port} typ host`,
          'a=end-of-candidates',
          '',
        ].join('\r\n');
        await page.evaluate(async (sdp) => {
          const w = globalThis as unknown as BrowserGlobals;
          await w.pc!.setRemoteDescription({ type: 'answer', sdp });
        }, answer);
        await waitUntil(
          () => events.some((e) => e.type === 'connected' || e.type === 'error'),
          15_000,
          'DTLS with Chrome',
        );
        if (timer) clearTimeout(timer);
        const connected = events.find((e) => e.type === 'connected');
        expect(connected, JSON.stringify(events)).toMatchObject({ type: 'connected' });
        // Chrome's SCTP INIT (RFC 8261: SCTP over DTLS) arrives as our application data.
        await waitUntil(() => events.some((e) => e.type === 'data'), 10_000, 'SCTP packet from Chrome');
        const sctp = events.find((e) => e.type === 'data');
        expect(sctp?.type === 'data' && sctp.data.readUInt16BE(2)).toBe(5000);
        const stats = await page.evaluate(async () => {
          const w = globalThis as unknown as BrowserGlobals;
          const out: Record<string, unknown>[] = [];
          (await w.pc!.getStats()).forEach((s: Record<string, unknown>) => {
            if (s.type === 'transport') out.push(s);
          });
          return out[0];
        });
        expect(stats).toMatchObject({
          dtlsState: 'connected',
          tlsVersion: 'FEFD',
          dtlsCipher: connected?.type === 'connected' ? connected.cipherSuite : '',
          srtpCipher: SRTP_NAMES[connected?.type === 'connected' ? (connected.srtpProfile ?? 0) : 0],
        });
        conn.close();
        flush();
      } finally {
        socket.close();
      }
    }, 40_000);
  }
});
