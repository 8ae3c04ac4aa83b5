import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Event, RTCDataChannel, RTCDataChannelParameters, RTCSctpTransport } from 'werift';
import { type DataChannelEvent, DataChannelManager, SctpAssociation, SctpUdpDriver } from '../src/index.js';

/**
 * purertc's association against werift's SCTP (RTCSctpTransport), each on its own loopback UDP
 * socket. werift expects a DTLS transport below it; a stand-in object passes its packets to UDP.
 */
interface Harness {
  ours: DataChannelManager;
  driver: SctpUdpDriver;
  events: DataChannelEvent[];
  theirs: RTCSctpTransport;
  theirChannels: RTCDataChannel[];
  close: () => void;
}

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) h.close();
});

async function bound(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s;
}

async function setup(weriftInitiates: boolean): Promise<Harness> {
  const sOurs = await bound();
  const sTheirs = await bound();
  // werift's ICE-controlling side sends INIT and uses odd stream ids; we take the other parity.
  const ours = new DataChannelManager(new SctpAssociation(), weriftInitiates ? 'client' : 'server');
  const events: DataChannelEvent[] = [];
  const waiters = new Set<() => void>();
  const driver = new SctpUdpDriver(
    ours,
    sOurs,
    { address: '127.0.0.1', port: sTheirs.address().port },
    () => {
      for (let e = ours.pollEvent(); e; e = ours.pollEvent()) events.push(e);
      for (const w of waiters) w();
    },
  );
  const fakeDtls = {
    id: 'in-process',
    onStateChange: new Event<[string]>(),
    iceTransport: { role: weriftInitiates ? 'controlling' : 'controlled' },
    dataReceiver: (_: Buffer) => {},
    sendData: async (data: Buffer) => {
      sTheirs.send(data, sOurs.address().port, '127.0.0.1');
    },
  };
  sTheirs.on('message', (msg) => fakeDtls.dataReceiver(msg));
  const theirs = new RTCSctpTransport(5000);
  theirs.setDtlsTransport(fakeDtls as unknown as Parameters<RTCSctpTransport['setDtlsTransport']>[0]);
  const theirChannels: RTCDataChannel[] = [];
  theirs.onDataChannel.subscribe((ch) => theirChannels.push(ch));
  const h: Harness = {
    ours,
    driver,
    events,
    theirs,
    theirChannels,
    close: () => {
      driver.close();
      theirs.sctp.setState(1 as never);
      void theirs.stop().catch(() => {});
      sOurs.close();
      sTheirs.close();
    },
  };
  open.push(h);
  void theirs.start(5000);
  if (!weriftInitiates) {
    ours.connect(driver.now());
    driver.flush();
  }
  (h as Harness & { waiters: Set<() => void> }).waiters = waiters;
  return h;
}

/** Resolves when `cond` holds, re-checked on our activity and werift events; bounded. */
function until(h: Harness, cond: () => boolean, label: string, ms = 5000): Promise<void> {
  const waiters = (h as Harness & { waiters: Set<() => void> }).waiters;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (cond()) {
        cleanup();
        resolve();
      }
    };
    const poll = setInterval(check, 5);
    const timeout = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${label}`));
    }, ms);
    const cleanup = () => {
      clearInterval(poll);
      clearTimeout(timeout);
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });
}

const connected = (h: Harness) => h.events.some((e) => e.type === 'connected');

for (const weriftInitiates of [true, false]) {
  describe(`werift interop (${weriftInitiates ? 'werift' : 'purertc'} initiates)`, () => {
    it('connects, opens channels from both ends and exchanges messages', async () => {
      const h = await setup(weriftInitiates);
      await until(h, () => connected(h) && h.theirs.sctp.associationState === 4, 'association');
      // Ours -> werift, with a non-ASCII label (UTF-8 byte length differs from string length).
      const mine = h.ours.createChannel({ label: 'données ✓ 日本', protocol: 'chat' });
      h.driver.flush();
      await until(h, () => h.theirChannels.length === 1, 'werift sees our channel');
      const theirView = h.theirChannels[0]!;
      expect(theirView.label).toBe('données ✓ 日本');
      expect(theirView.protocol).toBe('chat');
      expect(theirView.id).toBe(mine.id);
      const gotByThem: (string | Buffer)[] = [];
      theirView.onMessage.subscribe((m) => gotByThem.push(m));
      h.ours.send(mine.id, 'bonjour');
      h.ours.send(mine.id, Buffer.alloc(100_000, 9));
      h.driver.flush();
      await until(h, () => gotByThem.length === 2, 'werift receives');
      expect(gotByThem[0]).toBe('bonjour');
      expect((gotByThem[1] as Buffer).length).toBe(100_000);

      // werift -> ours. ASCII label: werift 0.25.2 writes the label's string length as its byte
      // length, and drops the unordered bit when maxRetransmits is set, so we test what it encodes right.
      const theirsCh = new RTCDataChannel(
        h.theirs,
        new RTCDataChannelParameters({ label: 'from-werift', ordered: false }),
      );
      await until(h, () => h.events.some((e) => e.type === 'channel-open'), 'we see werift channel');
      const ev = h.events.find((e) => e.type === 'channel-open');
      expect(ev).toMatchObject({
        channel: { label: 'from-werift', ordered: false, maxRetransmits: undefined },
      });
      await until(h, () => theirsCh.readyState === 'open', 'werift channel open');
      theirsCh.send('hi from werift');
      theirsCh.send(Buffer.from([1, 2, 3]));
      await until(h, () => h.events.filter((e) => e.type === 'message').length === 2, 'we receive');
      const msgs = h.events.filter((e) => e.type === 'message');
      expect(msgs[0]).toMatchObject({ data: 'hi from werift', binary: false });
      expect(msgs[1]).toMatchObject({ data: Buffer.from([1, 2, 3]), binary: true });
    });

    it('pre-negotiated channel and close by stream reset', async () => {
      const h = await setup(weriftInitiates);
      await until(h, () => connected(h) && h.theirs.sctp.associationState === 4, 'association');
      const theirNeg = new RTCDataChannel(
        h.theirs,
        new RTCDataChannelParameters({ label: 'négocié', negotiated: true, id: 42 }),
      );
      h.ours.createChannel({ label: 'négocié', negotiated: true, id: 42 });
      const got: (string | Buffer)[] = [];
      theirNeg.onMessage.subscribe((m) => got.push(m));
      h.ours.send(42, 'via negotiated');
      h.driver.flush();
      await until(h, () => got.length === 1, 'werift receives on negotiated channel');
      expect(got[0]).toBe('via negotiated');
      theirNeg.send('back');
      await until(
        h,
        () => h.events.some((e) => e.type === 'message' && e.id === 42),
        'we receive on negotiated',
      );
      // werift's OPEN for a non-ASCII label declares the string length, not the UTF-8 byte length
      // (RFC 8832 5.1 asks for bytes): we drop that malformed OPEN, count it, and carry on.
      new RTCDataChannel(h.theirs, new RTCDataChannelParameters({ label: 'é' }));
      await until(h, () => h.ours.stats.malformedDcep === 1, 'malformed OPEN counted');
      // We close: werift sees the reset and closes its side.
      h.ours.close(42);
      h.driver.flush();
      await until(h, () => theirNeg.readyState === 'closed', 'werift closes');
    });
  });
}
