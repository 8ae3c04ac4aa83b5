import { describe, expect, it } from 'vitest';
import { frameRfc4571, NodeIceTransport, Rfc4571Deframer, serializeCandidate } from '../src/index.js';

describe('RFC 4571 framing', () => {
  it('frames and reassembles across arbitrary chunk boundaries', () => {
    const frames = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(300, 7)];
    const stream = Buffer.concat(frames.map((f) => frameRfc4571(f)));
    for (const cut of [1, 2, 3, 50, stream.length]) {
      const d = new Rfc4571Deframer();
      const out: Buffer[] = [];
      for (let at = 0; at < stream.length; at += cut) out.push(...d.push(stream.subarray(at, at + cut)));
      expect(out).toEqual(frames);
      expect(d.pending).toBe(0);
    }
  });
});

describe('ICE-TCP (RFC 6544) over loopback', () => {
  it('connects two agents with only TCP host candidates and exchanges data', async () => {
    const a = new NodeIceTransport({ controlling: true, addresses: ['127.0.0.1'], udp: false, tcp: true });
    const b = new NodeIceTransport({ controlling: false, addresses: ['127.0.0.1'], udp: false, tcp: true });
    try {
      const got: Buffer[] = [];
      b.on((e) => e.type === 'data' && got.push(e.data));
      await Promise.all([a.gather(), b.gather()]);
      const lines = a.agent.localCandidateList.map((c) => serializeCandidate(c));
      expect(lines.some((l) => / tcp \d+ 127\.0\.0\.1 9 typ host tcptype active/.test(l))).toBe(true);
      expect(lines.some((l) => /tcptype passive/.test(l))).toBe(true);
      a.setRemoteCredentials(b.localCredentials);
      b.setRemoteCredentials(a.localCredentials);
      for (const c of b.agent.localCandidateList) a.addRemoteCandidate(serializeCandidate(c));
      for (const c of a.agent.localCandidateList) b.addRemoteCandidate(serializeCandidate(c));
      const up = (t: NodeIceTransport) => t.state === 'connected' || t.state === 'completed';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out connecting over TCP')), 10_000);
        const check = () => {
          if (up(a) && up(b)) {
            clearTimeout(timer);
            resolve();
          }
        };
        a.on(check);
        b.on(check);
        check();
      });
      expect(a.selectedPair?.local.transport).toBe('tcp');
      a.send(Buffer.from([0x80, 0x54]));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for data')), 5000);
        const check = () => {
          if (got.length > 0) {
            clearTimeout(timer);
            resolve();
          }
        };
        b.on(check);
        check();
      });
      expect(got[0]).toEqual(Buffer.from([0x80, 0x54]));
    } finally {
      a.close();
      b.close();
    }
  });
});
