import type { LocalCandidateInput } from '@purertc/ice';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatherOptions, RTCPeerConnection } from '../../src/index.js';
import { channelOpen, LOOPBACK, negotiate, trickle, within } from '../helpers/peers.js';
import { SimDriverStub } from '../helpers/stub-driver.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

class CountingDriver extends SimDriverStub {
  gathers = 0;
  override async gather(
    options: GatherOptions,
    onCandidate: (c: LocalCandidateInput) => void,
  ): Promise<void> {
    this.gathers++;
    return super.gather(options, onCandidate);
  }
}

describe('iceCandidatePoolSize (W3C 4.4.1.6)', () => {
  it('gathers at construction, once, and hands the candidates over at setLocalDescription', async () => {
    const driver = new CountingDriver();
    const pc = new RTCPeerConnection({ driver, iceCandidatePoolSize: 1 });
    open.push(pc);
    expect(driver.gathers).toBe(1);
    await Promise.resolve();
    const seen: string[] = [];
    pc.onicecandidate = (e) => {
      if (e.candidate) seen.push(e.candidate.address ?? '');
    };
    pc.createDataChannel('x');
    await pc.setLocalDescription();
    await new Promise((r) => setImmediate(r));
    expect(driver.gathers).toBe(1);
    expect(seen).toEqual(['192.0.2.1']);
    expect(pc.iceGatheringState).toBe('complete');
  });

  it('without a pool nothing is gathered before setLocalDescription', () => {
    const driver = new CountingDriver();
    const pc = new RTCPeerConnection({ driver });
    open.push(pc);
    expect(driver.gathers).toBe(0);
    pc.setConfiguration({ iceCandidatePoolSize: 2 });
    expect(driver.gathers).toBe(1);
  });

  it('pre-gathered peers connect over loopback', async () => {
    const a = new RTCPeerConnection({ ...LOOPBACK, iceCandidatePoolSize: 1 });
    const b = new RTCPeerConnection({ ...LOOPBACK, iceCandidatePoolSize: 1 });
    open.push(a, b);
    trickle(a, b);
    const ch = a.createDataChannel('pooled');
    await negotiate(a, b);
    await within(channelOpen(ch), 10_000, 'open');
  });
});
