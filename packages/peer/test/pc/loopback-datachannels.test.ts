import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RTCDataChannel, type RTCDataChannelInit, RTCPeerConnection } from '../../src/index.js';
import { channelOpen, LOOPBACK, negotiate, nextChannel, trickle, waitFor, within } from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

async function connectedPair(): Promise<
  [RTCPeerConnection, RTCPeerConnection, RTCDataChannel, RTCDataChannel]
> {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  open.push(a, b);
  trickle(a, b);
  const ch = a.createDataChannel('control');
  const incoming = nextChannel(b);
  await negotiate(a, b);
  await within(channelOpen(ch), 10_000, 'control channel open');
  return [a, b, ch, await within(incoming, 10_000, 'control channel at b')];
}

function collect(ch: RTCDataChannel, count: number): Promise<unknown[]> {
  const got: unknown[] = [];
  return new Promise((resolve) => {
    ch.addEventListener('message', (e) => {
      got.push((e as MessageEvent).data);
      if (got.length === count) resolve(got);
    });
  });
}

function countMessages(ch: RTCDataChannel, n: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const on = (): void => {
      if (++seen < n) return;
      ch.removeEventListener('message', on);
      resolve();
    };
    ch.addEventListener('message', on);
  });
}

const SIZES = [0, 1, 1199, 1200, 16_384, 65_536, 100_000, 262_144];

const KINDS: [string, RTCDataChannelInit][] = [
  ['reliable ordered', {}],
  ['reliable unordered', { ordered: false }],
  ['rexmit 0 unordered', { ordered: false, maxRetransmits: 0 }],
  ['rexmit 3 ordered', { maxRetransmits: 3 }],
  ['lifetime 500 ms unordered', { ordered: false, maxPacketLifeTime: 500 }],
  ['negotiated id 42', { negotiated: true, id: 42 }],
];

describe('purertc to purertc over loopback: data channels', () => {
  it('every channel type carries messages of 0 B to 256 KiB both ways', { timeout: 120_000 }, async () => {
    const [a, b] = await connectedPair();
    for (const [label, init] of KINDS) {
      const mine = a.createDataChannel(label, init);
      const theirs = init.negotiated
        ? b.createDataChannel(label, init)
        : await within(nextChannel(b), 5000, `${label} at b`);
      await within(Promise.all([channelOpen(mine), channelOpen(theirs)]), 5000, `${label} open`);
      expect(theirs.label).toBe(label);
      expect(theirs.ordered).toBe(init.ordered ?? true);
      expect(theirs.maxRetransmits).toBe(init.maxRetransmits ?? null);
      expect(theirs.maxPacketLifeTime).toBe(init.maxPacketLifeTime ?? null);
      expect(theirs.id).toBe(mine.id);
      for (const [from, to] of [
        [mine, theirs],
        [theirs, mine],
      ] as const) {
        const payloads = SIZES.map((n) => randomBytes(n));
        const ascii = (p: Buffer) => p.toString('base64').slice(0, p.length);
        const got = collect(to, payloads.length * 2);
        const reliable = init.maxRetransmits === undefined && init.maxPacketLifeTime === undefined;
        for (const p of payloads) {
          // A partially reliable channel may drop a message when a burst overflows a loopback
          // socket buffer, so those go one at a time.
          const arrived = reliable ? undefined : countMessages(to, 2);
          from.send(p);
          from.send(ascii(p));
          if (arrived) await within(arrived, 15_000, `${label} ${p.length} B`);
        }
        const received = await within(got, 30_000, `${label} messages`);
        // Unordered channels may reorder; compare as multisets of digests.
        const digest = (x: unknown) =>
          typeof x === 'string'
            ? `s${x.length}:${createHash('sha1').update(x, 'latin1').digest('hex')}`
            : `b${createHash('sha1')
                .update(Buffer.from(x as ArrayBuffer))
                .digest('hex')}`;
        const expected = payloads.flatMap((p) => [
          digest(p.buffer.slice(p.byteOffset, p.byteOffset + p.length)),
          digest(ascii(p)),
        ]);
        expect(received.map(digest).sort()).toEqual(expected.sort());
      }
    }
  });

  it('16 MB arrive intact with bufferedAmount backpressure', async () => {
    const [, , ch, theirs] = await connectedPair();
    const total = 16 * 1024 * 1024;
    const chunk = 65_536;
    const source = randomBytes(total);
    const sink = createHash('sha256');
    let received = 0;
    const done = new Promise<void>((resolve) => {
      theirs.addEventListener('message', (e) => {
        const data = Buffer.from((e as MessageEvent).data as ArrayBuffer);
        sink.update(data);
        received += data.length;
        if (received === total) resolve();
      });
    });
    ch.bufferedAmountLowThreshold = 1024 * 1024;
    let sent = 0;
    let maxBuffered = 0;
    const pump = (): void => {
      while (sent < total && ch.bufferedAmount < 2 * 1024 * 1024) {
        ch.send(source.subarray(sent, sent + chunk));
        sent += chunk;
        maxBuffered = Math.max(maxBuffered, ch.bufferedAmount);
      }
    };
    ch.onbufferedamountlow = pump;
    pump();
    await within(done, 60_000, '16 MB');
    expect(sink.digest('hex')).toBe(createHash('sha256').update(source).digest('hex'));
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(2 * 1024 * 1024 + chunk);
  }, 90_000);

  it('send before open and on a closed channel throws InvalidStateError', async () => {
    const [a, , ch] = await connectedPair();
    const fresh = a.createDataChannel('later');
    expect(fresh.readyState).toBe('connecting');
    expect(() => fresh.send('x')).toThrowError(expect.objectContaining({ name: 'InvalidStateError' }));
    ch.close();
    expect(() => ch.send('x')).toThrowError(expect.objectContaining({ name: 'InvalidStateError' }));
  });

  it('close on either side closes the channel on both', async () => {
    const [a, b, ch, theirs] = await connectedPair();
    const extra = a.createDataChannel('extra');
    const extraTheirs = await within(nextChannel(b), 5000, 'extra at b');
    await channelOpen(extra);
    const closedHere = new Promise((r) => ch.addEventListener('close', r, { once: true }));
    const closedThere = new Promise((r) => theirs.addEventListener('close', r, { once: true }));
    ch.close();
    await within(Promise.all([closedHere, closedThere]), 5000, 'close from a');
    expect(ch.readyState).toBe('closed');
    expect(theirs.readyState).toBe('closed');
    const c1 = new Promise((r) => extra.addEventListener('close', r, { once: true }));
    const c2 = new Promise((r) => extraTheirs.addEventListener('close', r, { once: true }));
    extraTheirs.close();
    await within(Promise.all([c1, c2]), 5000, 'close from b');
  });

  it('closing a connection closes its channels and the remote ones', async () => {
    for (const closer of [0, 1]) {
      const peers = await connectedPair();
      const [a, b, ch, theirs] = peers;
      const remoteSide = closer === 0 ? theirs : ch;
      const remoteClosed = new Promise((r) => remoteSide.addEventListener('close', r, { once: true }));
      (closer === 0 ? a : b).close();
      expect((closer === 0 ? a : b).connectionState).toBe('closed');
      expect((closer === 0 ? a : b).signalingState).toBe('closed');
      expect((closer === 0 ? ch : theirs).readyState).toBe('closed');
      await within(remoteClosed, 5000, 'remote channel close');
      expect(remoteSide.readyState).toBe('closed');
      const other = closer === 0 ? b : a;
      other.close();
      expect(other.connectionState).toBe('closed');
    }
  });
});

