import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RTCDataChannel as WeriftDataChannel, RTCPeerConnection as WeriftPeerConnection } from 'werift';
import { type RTCConfiguration, type RTCDataChannel, RTCPeerConnection } from '../../src/index.js';
import { channelOpen, LOOPBACK, nextChannel, within } from '../helpers/peers.js';
import { completeLocalDescription, weriftPeer } from '../helpers/werift.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Sends each payload and collects what comes back, in order. */
async function echoRoundTrip(
  ch: { send(d: string | Uint8Array): void; addEventListener: EventTarget['addEventListener'] },
  payloads: (string | Uint8Array)[],
): Promise<unknown[]> {
  const got: unknown[] = [];
  const done = new Promise<void>((resolve) => {
    ch.addEventListener('message', (e) => {
      got.push((e as MessageEvent).data);
      if (got.length === payloads.length) resolve();
    });
  });
  for (const p of payloads) ch.send(p);
  await within(done, 15_000, `${payloads.length} echoes`);
  return got;
}

/** werift answers with a=max-message-size:65536 and offers none (64 KiB by RFC 8841 6.1). */
const PAYLOADS: (string | Uint8Array)[] = [
  'hello',
  '',
  'ünïcödé ✓',
  new Uint8Array(0),
  new Uint8Array([0, 1, 2, 255]),
  randomBytes(1200),
  randomBytes(65_536),
  randomBytes(65_000),
  'x'.repeat(65_536),
];

function expectEchoes(got: unknown[]): void {
  expect(got).toHaveLength(PAYLOADS.length);
  PAYLOADS.forEach((p, i) => {
    if (p.length === 0) expect(got[i]).toBe(typeof p === 'string' ? 'empty string' : 'empty binary');
    else if (typeof p === 'string') expect(got[i]).toBe(p);
    else {
      expect(got[i]).toBeInstanceOf(ArrayBuffer);
      expect(Buffer.from(got[i] as ArrayBuffer).equals(Buffer.from(p))).toBe(true);
    }
  });
}

/**
 * werift echoes, except that it would send an empty message as a DATA chunk without user data
 * (RFC 8831 6.6 wants one zero byte), so it reports an empty message by name instead.
 */
function weriftEcho(dc: WeriftDataChannel): void {
  dc.onMessage.subscribe((m) =>
    dc.send(m.length > 0 ? m : typeof m === 'string' ? 'empty string' : 'empty binary'),
  );
}

