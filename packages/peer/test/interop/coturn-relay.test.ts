import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { channelOpen, negotiate, nextChannel, nextMessage, trickle, within } from '../helpers/peers.js';
import { coturnInstalled, startCoturn } from './coturn.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(!coturnInstalled())('TURN relay through coturn (RFC 8656)', () => {
  it("two relay-only peers connect through coturn's relayed addresses", async () => {
    const turn = await startCoturn();
    cleanups.push(() => turn.stop());
    const config = {
      bindAddresses: ['127.0.0.1'],
      iceTransportPolicy: 'relay' as const,
      iceServers: [
        { urls: `turn:127.0.0.1:${turn.port}`, username: turn.username, credential: turn.password },
      ],
    };
    const a = new RTCPeerConnection(config);
    const b = new RTCPeerConnection(config);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const types: string[] = [];
    a.addEventListener('icecandidate', (e) => {
      const c = (e as unknown as { candidate: { type: string | null } | null }).candidate;
      if (c) types.push(String(c.type));
    });
    trickle(a, b);
    const ch = a.createDataChannel('relayed');
    const incoming = nextChannel(b);
    await negotiate(a, b);
    await within(channelOpen(ch), 15_000, 'channel over TURN');
    const theirs = await within(incoming, 5000, 'datachannel');
    const got = nextMessage(theirs);
    ch.send('via coturn');
    expect(await within(got, 5000, 'message')).toBe('via coturn');
    expect(types).toEqual(['relay']);
    const stats = await a.getStats();
    const transport = [...stats.values()].find((s) => s.type === 'transport')!;
    const pair = stats.get(String(transport.selectedCandidatePairId))!;
    expect(stats.get(String(pair.localCandidateId))?.candidateType).toBe('relay');
  }, 30_000);
});