describe('purertc to purertc over loopback: renegotiation', () => {
  it('adds a channel and a transceiver mid-call, then restarts ICE with the channel open', async () => {
    const [a, b, ch, theirs] = await connectedPair();
    let needed = 0;
    a.onnegotiationneeded = () => needed++;
    const track = a.addTransceiver('video').sender;
    expect(track).toBeDefined();
    await waitFor(a, 'negotiationneeded', () => needed > 0);
    const gotTrack = new Promise((r) => b.addEventListener('track', r, { once: true }));
    await negotiate(a, b);
    await within(gotTrack, 5000, 'track event');
    // b made a recvonly transceiver for the offered section (W3C 4.4.1.5), so a only sends.
    expect(a.getTransceivers()[0]!.currentDirection).toBe('sendonly');
    expect(b.getTransceivers()[0]!.currentDirection).toBe('recvonly');
    expect(b.getTransceivers()[0]!.mid).toBe(a.getTransceivers()[0]!.mid);
    const second = b.createDataChannel('second');
    const atA = await within(nextChannel(a), 5000, 'second channel at a');
    await channelOpen(second);
    expect(atA.label).toBe('second');

    const ufragBefore = /a=ice-ufrag:(\S+)/.exec(a.localDescription!.sdp)![1];
    a.restartIce();
    await negotiate(a, b);
    const ufragAfter = /a=ice-ufrag:(\S+)/.exec(a.localDescription!.sdp)![1];
    expect(ufragAfter).not.toBe(ufragBefore);
    await waitFor(
      a,
      'iceconnectionstatechange',
      () => a.iceConnectionState === 'connected' || a.iceConnectionState === 'completed',
    );
    const echoed = new Promise((r) =>
      theirs.addEventListener('message', (e) => r((e as MessageEvent).data), { once: true }),
    );
    ch.send('after restart');
    expect(await within(echoed, 5000, 'message after restart')).toBe('after restart');
    expect(ch.readyState).toBe('open');
  });
});
