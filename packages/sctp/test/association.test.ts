import { describe, expect, it } from 'vitest';
import { Pair } from './helpers/pair.js';

describe('association over an in-memory link', () => {
  it('completes the 4-way handshake and negotiates capabilities', () => {
    const p = new Pair();
    p.connect();
    expect(p.a.state).toBe('established');
    expect(p.b.state).toBe('established');
    expect(p.eventsA).toContainEqual({ type: 'connected' });
    expect(p.eventsB).toContainEqual({ type: 'connected' });
    expect(p.a.capabilities).toEqual({
      partialReliability: true,
      messageInterleaving: false,
      reconfig: true,
      zeroChecksumSend: false,
    });
  });

  it('transfers small and fragmented messages in order', () => {
    const p = new Pair();
    p.connect();
    const sizes = [1, 100, 1172, 1173, 5000, 65536, 262144];
    for (const [i, n] of sizes.entries()) expect(p.a.send(1, 53, Buffer.alloc(n, i + 1))).toBe('ok');
    p.runUntil(() => p.messages('b').length === sizes.length, 60_000);
    const got = p.messages('b');
    expect(got.map((m) => m.data.length)).toEqual(sizes);
    got.forEach((m, i) => {
      expect(m.data.every((x) => x === i + 1)).toBe(true);
      expect(m.ppid).toBe(53);
      expect(m.streamId).toBe(1);
    });
  });

  it('negotiates I-DATA when both enable it and interleaves streams', () => {
    const p = new Pair({}, { messageInterleaving: true }, { messageInterleaving: true });
    p.connect();
    expect(p.a.capabilities?.messageInterleaving).toBe(true);
    p.a.send(1, 53, Buffer.alloc(100_000, 1));
    p.a.send(2, 51, Buffer.from('small'));
    p.runUntil(() => p.messages('b').length === 2, 60_000);
    const got = p.messages('b');
    // The small message on another stream is not stuck behind the large one.
    expect(got[0]!.streamId).toBe(2);
    expect(got[1]!.data.length).toBe(100_000);
  });

  it('shuts down gracefully after delivering queued data', () => {
    const p = new Pair();
    p.connect();
    p.a.send(0, 53, Buffer.alloc(50_000, 3));
    p.a.shutdown(p.now);
    p.runUntil(() => p.a.state === 'closed' && p.b.state === 'closed', 60_000);
    expect(p.messages('b')).toHaveLength(1);
    expect(p.eventsA).toContainEqual({ type: 'closed' });
    expect(p.eventsB).toContainEqual({ type: 'closed' });
  });

  it('aborts and tells the peer', () => {
    const p = new Pair();
    p.connect();
    p.a.abort('bye');
    p.flush();
    p.runUntil(() => p.b.state === 'closed', 1000);
    expect(p.eventsB.find((e) => e.type === 'aborted')).toMatchObject({
      byPeer: true,
      reason: expect.stringContaining('bye'),
    });
  });
});
