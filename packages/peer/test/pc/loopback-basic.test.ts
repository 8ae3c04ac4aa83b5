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

function pair(): [RTCPeerConnection, RTCPeerConnection] {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  open.push(a, b);
  trickle(a, b);
  return [a, b];
}

describe('two purertc peers over loopback UDP', () => {
  it('open a data channel and exchange messages both ways', async () => {
    const [a, b] = pair();
    const ch = a.createDataChannel('chat');
    const remote = nextChannel(b);
    await negotiate(a, b);
    await within(channelOpen(ch), 10_000, 'channel open');
    const theirs = await within(remote, 10_000, 'datachannel event');
    expect(theirs.label).toBe('chat');
    const got = nextMessage(theirs);
    ch.send('hello');
    expect(await within(got, 5000, 'message')).toBe('hello');
    const back = nextMessage(ch);
    theirs.send(new Uint8Array([1, 2, 3]));
    const data = await within(back, 5000, 'binary message');
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(data as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(a.connectionState).toBe('connected');
    expect(b.connectionState).toBe('connected');
  });
});
