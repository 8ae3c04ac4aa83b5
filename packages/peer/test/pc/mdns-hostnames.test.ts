import { insideTestNamespace, routeMdnsToLoopback } from '@purertc/test/netns';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { channelOpen, LOOPBACK, nextChannel, nextMessage, waitFor, within } from '../helpers/peers.js';

/**
 * Real multicast DNS between two peers. Multicast is only ever sent inside the private network
 * namespace `scripts/in-netns.ts` creates (only `lo` exists there), where multicast is switched on
 * for `lo` and 224.0.0.0/4 routed to it: nothing can leave this machine.
 */
const inside = insideTestNamespace;
if (!inside) console.log('mDNS peer test skipped: runs only inside the private network namespace');

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

const UUID_LOCAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.local$/;

async function gathered(pc: RTCPeerConnection): Promise<void> {
  await within(
    waitFor(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete'),
    10_000,
    'gathering',
  );
}

function hostAddresses(sdp: string): string[] {
  return [...sdp.matchAll(/a=candidate:\S+ \d+ \S+ \d+ (\S+) \d+ typ host/g)].map((m) => m[1]!);
}

describe('mDNS host candidates (draft-ietf-mmusic-mdns-ice-candidates)', () => {
  it('are off by default: host candidates carry the address', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    pc.createDataChannel('x');
    await pc.setLocalDescription();
    await gathered(pc);
    expect(hostAddresses(pc.localDescription!.sdp)).toEqual(['127.0.0.1']);
  });

  describe.skipIf(!inside)('over real multicast on loopback (private network namespace)', () => {
    beforeAll(() => {
      routeMdnsToLoopback(4);
    });

    it('a publishes <uuid>.local names; b resolves them and the two connect', async () => {
      // Idempotent; kept in case another file's setup ran differently.
      routeMdnsToLoopback(4);
      const a = new RTCPeerConnection({ ...LOOPBACK, mdnsHostnames: true });
      const b = new RTCPeerConnection(LOOPBACK);
      open.push(a, b);
      const trickled: string[] = [];
      a.addEventListener('icecandidate', (e) => {
        const c = (e as unknown as { candidate: { candidate: string } | null }).candidate;
        if (c) trickled.push(c.candidate);
      });
      const ch = a.createDataChannel('over mdns');
      const incoming = nextChannel(b);
      await a.setLocalDescription();
      await gathered(a);
      const offer = a.localDescription!.sdp;
      const names = hostAddresses(offer);
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(UUID_LOCAL);
      // RFC 9429 5.2.1's o= line says 127.0.0.1 whatever the addresses; no candidate may.
      expect(
        offer.split('\r\n').filter((l) => l.startsWith('a=candidate') && l.includes('127.0.0.1')),
      ).toEqual([]);
      expect(trickled.every((c) => !c.includes('127.0.0.1'))).toBe(true);
      expect(a.getConfiguration().mdnsHostnames).toBe(true);
      // b gets the name only (no trickle of a's checks first: a waits for b's answer).
      await b.setRemoteDescription({ type: 'offer', sdp: offer });
      await b.setLocalDescription();
      await gathered(b);
      await a.setRemoteDescription(b.localDescription!);
      await within(channelOpen(ch), 10_000, 'channel open');
      const theirs = await within(incoming, 10_000, 'datachannel');
      const got = nextMessage(theirs);
      ch.send('hello .local');
      expect(await within(got, 5000, 'message')).toBe('hello .local');
      // b resolved the name to a's address through a's responder (not only learnt a as prflx).
      const remotes = [...(await b.getStats()).values()].filter((s) => s.type === 'remote-candidate');
      expect(remotes.some((r) => r.candidateType === 'host' && r.address === '127.0.0.1')).toBe(true);
    }, 20_000);
  });
});
