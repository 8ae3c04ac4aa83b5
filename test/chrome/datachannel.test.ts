import { createHash } from 'node:crypto';
import type { RTCDataChannel, RTCDataChannelInit, RTCPeerConnection } from '@purertc/peer';
import { describe, expect, it } from 'vitest';
import {
  channelOpen,
  connect,
  freshPair,
  nextChannel,
  nextMessage,
  ROLES,
  type Role,
  useLab,
  within,
} from './lab.js';
import { chromiumAvailable, requireChromiumInCi } from './launch.js';

requireChromiumInCi();

const SIZES = [0, 1, 16 * 1024, 64 * 1024, 256 * 1024];
const BIG = 16 * 1024 * 1024;

const KINDS: { name: string; label: string; init: RTCDataChannelInit; maxSize?: number }[] = [
  { name: 'reliable ordered', label: 'reliable', init: {} },
  { name: 'unordered', label: 'unordered', init: { ordered: false } },
  // Without retransmission a 256 KiB message (about 220 packets sent in one burst once the
  // congestion window is large) is lost whenever one packet is: under load on this 2-core machine
  // Chromium's UDP receive buffer overflows and the message is gone by design (RFC 8831 6.6). So
  // this channel is held to 64 KiB; the larger sizes are covered by the other kinds.
  {
    name: 'maxRetransmits 0',
    label: 'rexmit0',
    init: { ordered: false, maxRetransmits: 0 },
    maxSize: 64 * 1024,
  },
  { name: 'maxPacketLifeTime', label: 'lifetime', init: { maxPacketLifeTime: 3000 } },
  { name: 'non-ASCII label', label: 'чат ☃ データ 🚀', init: { protocol: 'прото' } },
];

/** Same byte pattern as page-peer.js generates, so either side can check the other's stream. */
function pattern(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.imul(i, 2654435761) >>> 24;
  return out;
}

