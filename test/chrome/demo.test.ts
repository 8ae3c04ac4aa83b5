import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { within } from './lab.js';
import { type ChromeSession, chromiumAvailable, launchChrome, requireChromiumInCi } from './launch.js';

requireChromiumInCi();

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// The README's screenshot is refreshed on request (UPDATE_SCREENSHOT=1); ordinary runs write it
// under reports/ so a test run leaves the work tree clean.
const SCREENSHOT = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOT === '1' ? '../../demo/screenshot.png' : '../../reports/demo-screenshot.png',
    import.meta.url,
  ),
);

interface DemoState {
  connectionState: string;
  messages: { from: string; text: string }[];
  framesDecoded: number;
  audioPacketsReceived: number;
}

declare global {
  interface Window {
    demo: DemoState;
  }
}

/** Starts `demo/server.ts` as `npm start` would, on a free loopback port; resolves with its URL. */
function startServer(log: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'demo/server.ts', '--port', '0', '--host', '127.0.0.1', '--ice-address', '127.0.0.1'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return within(
    new Promise((resolve, reject) => {
      let buffered = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          log.push(line);
          const m = /listening on (http:\/\/\S+)/.exec(line);
          if (m) resolve({ child, url: m[1]! });
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
      child.once('exit', (code) => reject(new Error(`demo server exited (${code}): ${log.join('\n')}`)));
    }),
    20_000,
    'the demo server to listen',
  );
}

async function until<T>(
  page: Page,
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await page.waitForTimeout(200);
  }
}

describe.skipIf(!chromiumAvailable)('the demo (npm start) in Chromium', () => {
  let chrome: ChromeSession;
  let server: ChildProcess | undefined;
  let url = '';
  const log: string[] = [];

  beforeAll(async () => {
    ({ child: server, url } = await startServer(log));
    chrome = await launchChrome();
    await chrome.context.grantPermissions(['camera', 'microphone'], { origin: url });
  });
  afterAll(async () => {
    await chrome?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await within(exited, 10_000, 'the demo server to exit').catch(() => server!.kill('SIGKILL'));
    }
  });

  it('connects, echoes chat to every page and the camera back through the server, then survives a page leaving', async () => {
    const page = chrome.page;
    await page.setViewportSize({ width: 1280, height: 700 });
    await page.goto(url);
    await page.click('#connect');
    const demo = () => page.evaluate(() => window.demo);
    await until(page, demo, (d) => d.connectionState === 'connected', 'page 1 connected');

    // A second page without media joins; chat from the first reaches both.
    const other = await chrome.context.newPage();
    await other.goto(url);
    await other.uncheck('#with-media');
    await other.click('#connect');
    await until(
      other,
      () => other.evaluate(() => window.demo),
      (d) => d.connectionState === 'connected',
      'page 2 connected',
    );
    await until(page, () => page.isEnabled('#chat-input'), Boolean, 'page 1 chat open');
    await until(other, () => other.isEnabled('#chat-input'), Boolean, 'page 2 chat open');

    await page.fill('#chat-input', 'hello from Chromium through purertc');
    await page.press('#chat-input', 'Enter');
    const mine = await until(page, demo, (d) => d.messages.length > 0, 'the chat echo');
    expect(mine.messages[0]!.text).toBe('hello from Chromium through purertc');
    const theirs = await until(
      other,
      () => other.evaluate(() => window.demo.messages),
      (m) => m.length > 0,
      'the chat broadcast on page 2',
    );
    expect(theirs[0]).toEqual(mine.messages[0]);

    const first = await until(
      page,
      demo,
      (d) => d.framesDecoded > 0 && d.audioPacketsReceived > 0,
      'echoed media',
    );
    const later = await until(
      page,
      demo,
      (d) =>
        d.framesDecoded >= first.framesDecoded + 30 && d.audioPacketsReceived > first.audioPacketsReceived,
      'echoed frames decoding',
    );
    expect(later.framesDecoded).toBeGreaterThan(first.framesDecoded);

    // Page 2 leaves without hanging up; the server notices and keeps serving page 1.
    await other.close();
    await until(
      page,
      async () => ((await (await fetch(`${url}/api/peers`)).json()) as { peers: string[] }).peers.length,
      (n) => n === 1,
      'the server dropping the closed page',
      // Chromium sends nothing when a tab closes: ICE consent expiry (RFC 7675, 30 s) notices.
      45_000,
    );
    await page.fill('#chat-input', 'still here');
    await page.press('#chat-input', 'Enter');
    await until(
      page,
      demo,
      (d) => d.messages.some((m) => m.text === 'still here'),
      'chat after the other page left',
    );

    // Let the charts fill before the README screenshot.
    await until(
      page,
      () => page.evaluate(() => document.querySelectorAll('#facts dd').length),
      (n) => n > 0,
      'facts',
    );
    await page.waitForTimeout(4000);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(log.some((l) => l.includes('connected'))).toBe(true);
    expect(log.some((l) => l.includes('gone'))).toBe(true);
  }, 90_000);
});
