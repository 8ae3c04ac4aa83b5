import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; `apt-get install -y chromium` (.ci/run installs it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
export const CHROMIUM_MISSING_MESSAGE = `
************************************************************************
* Chrome interop tests SKIPPED: no Chromium at ${CHROMIUM_PATH}.
* Install it with:  apt-get install -y chromium
************************************************************************`;

/**
 * At the top of every Chrome test file: in CI a missing Chromium fails the run; elsewhere the
 * suite is skipped, loudly, with the install command.
 */
export function requireChromiumInCi(): void {
  if (chromiumAvailable) return;
  if (process.env.CI) throw new Error(`Chromium is required in CI.${CHROMIUM_MISSING_MESSAGE}`);
  console.warn(CHROMIUM_MISSING_MESSAGE);
}

/** Flags that let headless Chromium run WebRTC over loopback with fake devices and no network. */
export const CHROMIUM_ARGS = [
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
  '--autoplay-policy=no-user-gesture-required',
];

export interface ChromeSession {
  page: Page;
  context: BrowserContext;
  /** `http://127.0.0.1:<port>`, the page's origin. */
  origin: string;
  close(): Promise<void>;
}

/**
 * A page that runs `page-common.js`, then `script` (a file next to this one, e.g. page-peer.js).
 */
export function scriptPage(title: string, script: string): string {
  const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><script>${read('page-common.js')}</script><script>${read(script)}</script></body></html>`;
}

const BLANK_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>purertc</title></head><body></body></html>';

/**
 * Starts Chromium with a fresh profile and opens a page served from 127.0.0.1. Camera and
 * microphone are granted to that origin: without the grant Chrome gathers no loopback candidates.
 */
export async function launchChrome(options: { html?: string } = {}): Promise<ChromeSession> {
  const html = options.html ?? BLANK_PAGE;
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(join(tmpdir(), 'purertc-chrome-'));
  let context: BrowserContext | undefined;
  const cleanup = async () => {
    await context?.close().catch(() => {});
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    await context.grantPermissions(['camera', 'microphone'], { origin });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/`);
    return { page, context, origin, close: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