function stringOf(size: number): string {
  let s = '';
  while (s.length < size) s += 'purertc↔chrome '.repeat(64);
  // Multi-byte characters make UTF-8 longer than the string; cut by bytes.
  return Buffer.from(s)
    .subarray(0, size)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

async function echo(ch: RTCDataChannel, data: string | Buffer): Promise<void> {
  // A channel without retransmissions may lose a packet (the browser's socket buffer overflows on
  // loopback too under load), and then the whole message is gone by design (RFC 8831 6.6). What
  // must hold there: whatever comes back is intact. So it gets a few attempts.
  const attempts = ch.maxRetransmits === 0 ? 4 : 1;
  for (let attempt = 1; ; attempt++) {
    const reply = within(
      nextMessage(ch),
      attempts > 1 ? 3000 : 10_000,
      `echo of ${data.length} bytes on ${ch.label}`,
    );
    ch.send(data);
    let got: unknown;
    try {
      got = await reply;
    } catch (e) {
      if (attempt < attempts) continue;
      throw e;
    }
    if (typeof data === 'string') expect(got).toBe(data);
    else expect(Buffer.from(got as ArrayBuffer).equals(data)).toBe(true);
    return;
  }
}

describe.skipIf(!chromiumAvailable)('data channels with Chromium', () => {
  const lab = useLab();

  async function start(role: Role): Promise<RTCPeerConnection> {
    lab.ours = await freshPair(lab.chrome, role);
    return lab.ours;
  }

  for (const role of ROLES) {
    describe(`purertc ${role}`, () => {
      it('every channel kind echoes 0 B to 256 KiB messages, string and binary, with the options Chrome sees', async () => {
        const pc = await start(role);
        const chans = KINDS.map((k) => pc.createDataChannel(k.label, k.init));
        await connect(lab.chrome.page, pc, role);
        await within(Promise.all(chans.map(channelOpen)), 10_000, 'channels open');
        for (const [i, k] of KINDS.entries()) {
          const ch = chans[i]!;
          ch.binaryType = 'arraybuffer';
          const info = await within(
            lab.chrome.page.evaluate((l) => window.lab.channelInfo(l), k.label),
            5000,
            `Chrome's datachannel event for ${k.label}`,
          );
          expect(info).toMatchObject({
            label: k.label,
            ordered: k.init.ordered ?? true,
            maxRetransmits: k.init.maxRetransmits ?? null,
            maxPacketLifeTime: k.init.maxPacketLifeTime ?? null,
            protocol: k.init.protocol ?? '',
            id: ch.id,
            readyState: 'open',
          });
          for (const size of SIZES.filter((n) => n <= (k.maxSize ?? Number.POSITIVE_INFINITY))) {
            await echo(ch, stringOf(size));
            await echo(ch, pattern(size));
          }
        }
      }, 120_000);

      it('pre-negotiated channel (negotiated: true, id 7) carries messages both ways', async () => {
        const pc = await start(role);
        const ch = pc.createDataChannel('pre', { negotiated: true, id: 7 });
        await connect(lab.chrome.page, pc, role);
        await within(
          lab.chrome.page.evaluate(() => window.lab.createChannel('pre', { negotiated: true, id: 7 })),
          10_000,
          'Chrome pre-negotiated channel open',
        );
        await within(channelOpen(ch), 10_000, 'our pre-negotiated channel open');
        ch.binaryType = 'arraybuffer';
        expect(await lab.chrome.page.evaluate(() => window.lab.channelInfo('pre'))).toMatchObject({
          negotiated: true,
          id: 7,
        });
        await echo(ch, 'pre-negotiated ✓');
        await echo(ch, pattern(64 * 1024));
      });

      it('16 MB each way with backpressure: SHA-256 matches, MB/s printed', async () => {
        const pc = await start(role);
        const toChrome = pc.createDataChannel(`sink:${BIG}`);
        await connect(lab.chrome.page, pc, role);
        await within(channelOpen(toChrome), 10_000, 'sink open');
        const data = pattern(BIG);
        const expected = createHash('sha256').update(data).digest('hex');

        // purertc -> Chrome: keep at most 4 MiB queued, refill on bufferedamountlow.
        const hashBack = within(nextMessage(toChrome), 60_000, 'Chrome hash of 16 MB');
        const t0 = performance.now();
        await within(
          new Promise<void>((resolve) => {
            let sent = 0;
            toChrome.bufferedAmountLowThreshold = 1024 * 1024;
            let maxBuffered = 0;
            const pump = (): void => {
              while (sent < BIG && toChrome.bufferedAmount <= 4 * 1024 * 1024) {
                const n = Math.min(64 * 1024, BIG - sent);
                toChrome.send(data.subarray(sent, sent + n));
                sent += n;
                maxBuffered = Math.max(maxBuffered, toChrome.bufferedAmount);
              }
              if (sent === BIG) {
                toChrome.onbufferedamountlow = null;
                expect(maxBuffered).toBeLessThanOrEqual(4 * 1024 * 1024 + 64 * 1024);
                resolve();
              }
            };
            toChrome.onbufferedamountlow = pump;
            pump();
          }),
          60_000,
          'sending 16 MB',
        );
        expect(await hashBack).toBe(expected);
        const up = BIG / 1e6 / ((performance.now() - t0) / 1000);

        // Chrome -> purertc through the page's own backpressure loop.
        const incoming = within(nextChannel(pc), 10_000, 'source channel from Chrome');
        const t1 = performance.now();
        void lab.chrome.page.evaluate((l) => window.lab.createChannel(l), `source:${BIG}`);
        const fromChrome = await incoming;
        fromChrome.binaryType = 'arraybuffer';
        const received = await within(
          new Promise<{ hash: string; bytes: number; claimed: string }>((resolve) => {
            const h = createHash('sha256');
            let bytes = 0;
            fromChrome.onmessage = (e) => {
              const d = (e as MessageEvent).data as ArrayBuffer | string;
              if (typeof d === 'string') resolve({ hash: h.digest('hex'), bytes, claimed: d });
              else {
                h.update(new Uint8Array(d));
                bytes += d.byteLength;
              }
            };
          }),
          60_000,
          'receiving 16 MB from Chrome',
        );
        const down = BIG / 1e6 / ((performance.now() - t1) / 1000);
        expect(received.bytes).toBe(BIG);
        expect(received.hash).toBe(expected);
        expect(received.claimed).toBe(expected);
        // Path MTU discovery (RFC 8899) probed this same-host pair with HEARTBEATs up to 2008 bytes
        // (2048-byte datagrams, the most libwebrtc reads). Chrome 156 takes them but sends no
        // HEARTBEAT ACK above its own MTU, so the size stays unconfirmed and data stays at 1200:
        // the probes must cost nothing else.
        expect(pc.sctp?.packetSize).toBeGreaterThanOrEqual(1200);
        expect(pc.sctp?.packetSize).toBeLessThanOrEqual(2008);
        console.log(
          `16 MB purertc(${role}) -> Chrome: ${up.toFixed(1)} MB/s; Chrome -> purertc(${role}): ${down.toFixed(1)} MB/s` +
            ` (our SCTP packets: ${pc.sctp?.packetSize} bytes)`,
        );
      }, 150_000);

      it('50 channels opened at once all echo', async () => {
        const pc = await start(role);
        const first = pc.createDataChannel('c0');
        await connect(lab.chrome.page, pc, role);
        const chans = [first, ...Array.from({ length: 49 }, (_, i) => pc.createDataChannel(`c${i + 1}`))];
        await within(Promise.all(chans.map(channelOpen)), 15_000, '50 channels open');
        expect(new Set(chans.map((c) => c.id)).size).toBe(50);
        const replies = await within(
          Promise.all(
            chans.map((ch) => {
              const r = nextMessage(ch);
              ch.send(`hello from ${ch.label}`);
              return r;
            }),
          ),
          15_000,
          '50 echoes',
        );
        expect(replies).toEqual(chans.map((c) => `hello from ${c.label}`));
        const open = await lab.chrome.page.evaluate(() => window.lab.openChannels());
        for (const c of chans) expect(open).toContain(c.label);
      });

      it('close from purertc is seen by Chrome; close from Chrome is seen by purertc; others stay open', async () => {
        const pc = await start(role);
        const a = pc.createDataChannel('closed-by-us');
        const b = pc.createDataChannel('closed-by-chrome');
        const keep = pc.createDataChannel('keep');
        await connect(lab.chrome.page, pc, role);
        await within(Promise.all([a, b, keep].map(channelOpen)), 10_000, 'channels open');
        await echo(a, 'before close');

        const chromeSawIt = lab.chrome.page.evaluate(() => window.lab.channelClosed('closed-by-us'));
        a.close();
        await within(chromeSawIt, 10_000, 'Chrome closing the channel we closed');
        await within(
          new Promise<void>((resolve) => {
            if (a.readyState === 'closed') resolve();
            else a.addEventListener('close', () => resolve(), { once: true });
          }),
          10_000,
          'our channel closed',
        );

        const weSawIt = within(
          new Promise<void>((resolve) => b.addEventListener('close', () => resolve(), { once: true })),
          10_000,
          'purertc seeing the channel Chrome closed',
        );
        await lab.chrome.page.evaluate(() => window.lab.closeChannel('closed-by-chrome'));
        await weSawIt;
        expect(b.readyState).toBe('closed');

        expect(keep.readyState).toBe('open');
        await echo(keep, 'still here');
        expect(await lab.chrome.page.evaluate(() => window.lab.closedChannels())).toEqual(
          expect.arrayContaining(['closed-by-us', 'closed-by-chrome']),
        );
      });
    });
  }
});
