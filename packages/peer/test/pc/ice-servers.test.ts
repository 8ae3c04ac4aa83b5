import { createSocket } from 'node:dgram';
import { StunAttr, StunClass, StunMessage, StunMessageBuilder, StunMethod } from '@purertc/ice';
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, type RTCPeerConnectionIceErrorEvent } from '../../src/index.js';
import { waitFor, within } from '../helpers/peers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A minimal STUN server (RFC 8489 Binding) that reports a fixed mapped address. */
async function stunServer(mapped: { address: string; port: number }): Promise<number> {
  const socket = createSocket('udp4');
  cleanups.push(() => socket.close());
  socket.on('message', (msg, rinfo) => {
    const req = StunMessage.tryParse(msg);
    if (!req || req.messageClass !== StunClass.Request) return;
    const res = new StunMessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, req.transactionId)
      .addAddress(StunAttr.XorMappedAddress, mapped)
      .finish({ fingerprint: true });
    socket.send(res, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return socket.address().port;
}

describe('iceServers', () => {
  it('a STUN server yields a server-reflexive candidate', async () => {
    const port = await stunServer({ address: '198.51.100.20', port: 40000 });
    const pc = new RTCPeerConnection({
      bindAddresses: ['127.0.0.1'],
      iceServers: [{ urls: `stun:127.0.0.1:${port}` }],
    });
    cleanups.push(() => pc.close());
    const types: string[] = [];
    pc.onicecandidate = (e) => {
      if (e.candidate) types.push(`${e.candidate.type} ${e.candidate.address} ${e.candidate.relatedAddress}`);
    };
    pc.createDataChannel('x');
    await pc.setLocalDescription();
    await within(
      waitFor(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete'),
      5000,
      'gathering',
    );
    expect(types).toContain('host 127.0.0.1 null');
    expect(types).toContain('srflx 198.51.100.20 127.0.0.1');
    expect(pc.localDescription!.sdp).toContain('198.51.100.20 40000 typ srflx raddr 127.0.0.1');
  });

  it('an unreachable STUN server and a TURN server fire icecandidateerror, gathering still completes', async () => {
    const silent = createSocket('udp4');
    cleanups.push(() => silent.close());
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const pc = new RTCPeerConnection({
      bindAddresses: ['127.0.0.1'],
      iceServers: [
        { urls: `stun:127.0.0.1:${silent.address().port}` },
        { urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' },
      ],
    });
    cleanups.push(() => pc.close());
    const errors: RTCPeerConnectionIceErrorEvent[] = [];
    pc.onicecandidateerror = (e) => errors.push(e);
    pc.createDataChannel('x');
    await pc.setLocalDescription();
    await within(
      waitFor(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete'),
      10_000,
      'gathering',
    );
    expect(errors.map((e) => [e.url.split(':')[0], e.errorCode]).sort()).toEqual([
      ['stun', 701],
      ['turn', 701],
    ]);
  });
});
