import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { bindUdp, listHostAddresses, NodeIceTransport } from '../src/index.js';

describe('Node driver: host addresses and sockets', () => {
  it('filters addresses: loopback and link-local opt-in, families, custom filter', () => {
    const all = ['127.0.0.1', '::1', 'fe80::1', '169.254.1.2', '192.0.2.9', '2001:db8::9'];
    expect(listHostAddresses({ addresses: all }).map((a) => a.address)).toEqual([
      '127.0.0.1',
      '::1',
      '192.0.2.9',
      '2001:db8::9',
    ]);
    expect(listHostAddresses({ addresses: all, linkLocal: true }).map((a) => a.address)).toContain('fe80::1');
    expect(listHostAddresses({ addresses: all, ipv6: false }).every((a) => a.family === 4)).toBe(true);
    expect(
      listHostAddresses({ addresses: all, filter: (_n, a) => a.startsWith('192.') }).map((a) => a.address),
    ).toEqual(['192.0.2.9']);
    // Enumerated interfaces never include loopback unless asked.
    expect(listHostAddresses().some((a) => a.address === '127.0.0.1')).toBe(false);
  });

  it('binds within a port range, moving past a port that is taken', async () => {
    const blocker = await bindUdp('127.0.0.1');
    const taken = blocker.address().port;
    try {
      const s = await bindUdp('127.0.0.1', { min: taken, max: taken + 1 }, 0);
      expect(s.address().port).toBe(taken + 1);
      expect(s.address().address).toBe('127.0.0.1');
      s.close();
    } catch (err) {
      // taken + 1 may itself be in use on a busy machine; then the whole range is exhausted.
      expect((err as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    } finally {
      blocker.close();
    }
  });

  it('contacts no server unless configured, and gathers one host candidate per address', async () => {
    const t = new NodeIceTransport({ controlling: true, addresses: ['127.0.0.1'] });
    const events: string[] = [];
    t.on((e) => events.push(e.type));
    try {
      await t.gather();
      expect(t.agent.localCandidateList.map((c) => [c.type, c.address])).toEqual([['host', '127.0.0.1']]);
      expect(t.stunAnswers).toEqual([]);
      expect(events).toEqual(['local-candidate', 'local-candidates-complete', 'gathering-complete']);
      // The socket answers nothing it cannot authenticate, but is really bound to the advertised port.
      const probe = createSocket('udp4');
      const port = t.agent.localCandidateList[0]!.port;
      await new Promise<void>((resolve) =>
        probe.send(Buffer.from([0x80]), port, '127.0.0.1', () => resolve()),
      );
      probe.close();
    } finally {
      t.close();
    }
  });
});

describe('Node driver: restart over loopback', () => {
  it('restarts ICE with new credentials and keeps exchanging data', async () => {
    const a = new NodeIceTransport({ controlling: true, addresses: ['127.0.0.1'] });
    const b = new NodeIceTransport({ controlling: false, addresses: ['127.0.0.1'] });
    const got: Buffer[] = [];
    b.on((e) => e.type === 'data' && got.push(e.data));
    const until = (check: () => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), 10_000);
        const offs = [a.on(test), b.on(test)];
        function test() {
          if (!check()) return;
          clearTimeout(timer);
          for (const off of offs) off();
          resolve();
        }
        test();
      });
    const exchange = () => {
      a.setRemoteCredentials(b.localCredentials);
      b.setRemoteCredentials(a.localCredentials);
      for (const c of b.agent.localCandidateList) a.addRemoteCandidate({ ...c });
      for (const c of a.agent.localCandidateList) b.addRemoteCandidate({ ...c });
      a.endOfRemoteCandidates();
      b.endOfRemoteCandidates();
    };
    try {
      await Promise.all([a.gather(), b.gather()]);
      exchange();
      await until(() => a.state === 'completed' && b.state === 'completed', 'completed');
      const firstUfrag = a.localCredentials.ufrag;
      a.restart();
      b.restart();
      expect(a.localCredentials.ufrag).not.toBe(firstUfrag);
      // While the new generation is checked, the old pair still carries traffic.
      expect(a.state).toBe('connected');
      exchange();
      await until(
        () =>
          a.state === 'completed' &&
          b.state === 'completed' &&
          a.selectedPair?.local.ufrag === a.localCredentials.ufrag &&
          b.selectedPair?.local.ufrag === b.localCredentials.ufrag,
        'completed after restart',
      );
      a.send(Buffer.from([0x80, 7]));
      await until(() => got.length > 0, 'data after restart');
      expect(got[0]).toEqual(Buffer.from([0x80, 7]));
      expect(a.selectedPair?.remote.ufrag).toBe(b.localCredentials.ufrag);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('Node driver: gathering survives addresses it cannot bind', () => {
  it('skips an address that is not on this machine and keeps the others', async () => {
    const t = new NodeIceTransport({ controlling: true, addresses: ['192.0.2.254', '127.0.0.1'], tcp: true });
    try {
      await t.gather();
      expect(t.agent.localCandidateList.map((c) => `${c.transport}:${c.address}`).sort()).toEqual([
        'tcp:127.0.0.1',
        'tcp:127.0.0.1',
        'udp:127.0.0.1',
      ]);
    } finally {
      t.close();
    }
  });
});
