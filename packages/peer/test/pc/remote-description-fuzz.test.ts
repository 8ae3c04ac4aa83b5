import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { SimDriverStub } from '../helpers/stub-driver.js';

const offer = readFileSync(new URL('../sdp/fixtures/chrome-offer-av-data.sdp', import.meta.url), 'latin1');
const lines = offer.split('\r\n').filter((l) => l !== '');

const open: RTCPeerConnection[] = [];
afterAll(() => {
  for (const pc of open.splice(0)) pc.close();
});

/** Chrome's offer with lines dropped, duplicated, swapped or corrupted. */
const mangled = fc
  .array(
    fc.oneof(
      fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
      fc.record({ op: fc.constant('corrupt' as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((ops) => {
    const out = [...lines];
    for (const o of ops) {
      const i = o.at % out.length;
      if (o.op === 'drop') out.splice(i, 1);
      else if (o.op === 'dup') out.splice(i, 0, out[i]!);
      else if (o.op === 'swap') {
        const j = o.to % out.length;
        [out[i], out[j]] = [out[j]!, out[i]!];
      } else out[i] = `${out[i]!.slice(0, 2)}${o.text}`;
    }
    return `${out.join('\r\n')}\r\n`;
  });

describe('setRemoteDescription with mangled offers', () => {
  it('either applies or rejects with a named error, and a rejection changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(mangled, async (sdp) => {
        const pc = new RTCPeerConnection({ driver: new SimDriverStub() });
        open.push(pc);
        try {
          await pc.setRemoteDescription({ type: 'offer', sdp });
          expect(pc.signalingState).toBe('have-remote-offer');
          // An accepted offer can be answered.
          const answer = await pc.createAnswer();
          expect(answer.sdp).toMatch(/^v=0\r\n/);
        } catch (e) {
          expect(e).toBeInstanceOf(DOMException);
          expect(['SyntaxError', 'InvalidAccessError', 'OperationError']).toContain((e as DOMException).name);
          expect(pc.signalingState).toBe('stable');
          expect(pc.remoteDescription).toBeNull();
          expect(pc.getTransceivers()).toHaveLength(0);
        } finally {
          pc.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
