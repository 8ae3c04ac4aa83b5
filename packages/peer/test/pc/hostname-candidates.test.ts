import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { channelOpen, LOOPBACK, nextChannel, within } from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

describe('remote candidates that name a host', () => {
  it('are resolved by the driver (here DNS "localhost") and connect', async () => {
    const a = new RTCPeerConnection(LOOPBACK);
    const b = new RTCPeerConnection(LOOPBACK);
    open.push(a, b);
    const ch = a.createDataChannel('named');
    const incoming = nextChannel(b);
    const gathered = (pc: RTCPeerConnection) =>
      new Promise<void>((r) => {
        if (pc.iceGatheringState === 'complete') r();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r());
      });
    await a.setLocalDescription();
    await gathered(a);
    // a's host candidates reach b under a name instead of an address.
    const named = a.localDescription!.sdp.replace(/ 127\.0\.0\.1 (\d+) typ host/g, ' localhost $1 typ host');
    expect(named).toContain(' localhost ');
    await b.setRemoteDescription({ type: 'offer', sdp: named });
    await b.setLocalDescription();
    await gathered(b);
    await a.setRemoteDescription(b.localDescription!);
    await within(channelOpen(ch), 10_000, 'open');
    expect((await within(incoming, 10_000, 'datachannel')).label).toBe('named');
    // The named candidate itself was resolved (not only learnt as peer-reflexive from a's checks).
    const remotes = [...(await b.getStats()).values()].filter((s) => s.type === 'remote-candidate');
    expect(remotes.some((r) => r.candidateType === 'host' && r.address === '127.0.0.1')).toBe(true);
  });
});
