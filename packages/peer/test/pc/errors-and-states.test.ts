import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import {
  channelOpen,
  LOOPBACK,
  negotiate,
  nextChannel,
  nextMessage,
  trickle,
  within,
} from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

function peer(): RTCPeerConnection {
  const pc = new RTCPeerConnection(LOOPBACK);
  open.push(pc);
  return pc;
}

async function offerFrom(): Promise<string> {
  const other = peer();
  other.createDataChannel('x');
  const offer = await other.createOffer();
  return offer.sdp!;
}

describe('malformed remote descriptions leave the state unchanged', () => {
  const cases: [string, (sdp: string) => string, string][] = [
    ['garbage', () => 'this is not SDP', 'SyntaxError'],
    [
      'a bad m= line',
      (sdp) => sdp.replace(/^m=application .*$/m, 'm=application notaport UDP/DTLS/SCTP x'),
      'SyntaxError',
    ],
    ['a truncated origin', (sdp) => sdp.replace(/^o=.*$/m, 'o=- 1'), 'SyntaxError'],
    ['no ice-ufrag', (sdp) => sdp.replace(/^a=ice-ufrag:.*\r\n/m, ''), 'InvalidAccessError'],
    ['no fingerprint', (sdp) => sdp.replace(/^a=fingerprint:.*\r\n/m, ''), 'InvalidAccessError'],
    ['no m= section', (sdp) => sdp.slice(0, sdp.indexOf('m=')), 'InvalidAccessError'],
  ];
  for (const [name, mangle, error] of cases) {
    it(`${name}: ${error}`, async () => {
      const pc = peer();
      const sdp = mangle(await offerFrom());
      await expect(pc.setRemoteDescription({ type: 'offer', sdp })).rejects.toMatchObject({ name: error });
      expect(pc.signalingState).toBe('stable');
      expect(pc.remoteDescription).toBeNull();
      expect(pc.getTransceivers()).toHaveLength(0);
      // The connection is still usable afterwards.
      await pc.setRemoteDescription({ type: 'offer', sdp: await offerFrom() });
      expect(pc.signalingState).toBe('have-remote-offer');
    });
  }

  it('an answer with actpass or the wrong number of sections is InvalidAccessError', async () => {
    const a = peer();
    const b = peer();
    a.createDataChannel('x');
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    const answer = (await b.createAnswer()).sdp!;
    await expect(
      a.setRemoteDescription({ type: 'answer', sdp: answer.replace('a=setup:active', 'a=setup:actpass') }),
    ).rejects.toMatchObject({ name: 'InvalidAccessError' });
    const twice = answer + answer.slice(answer.indexOf('m=')).replace('a=mid:0', 'a=mid:1');
    await expect(a.setRemoteDescription({ type: 'answer', sdp: twice })).rejects.toMatchObject({
      name: 'InvalidAccessError',
    });
    expect(a.signalingState).toBe('have-local-offer');
    await a.setRemoteDescription({ type: 'answer', sdp: answer });
    expect(a.signalingState).toBe('stable');
  });
});

describe('API calls in the wrong state', () => {
  it('throw or reject with InvalidStateError', async () => {
    const pc = peer();
    await expect(pc.createAnswer()).rejects.toMatchObject({ name: 'InvalidStateError' });
    await expect(
      pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' }),
    ).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    await expect(pc.setLocalDescription({ type: 'rollback' })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    await expect(pc.setRemoteDescription({ type: 'answer', sdp: await offerFrom() })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    expect(pc.signalingState).toBe('stable');
    pc.close();
    expect(pc.signalingState).toBe('closed');
    await expect(pc.createOffer()).rejects.toMatchObject({ name: 'InvalidStateError' });
    await expect(pc.setRemoteDescription({ type: 'offer', sdp: await offerFrom() })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    expect(() => pc.createDataChannel('late')).toThrowError(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );
    expect(() => pc.addTransceiver('audio')).toThrowError(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );
    expect(() => pc.setConfiguration({})).toThrowError(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );
  });

  it('addIceCandidate rejects bad candidates and accepts end-of-candidates', async () => {
    const pc = peer();
    await pc.setRemoteDescription({ type: 'offer', sdp: await offerFrom() });
    await expect(pc.addIceCandidate({ candidate: 'candidate:garbage', sdpMid: '0' })).rejects.toMatchObject({
      name: 'OperationError',
    });
    await expect(
      pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: 'nope' }),
    ).rejects.toMatchObject({ name: 'OperationError' });
    await expect(
      pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' }),
    ).rejects.toBeInstanceOf(TypeError);
    await pc.addIceCandidate({ candidate: 'candidate:1 1 udp 2122317823 127.0.0.1 9 typ host', sdpMid: '0' });
    expect(pc.remoteDescription!.sdp).toContain('a=candidate:1 1 udp 2122317823 127.0.0.1 9 typ host');
    await pc.addIceCandidate(null);
    await pc.addIceCandidate({ candidate: '', sdpMid: '0' });
    await pc.addIceCandidate();
  });

  it('rollback returns to stable and removes what the remote offer created', async () => {
    const a = peer();
    const b = peer();
    a.addTransceiver('audio');
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    expect(b.getTransceivers()).toHaveLength(1);
    await b.setRemoteDescription({ type: 'rollback' });
    expect(b.signalingState).toBe('stable');
    expect(b.getTransceivers()).toHaveLength(0);
    expect(b.remoteDescription).toBeNull();
    await a.setLocalDescription({ type: 'rollback' });
    expect(a.signalingState).toBe('stable');
    expect(a.localDescription).toBeNull();
  });

  it('configuration is validated and reported back', () => {
    expect(() => new RTCPeerConnection({ iceServers: [{ urls: 'http://example.com' }] })).toThrowError(
      expect.objectContaining({ name: 'SyntaxError' }),
    );
    expect(() => new RTCPeerConnection({ iceServers: [{ urls: 'turn:example.com' }] })).toThrowError(
      expect.objectContaining({ name: 'InvalidAccessError' }),
    );
    const pc = peer();
    pc.setConfiguration({ iceServers: [{ urls: ['stun:127.0.0.1:3478'] }] });
    expect(pc.getConfiguration().iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);
    expect(() => pc.setConfiguration({ bundlePolicy: 'max-compat' })).toThrowError(
      expect.objectContaining({ name: 'InvalidModificationError' }),
    );
  });
});

describe('garbage from the network', () => {
  it('is dropped without hurting an open connection', async () => {
    const a = peer();
    const b = peer();
    trickle(a, b);
    const ch = a.createDataChannel('x');
    const incoming = nextChannel(b);
    await negotiate(a, b);
    await within(channelOpen(ch), 10_000, 'open');
    const theirs = await incoming;
    const stats = await b.getStats();
    const local = [...stats.values()].find((s) => s.type === 'local-candidate')!;
    const attacker = createSocket('udp4');
    await new Promise<void>((r) => attacker.bind(0, '127.0.0.1', () => r()));
    try {
      // Every first-byte class of RFC 7983: STUN, DTLS, RTP/RTCP and unassigned values.
      for (const first of [0, 1, 3, 20, 22, 23, 63, 64, 127, 128, 200, 255]) {
        for (let i = 0; i < 5; i++) {
          const junk = randomBytes(1 + ((i * 97) % 300));
          junk[0] = first;
          attacker.send(junk, local.port as number, '127.0.0.1');
        }
      }
      const got = nextMessage(theirs);
      ch.send('still alive');
      expect(await within(got, 5000, 'message after garbage')).toBe('still alive');
      expect(b.connectionState).toBe('connected');
    } finally {
      attacker.close();
    }
  });
});
