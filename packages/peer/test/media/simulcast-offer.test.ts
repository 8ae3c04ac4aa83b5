import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { LOOPBACK } from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

describe('offering to receive simulcast (RFC 8853 5.2, Node-only setSimulcastReceive)', () => {
  it('the offer carries a=rid:<id> recv per layer, a=simulcast:recv and the rid extensions', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    const t = pc.addTransceiver('video', { direction: 'recvonly' });
    t.setSimulcastReceive(['lo', 'mid', 'hi']);
    const { sdp } = await pc.createOffer();
    expect(sdp).toContain(
      'a=rid:lo recv\r\na=rid:mid recv\r\na=rid:hi recv\r\na=simulcast:recv lo;mid;hi\r\n',
    );
    expect(sdp).toContain('urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id');
    expect(sdp).toContain('urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id');
    expect(t.simulcastReceive).toEqual(['lo', 'mid', 'hi']);
  });

  it('no simulcast lines when the direction does not receive, or after asking for none', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    const t = pc.addTransceiver('video', { direction: 'sendonly' });
    t.setSimulcastReceive(['a', 'b']);
    expect((await pc.createOffer()).sdp).not.toContain('a=simulcast');
    t.direction = 'recvonly';
    t.setSimulcastReceive([]);
    expect((await pc.createOffer()).sdp).not.toContain('a=rid');
  });

  it('TypeError for a malformed or repeated rid (RFC 8851 10)', () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    const t = pc.addTransceiver('video', { direction: 'recvonly' });
    expect(() => t.setSimulcastReceive(['ok', 'not ok'])).toThrow(TypeError);
    expect(() => t.setSimulcastReceive(['a', 'a'])).toThrow(TypeError);
    expect(() => t.setSimulcastReceive([''])).toThrow(TypeError);
    expect(t.simulcastReceive).toEqual([]);
  });

  it('addTransceiver(kind, { simulcastReceive }) does the same; a bad rid throws TypeError and adds nothing', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    expect(() => pc.addTransceiver('video', { direction: 'recvonly', simulcastReceive: ['x y'] })).toThrow(
      TypeError,
    );
    expect(pc.getTransceivers()).toHaveLength(0);
    const t = pc.addTransceiver('video', { direction: 'recvonly', simulcastReceive: ['q', 'h'] });
    expect(t.simulcastReceive).toEqual(['q', 'h']);
    expect((await pc.createOffer()).sdp).toContain('a=simulcast:recv q;h\r\n');
  });
});
