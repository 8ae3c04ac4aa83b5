import type { RTCPeerConnection, RtpTrack } from '@purertc/peer';
import { describe, expect, it } from 'vitest';
import { DTLS_1_2, DTLS_1_3, readClientHello, X25519_MLKEM768 } from './client-hello.js';
import {
  type ChromeStats,
  channelOpen,
  connect,
  connectThroughRelay,
  echoText,
  freshPair,
  negotiate,
  ROLES,
  type Role,
  useLab,
  within,
} from './lab.js';
import { chromiumAvailable, requireChromiumInCi } from './launch.js';

requireChromiumInCi();

describe.skipIf(!chromiumAvailable)('handshake facts with Chromium', () => {
  const lab = useLab();

  const chromeTransport = async (): Promise<ChromeStats> => {
    const stats = await lab.chrome.page.evaluate(() => window.lab.stats());
    const transports = stats.filter((s) => s.type === 'transport');
    return transports.find((s) => s.selectedCandidatePairId !== undefined) ?? transports[0]!;
  };
  const ourTransport = async (pc: RTCPeerConnection) =>
    [...(await pc.getStats()).values()].find((s) => s.type === 'transport')!;

  it("Chrome's ClientHello (captured on the wire) offers DTLS 1.3 and 1.2 with a post-quantum key share in fragments; 1.2 results", async () => {
    const pc = await freshPair(lab.chrome, 'offerer', { media: true });
    lab.ours = pc;
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const ch = pc.createDataChannel('after-hello');
    const relay = await connectThroughRelay(lab.chrome.page, pc);
    try {
      const hello = readClientHello(relay.fromChrome);
      expect(hello.supportedVersions).toEqual(expect.arrayContaining([DTLS_1_3, DTLS_1_2]));
      expect(hello.legacyVersion).toBe(DTLS_1_2);
      expect(hello.keyShareGroups).toContain(X25519_MLKEM768);
      expect(hello.fragments).toBeGreaterThan(1);
      expect(hello.srtpProfiles.length).toBeGreaterThan(0);
      const theirs = await chromeTransport();
      expect(theirs.dtlsRole).toBe('client');
      expect(theirs.tlsVersion).toBe('FEFD');
      await within(channelOpen(ch), 10_000, 'channel open through the relay');
      await echoText(ch, 'after a DTLS 1.3 hello, over DTLS 1.2');
      const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
      console.log(
        `Chrome ClientHello: ${hello.length} bytes in ${hello.fragments} fragments, versions ${hello.supportedVersions.map(hex).join(',')}, key shares ${hello.keyShareGroups.map(hex).join(',')}, SRTP profiles ${hello.srtpProfiles.map(hex).join(',')} -> ${theirs.tlsVersion} ${theirs.dtlsCipher}`,
      );
    } finally {
      relay.close();
    }
  });

  for (const role of ROLES) {
    describe(`purertc ${role}`, () => {
      it("DTLS 1.2 is negotiated from Chrome's 1.3+1.2 hello; cipher and SRTP profile agree on both ends", async () => {
        const pc = await freshPair(lab.chrome, role, { media: true });
        lab.ours = pc;
        if (role === 'offerer') pc.addTransceiver('audio', { direction: 'recvonly' });
        await connect(lab.chrome.page, pc, role);
        // Right after connecting Chrome may still list the unbundled transports of its offer.
        const deadline = performance.now() + 5000;
        let theirs = await chromeTransport();
        while (theirs.dtlsState !== 'connected' && performance.now() < deadline) {
          await lab.chrome.page.waitForTimeout(100);
          theirs = await chromeTransport();
        }
        const mine = await ourTransport(pc);
        // purertc offers actpass and answers active: Chrome is DTLS client when purertc offers.
        const chromeRole = role === 'offerer' ? 'client' : 'server';
        expect(theirs.dtlsRole).toBe(chromeRole);
        expect(mine.dtlsRole).toBe(chromeRole === 'client' ? 'server' : 'client');
        expect(theirs.dtlsState).toBe('connected');
        expect(theirs.tlsVersion).toBe('FEFD'); // DTLS 1.2 on the wire (RFC 6347 4.1)
        expect(mine.tlsVersion).toBe('FEFD');
        expect(theirs.dtlsCipher).toMatch(/^TLS_ECDHE_ECDSA_WITH_AES_(128|256)_GCM_SHA(256|384)$/);
        expect(typeof theirs.srtpCipher).toBe('string');
        expect(mine.srtpCipher).toBe(theirs.srtpCipher);
        expect(mine.dtlsCipher).toBe(theirs.dtlsCipher);
        console.log(
          `purertc ${role} (Chrome DTLS ${chromeRole}): tlsVersion ${theirs.tlsVersion}, dtlsCipher ${theirs.dtlsCipher}, srtpCipher ${theirs.srtpCipher}`,
        );
      });

      it('ICE restart offered by purertc and then by Chrome keeps the data channel open', async () => {
        const pc = await freshPair(lab.chrome, role);
        lab.ours = pc;
        const ch = pc.createDataChannel('survivor');
        await connect(lab.chrome.page, pc, role);
        await within(channelOpen(ch), 10_000, 'channel open');
        await echoText(ch, 'before restart');
        const ufrags = async (): Promise<[string, string]> => [
          String((await ourTransport(pc)).iceLocalUsernameFragment),
          String((await chromeTransport()).iceLocalUsernameFragment),
        ];
        let before = await ufrags();
        for (const restarter of ['offerer', 'answerer'] as Role[]) {
          // purertc as `offerer` restarts from our side; as `answerer` Chrome offers the restart.
          if (restarter === 'offerer') pc.restartIce();
          await negotiate(lab.chrome.page, pc, restarter, { iceRestart: true });
          await within(
            (async () => {
              for (;;) {
                const now = await ufrags();
                const chromeState = (await chromeTransport()).iceState;
                // Our side is done when its fresh check list (RFC 8445 9) holds a nominated pair.
                const ourPairs = [...(await pc.getStats()).values()].filter(
                  (s) => s.type === 'candidate-pair',
                );
                const ourDone = ourPairs.some((p) => p.nominated === true && p.state === 'succeeded');
                if (now[0] !== before[0] && now[1] !== before[1] && chromeState === 'connected' && ourDone)
                  return;
                await lab.chrome.page.waitForTimeout(100);
              }
            })(),
            15_000,
            `new ICE credentials in use after a restart offered by ${restarter === 'offerer' ? 'purertc' : 'Chrome'}`,
          );
          before = await ufrags();
          expect(ch.readyState).toBe('open');
          await echoText(ch, `after restart by ${restarter === 'offerer' ? 'purertc' : 'Chrome'}`);
        }
        expect(pc.connectionState).toBe('connected');
      });

      // Found by Chrome interop: a restart offered (candidates included) before our side had
      // selected a pair of the previous one wiped the new offer's candidates on our side.
      it('back-to-back ICE restarts, the next offered before the previous one finished, keep the data channel open', async () => {
        const pc = await freshPair(lab.chrome, role);
        lab.ours = pc;
        const ch = pc.createDataChannel('survivor');
        await connect(lab.chrome.page, pc, role);
        await within(channelOpen(ch), 10_000, 'channel open');
        const ourUfrag = async () => String((await ourTransport(pc)).iceLocalUsernameFragment);
        const first = await ourUfrag();
        // purertc restarts first, then Chrome at once, then Chrome again: nothing waits in between.
        pc.restartIce();
        await negotiate(lab.chrome.page, pc, 'offerer', { iceRestart: true });
        await negotiate(lab.chrome.page, pc, 'answerer', { iceRestart: true });
        await negotiate(lab.chrome.page, pc, 'answerer', { iceRestart: true });
        const last = await ourUfrag();
        expect(last).not.toBe(first);
        await within(
          (async () => {
            for (;;) {
              const chromeState = (await chromeTransport()).iceState;
              const ourPairs = [...(await pc.getStats()).values()].filter((s) => s.type === 'candidate-pair');
              const ourDone = ourPairs.some((p) => p.nominated === true && p.state === 'succeeded');
              if (chromeState === 'connected' && ourDone && (await ourUfrag()) === last) return;
              await lab.chrome.page.waitForTimeout(100);
            }
          })(),
          10_000,
          'a nominated pair of the last generation on both sides',
        );
        expect(ch.readyState).toBe('open');
        await echoText(ch, 'after back-to-back restarts');
        expect(pc.connectionState).toBe('connected');
      });

      it('renegotiation adds video after a data-only start', async () => {
        const pc = await freshPair(lab.chrome, role);
        lab.ours = pc;
        const ch = pc.createDataChannel('first');
        await connect(lab.chrome.page, pc, role);
        await within(channelOpen(ch), 10_000, 'channel open');
        expect(pc.getTransceivers()).toHaveLength(0);

        let packets = 0;
        const gotVideo = new Promise<void>((resolve) =>
          pc.addEventListener('track', (e) => {
            const track = (e as unknown as { track: RtpTrack }).track;
            track.addEventListener('rtp', () => {
              if (++packets === 20) resolve();
            });
          }),
        );
        await lab.chrome.page.evaluate(() => window.lab.addCamera());
        if (role === 'offerer') pc.addTransceiver('video', { direction: 'recvonly' });
        await negotiate(lab.chrome.page, pc, role);
        await within(gotVideo, 15_000, '20 video RTP packets from Chrome after renegotiation');
        expect(pc.getTransceivers().map((t) => [t.kind, t.currentDirection])).toEqual([
          ['video', 'recvonly'],
        ]);
        await echoText(ch, 'channel unaffected');
      });
    });
  }
});
