import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromeSession, chromiumAvailable, launchChrome, requireChromiumInCi } from './launch.js';

requireChromiumInCi();

// What every Chrome interop scenario relies on: Chromium starts headless, and with the loopback
// flag plus the camera/microphone grant it offers UDP host candidates on loopback only.
describe.skipIf(!chromiumAvailable)('Chromium harness', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await launchChrome();
  });
  afterAll(async () => {
    await chrome?.close();
  });

  it('gathers loopback UDP host candidates and nothing outside loopback', async () => {
    const candidates = await chrome.page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      pc.createDataChannel('probe');
      await pc.setLocalDescription();
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState === 'complete') resolve();
        });
      });
      const lines = pc.localDescription!.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
      pc.close();
      return lines;
    });
    const udp = candidates.filter((c) => c.split(' ')[2] === 'udp');
    expect(udp.length).toBeGreaterThan(0);
    for (const c of candidates) expect(c.split(' ')[4]).toMatch(/^(127\.|::1$)/);
  });
});