describe('purertc RTCPeerConnection with werift over loopback', () => {
  /** purertc offers to an echoing werift; returns our open channel. */
  async function offerToWerift(
    config: RTCConfiguration,
  ): Promise<{ ours: RTCPeerConnection; ch: RTCDataChannel }> {
    const ours = new RTCPeerConnection({ ...LOOPBACK, ...config });
    const theirs: WeriftPeerConnection = weriftPeer();
    cleanups.push(
      () => ours.close(),
      () => theirs.close(),
    );
    theirs.onDataChannel.subscribe(weriftEcho);
    const ch = ours.createDataChannel('echo');
    await ours.setLocalDescription(await ours.createOffer());
    await theirs.setRemoteDescription(await completeLocalDescription(ours));
    await theirs.setLocalDescription(await theirs.createAnswer());
    await ours.setRemoteDescription({ type: 'answer', sdp: theirs.localDescription!.sdp });
    await within(channelOpen(ch), 15_000, 'channel open');
    return { ours, ch };
  }

  it('purertc offers, werift answers: data channel echoes intact', async () => {
    const { ours, ch } = await offerToWerift({});
    expectEchoes(await echoRoundTrip(ch, PAYLOADS));
    // W3C 6.2 send(): past the peer's max-message-size is a TypeError, and the channel stays open.
    expect(() => ch.send(new Uint8Array(65_537))).toThrow(TypeError);
    expect(ch.readyState).toBe('open');
    expect(ours.connectionState).toBe('connected');
    const stats = await ours.getStats();
    const types = new Set([...stats.values()].map((s) => s.type));
    for (const t of [
      'peer-connection',
      'transport',
      'candidate-pair',
      'local-candidate',
      'remote-candidate',
      'certificate',
      'data-channel',
    ]) {
      expect(types.has(t), t).toBe(true);
    }
  });

  it('werift offers, purertc answers: data channel echoes intact', async () => {
    const ours = new RTCPeerConnection(LOOPBACK);
    const theirs: WeriftPeerConnection = weriftPeer();
    cleanups.push(
      () => ours.close(),
      () => theirs.close(),
    );
    const incoming = nextChannel(ours);
    const dc = theirs.createDataChannel('from-werift');
    await theirs.setLocalDescription(await theirs.createOffer());
    await ours.setRemoteDescription({ type: 'offer', sdp: theirs.localDescription!.sdp });
    await ours.setLocalDescription(await ours.createAnswer());
    const answer = await completeLocalDescription(ours);
    await theirs.setRemoteDescription(answer);
    const mine = await within(incoming, 15_000, 'datachannel event');
    expect(mine.label).toBe('from-werift');
    mine.addEventListener('message', (e) => {
      const data = (e as MessageEvent).data as string | ArrayBuffer;
      mine.send(typeof data === 'string' ? data : new Uint8Array(data));
    });
    await within(
      new Promise<void>((resolve) =>
        dc.readyState === 'open' ? resolve() : dc.stateChanged.subscribe((s) => s === 'open' && resolve()),
      ),
      15_000,
      'werift channel open',
    );
    const got: (string | Buffer)[] = [];
    const wanted = PAYLOADS.filter((p) => p.length > 0);
    const done = new Promise<void>((resolve) =>
      dc.onMessage.subscribe((m) => {
        got.push(m);
        if (got.length === wanted.length) resolve();
      }),
    );
    for (const p of wanted) dc.send(typeof p === 'string' ? p : Buffer.from(p));
    await within(done, 15_000, 'echoes at werift');
    wanted.forEach((p, i) => {
      if (typeof p === 'string') expect(got[i]).toBe(p);
      else expect(Buffer.from(got[i] as Buffer).equals(Buffer.from(p))).toBe(true);
    });
  });

  /** Resolves once path MTU discovery has raised our SCTP packets to `size`. */
  function packetSizeReaches(ours: RTCPeerConnection, size: number): Promise<void> {
    const grown = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (ours.sctp?.packetSize === size) {
          clearInterval(t);
          resolve();
        }
      }, 5);
      cleanups.push(() => clearInterval(t));
    });
    return within(grown, 5_000, `SCTP packets of ${size} bytes`);
  }

  /** Echoes `count` 60 KB messages through werift and checks every byte. */
  async function echoesIntact(ch: RTCDataChannel, count: number): Promise<void> {
    const payloads = Array.from({ length: count }, () => randomBytes(60_000));
    const got = await echoRoundTrip(ch, payloads);
    payloads.forEach((p, i) => {
      expect(Buffer.from(got[i] as ArrayBuffer).equals(p)).toBe(true);
    });
  }

  it('on a loopback pair path MTU discovery (RFC 8899) raises our SCTP packets to 2008 bytes by default', async () => {
    const { ours, ch } = await offerToWerift({});
    await packetSizeReaches(ours, 2008);
    await echoesIntact(ch, 8);
  });

  it('sctpMaxPacketSize 16384: discovery confirms one full DTLS record per packet and werift takes them', async () => {
    const { ours, ch } = await offerToWerift({ sctpMaxPacketSize: 16_384 });
    await packetSizeReaches(ours, 16_384);
    await echoesIntact(ch, 24);
    expect(ours.sctp?.packetSize).toBe(16_384);
  });

  it('sctpMaxPacketSize 1200 keeps the packets at 1200 bytes on the same pair', async () => {
    const { ours, ch } = await offerToWerift({ sctpMaxPacketSize: 1200 });
    await echoesIntact(ch, 4);
    expect(ours.sctp?.packetSize).toBe(1200);
  });

  it('werift as an ICE-lite offerer: purertc answers as the controlling agent (RFC 8445 6.1.1)', async () => {
    const ours = new RTCPeerConnection(LOOPBACK);
    const theirs: WeriftPeerConnection = new WeriftPeerConnection({
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceLite: true,
    });
    cleanups.push(
      () => ours.close(),
      () => theirs.close(),
    );
    const incoming = nextChannel(ours);
    theirs.createDataChannel('lite');
    await theirs.setLocalDescription(await theirs.createOffer());
    expect(theirs.localDescription!.sdp).toContain('a=ice-lite');
    await ours.setRemoteDescription({ type: 'offer', sdp: theirs.localDescription!.sdp });
    await ours.setLocalDescription(await ours.createAnswer());
    await theirs.setRemoteDescription(await completeLocalDescription(ours));
    const mine = await within(incoming, 15_000, 'datachannel from a lite peer');
    expect(mine.label).toBe('lite');
    const stats = [...(await ours.getStats()).values()].find((s) => s.type === 'transport');
    expect(stats?.iceRole).toBe('controlling');
  });
});
