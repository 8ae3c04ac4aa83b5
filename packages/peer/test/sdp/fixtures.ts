import { readFileSync } from 'node:fs';

/** Reads one of Chrome 156's captured descriptions from test/sdp/fixtures. */
export function chromeFixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');
}
