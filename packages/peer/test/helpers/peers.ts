import type { RTCConfiguration, RTCDataChannel, RTCPeerConnection } from '../../src/index.js';

/** Rejects after `ms` with a message naming what was awaited; the timer never outlives the wait. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function once<T extends Event>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as T), { once: true }));
}

export function waitFor(target: EventTarget, type: string, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const check = (): void => {
      if (predicate()) {
        target.removeEventListener(type, check);
        resolve();
      }
    };
    target.addEventListener(type, check);
  });
}

export const LOOPBACK: RTCConfiguration = { bindAddresses: ['127.0.0.1'] };

/**
 * Trickle ICE between two connections in the same process. Like a real signalling channel, a
 * candidate that arrives before the remote description waits for it.
 */
export function trickle(a: RTCPeerConnection, b: RTCPeerConnection): void {
  const forward = (from: RTCPeerConnection, to: RTCPeerConnection): void => {
    const waiting: object[] = [];
    const deliver = (c: object): void => {
      if (to.signalingState === 'closed') return;
      to.addIceCandidate(c).catch(() => {});
    };
    to.addEventListener('signalingstatechange', () => {
      if (to.remoteDescription) for (const c of waiting.splice(0)) deliver(c);
    });
    from.addEventListener('icecandidate', (e) => {
      const c = (e as unknown as { candidate: { toJSON(): object } | null }).candidate;
      if (!c) return;
      if (to.remoteDescription) deliver(c.toJSON());
      else waiting.push(c.toJSON());
    });
  };
  forward(a, b);
  forward(b, a);
}

/** One offer/answer round from `offerer` to `answerer`. */
export async function negotiate(offerer: RTCPeerConnection, answerer: RTCPeerConnection): Promise<void> {
  const offer = await offerer.createOffer();
  await offerer.setLocalDescription(offer);
  await answerer.setRemoteDescription(offer);
  const answer = await answerer.createAnswer();
  await answerer.setLocalDescription(answer);
  await offerer.setRemoteDescription(answer);
}

export function channelOpen(ch: RTCDataChannel): Promise<void> {
  if (ch.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    ch.addEventListener('open', () => resolve(), { once: true });
    ch.addEventListener('close', () => reject(new Error(`channel ${ch.label} closed before opening`)), {
      once: true,
    });
  });
}

/** The next channel the peer opens, or the next one with this label. */
export function nextChannel(pc: RTCPeerConnection, label?: string): Promise<RTCDataChannel> {
  return new Promise((resolve) => {
    const on = (e: Event): void => {
      const channel = (e as unknown as { channel: RTCDataChannel }).channel;
      if (label !== undefined && channel.label !== label) return;
      pc.removeEventListener('datachannel', on);
      resolve(channel);
    };
    pc.addEventListener('datachannel', on);
  });
}

export function nextMessage(ch: RTCDataChannel): Promise<unknown> {
  return new Promise((resolve) =>
    ch.addEventListener('message', (e) => resolve((e as MessageEvent).data), { once: true }),
  );
}
