import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { SimDriverStub } from '../helpers/stub-driver.js';

/** A stub whose forks work too, so unbundled answers really get several transports. */
class ForkingStub extends SimDriverStub {
  fork(): ForkingStub {
    return new ForkingStub();
  }
}

const open: RTCPeerConnection[] = [];
afterAll(() => {
  for (const pc of open.splice(0)) pc.close();
});

const NAMED = new Set(['InvalidAccessError', 'SyntaxError', 'OperationError', 'InvalidStateError']);

function groupLines(sdp: string): string[][] {
  return [...sdp.matchAll(/^a=group:BUNDLE ?([^\r\n]*)$/gm)].map((m) => m[1]!.split(' ').filter((x) => x));
}

describe('remote offers with arbitrary BUNDLE groups (RFC 9143)', () => {
  it('are applied or refused by name; an answer only keeps offered groups, each on one transport', async () => {
    const offerer = new RTCPeerConnection({ driver: new ForkingStub(), bundlePolicy: 'max-compat' });
    open.push(offerer);
    offerer.addTransceiver('audio');
    offerer.addTransceiver('video');
    offerer.createDataChannel('x');
    const base = (await offerer.createOffer()).sdp!.replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');
    const mid = fc.constantFrom('0', '1', '2', '7', '');
    const groups = fc.array(fc.array(mid, { maxLength: 4 }), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(groups, async (gs) => {
        const lines = gs.map((g) => `a=group:BUNDLE ${g.join(' ')}`.trimEnd());
        const sdp = base.replace('t=0 0\r\n', `t=0 0\r\n${lines.map((l) => `${l}\r\n`).join('')}`);
        const pc = new RTCPeerConnection({ driver: new ForkingStub() });
        open.push(pc);
        try {
          await pc.setRemoteDescription({ type: 'offer', sdp });
        } catch (e) {
          expect(NAMED.has((e as Error).name), String(e)).toBe(true);
          expect(pc.signalingState).toBe('stable');
          return;
        }
        await pc.setLocalDescription();
        const answer = pc.localDescription!.sdp;
        const offered = groupLines(sdp);
        // Every answered group is a subset of one offered group, and no mid is in two groups.
        const answered = groupLines(answer);
        const seen = new Set<string>();
        for (const g of answered) {
          expect(offered.some((o) => g.every((m) => o.includes(m)))).toBe(true);
          for (const m of g) {
            expect(seen.has(m)).toBe(false);
            seen.add(m);
          }
        }
        // Sections sharing a group share ICE credentials; sections in different groups do not.
        const ufragOf = (m: string) =>
          new RegExp(`a=ice-ufrag:(\\S+)\\r\\n(?:[^m][^\\r\\n]*\\r\\n)*?a=mid:${m}\\r\\n`).exec(answer)?.[1];
        const units = [...answered, ...['0', '1', '2'].filter((m) => !seen.has(m)).map((m) => [m])];
        const byUnit = units.map((u) => new Set(u.map(ufragOf)));
        for (const set of byUnit) expect(set.size).toBe(1);
        const all = byUnit.map((set) => [...set][0]);
        expect(new Set(all).size).toBe(all.length);
        pc.close();
      }),
      { numRuns: 60 },
    );
  });
});
