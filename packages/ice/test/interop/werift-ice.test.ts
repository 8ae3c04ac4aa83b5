import { afterEach, describe, expect, it } from 'vitest';
import { Candidate, Connection } from 'werift';
import { NodeIceTransport, parseCandidate, serializeCandidate } from '../../src/index.js';

/** Resolves when `check` holds after an event of `transport`, rejects after `ms`. */
function waitFor(transport: NodeIceTransport, check: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const off = transport.on(() => {
      if (check()) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('interop with werift ICE over loopback UDP', () => {
  const cases = [
    { weControl: true, weriftLite: false, name: 'purertc controlling' },
    { weControl: false, weriftLite: false, name: 'purertc controlled' },
    { weControl: true, weriftLite: true, name: 'purertc controlling a werift ICE-lite agent' },
  ];
  for (const { weControl, weriftLite, name } of cases) {
    it(`connects and exchanges data with ${name}`, async () => {
      const ours = new NodeIceTransport({ controlling: weControl, addresses: ['127.0.0.1'] });
      cleanups.push(() => ours.close());
      const theirs = new Connection(!weControl, {
        useIpv4: true,
        useIpv6: false,
        additionalHostAddresses: ['127.0.0.1'],
        iceLite: weriftLite,
      });
      cleanups.push(() => theirs.close());

      const received: Buffer[] = [];
      ours.on((e) => {
        if (e.type === 'data') received.push(e.data);
      });
      const theirReceived: Buffer[] = [];
      let gotTheirs: () => void = () => {};
      const theirData = new Promise<void>((resolve) => {
        gotTheirs = resolve;
      });
      theirs.onData.subscribe((d) => {
        theirReceived.push(d);
        gotTheirs();
      });

      await ours.gather();
      await theirs.gatherCandidates();

      ours.setRemoteCredentials({ ufrag: theirs.localUsername, pwd: theirs.localPassword });
      theirs.setRemoteParams({
        iceLite: false,
        usernameFragment: ours.localCredentials.ufrag,
        password: ours.localCredentials.pwd,
      });
      for (const c of theirs.localCandidates) {
        if (c.host !== '127.0.0.1') continue; // loopback only
        expect(ours.addRemoteCandidate(`candidate:${c.toSdp()}`)).toBe(true);
      }
      ours.endOfRemoteCandidates();
      for (const c of ours.agent.localCandidateList) {
        const line = serializeCandidate(c);
        expect(parseCandidate(line).address).toBe('127.0.0.1');
        await theirs.addRemoteCandidate(Candidate.fromSdp(line.slice('candidate:'.length)));
      }
      await theirs.addRemoteCandidate(undefined);

      const theirConnect = theirs.connect();
      await waitFor(
        ours,
        () => ours.state === 'connected' || ours.state === 'completed',
        10_000,
        'connected',
      );
      await theirConnect;
      expect(ours.selectedPair?.remote.address).toBe('127.0.0.1');

      // Application data both ways (first byte outside 0-3 so it is not taken for STUN).
      await theirs.send(Buffer.from([0x80, 0xaa, 0xbb]));
      await waitFor(ours, () => received.length > 0, 5000, 'data from werift');
      expect(received[0]).toEqual(Buffer.from([0x80, 0xaa, 0xbb]));
      ours.send(Buffer.from([0x81, 0xcc]));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        theirData,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out waiting for data at werift')), 5000);
        }),
      ]);
      clearTimeout(timer);
      expect(theirReceived[0]).toEqual(Buffer.from([0x81, 0xcc]));
      expect(ours.agent.stats.unauthenticated).toBe(0);
    });
  }
});
