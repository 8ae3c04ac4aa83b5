import { coturnInstalled, startCoturn } from '@purertc/test/coturn';
import { afterEach, describe, expect, it } from 'vitest';
import { type RTCConfiguration, RTCPeerConnection } from '../../src/index.js';
import { channelOpen, negotiate, nextChannel, nextMessage, trickle, within } from '../helpers/peers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Two relay-only peers exchange a message over a data channel; returns the local candidate types
 * peer a signalled and the candidate type of its selected pair.
 */
async function relayedExchange(
  config: () => RTCConfiguration,
): Promise<{ types: string[]; selected: unknown }> {
  const a = new RTCPeerConnection(config());
  const b = new RTCPeerConnection(config());
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
  const stats = await a.getStats();
  const transport = [...stats.values()].find((s) => s.type === 'transport')!;
  const pair = stats.get(String(transport.selectedCandidatePairId))!;
  return { types, selected: stats.get(String(pair.localCandidateId))?.candidateType };
}

describe.skipIf(!coturnInstalled())('TURN relay through coturn (RFC 8656)', () => {
  it("two relay-only peers connect through coturn's relayed addresses", async () => {
    const turn = await startCoturn({ relayPorts: [40000, 49999] });
    cleanups.push(() => turn.stop());
    const result = await relayedExchange(() => ({
      bindAddresses: ['127.0.0.1'],
      iceTransportPolicy: 'relay' as const,
      iceServers: [
        { urls: `turn:127.0.0.1:${turn.port}`, username: turn.username, credential: turn.password },
      ],
    }));
    expect(result.types).toEqual(['relay']);
    expect(result.selected).toBe('relay');
  }, 30_000);

  it('TURN over TCP (turn:...?transport=tcp) when coturn has no UDP listener', async () => {
    const turn = await startCoturn({ udp: false, tcp: true, relayPorts: [40000, 49999] });
    cleanups.push(() => turn.stop());
    const result = await relayedExchange(() => ({
      bindAddresses: ['127.0.0.1'],
      iceTransportPolicy: 'relay' as const,
      iceServers: [
        {
          urls: `turn:127.0.0.1:${turn.port}?transport=tcp`,
          username: turn.username,
          credential: turn.password,
        },
      ],
    }));
    expect(result.types).toEqual(['relay']);
    expect(result.selected).toBe('relay');
  }, 30_000);

  it('TURN over TLS (turns:) with a self-signed certificate the driver is told to trust', async () => {
    const turn = await startCoturn({ udp: false, tls: true, relayPorts: [40000, 49999] });
    cleanups.push(() => turn.stop());
    const result = await relayedExchange(() => ({
      bindAddresses: ['127.0.0.1'],
      turnTlsCa: [turn.certificate!],
      iceTransportPolicy: 'relay' as const,
      iceServers: [
        { urls: `turns:127.0.0.1:${turn.tlsPort}`, username: turn.username, credential: turn.password },
      ],
    }));
    expect(result.types).toEqual(['relay']);
    expect(result.selected).toBe('relay');
  }, 30_000);

  it('turns: to a server whose certificate is not trusted fails with icecandidateerror 701', async () => {
    const turn = await startCoturn({ udp: false, tls: true, relayPorts: [40000, 49999] });
    cleanups.push(() => turn.stop());
    const pc = new RTCPeerConnection({
      bindAddresses: ['127.0.0.1'],
      iceTransportPolicy: 'relay',
      iceServers: [
        { urls: `turns:127.0.0.1:${turn.tlsPort}`, username: turn.username, credential: turn.password },
      ],
    });
    cleanups.push(() => pc.close());
    const errors: { errorCode: number; url: string }[] = [];
    pc.addEventListener('icecandidateerror', (e) =>
      errors.push(e as unknown as { errorCode: number; url: string }),
    );
    const candidates: unknown[] = [];
    const complete = new Promise<void>((resolve) =>
      pc.addEventListener('icecandidate', (e) => {
        const c = (e as unknown as { candidate: unknown }).candidate;
        if (c) candidates.push(c);
        else resolve();
      }),
    );
    pc.createDataChannel('x');
    await pc.setLocalDescription();
    await within(complete, 10_000, 'gathering complete');
    expect(candidates).toEqual([]);
    expect(errors.map((e) => e.errorCode)).toContain(701);
    expect(errors[0]?.url).toBe(`turns:127.0.0.1:${turn.tlsPort}`);
  }, 30_000);
});
