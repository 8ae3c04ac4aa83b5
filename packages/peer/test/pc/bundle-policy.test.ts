import type { RtpPacket } from '@purertc/srtp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseSdp,
  type RTCBundlePolicy,
  RTCPeerConnection,
  type RTCTrackEvent,
  type RtpPacketEvent,
  RtpTrack,
} from '../../src/index.js';
import type { MLine } from '../../src/pc/jsep/m-line.js';
import { describedTransportGroups, offerTransportGroups } from '../../src/pc/jsep/transport-groups.js';
import {
  channelOpen,
  LOOPBACK,
  nextChannel,
  nextMessage,
  trickle,
  waitFor,
  within,
} from '../helpers/peers.js';
import { SimDriverStub } from '../helpers/stub-driver.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

function line(mid: string, kind: string, extra: Partial<MLine> = {}): MLine {
  return { mid, kind, rejected: false, ...(kind === 'application' ? { data: true } : {}), ...extra };
}

describe('transport groups (RFC 9429 4.1.1 / 5.2.1, RFC 9143)', () => {
  const lines = [line('0', 'audio'), line('1', 'video'), line('2', 'video'), line('3', 'application')];

  it('an offer: max-bundle one transport, balanced one per media type, max-compat one per section', () => {
    expect(offerTransportGroups('max-bundle', lines)).toEqual([['0', '1', '2', '3']]);
    expect(offerTransportGroups('balanced', lines)).toEqual([['0'], ['1', '2'], ['3']]);
    expect(offerTransportGroups('max-compat', lines)).toEqual([['0'], ['1'], ['2'], ['3']]);
    expect(
      offerTransportGroups('max-compat', [line('0', 'audio', { rejected: true }), line('1', 'video')]),
    ).toEqual([['1']]);
  });

  it('a description: each BUNDLE group (live mids only), every other live section alone', () => {
    const sdp = (group: string) =>
      [
        'v=0',
        'o=- 1 1 IN IP4 127.0.0.1',
        's=-',
        't=0 0',
        ...(group ? [group] : []),
        ...['0', '1', '2', '3'].flatMap((mid) => [
          `m=audio ${mid === '2' ? 0 : 9} UDP/TLS/RTP/SAVPF 111`,
          'c=IN IP4 0.0.0.0',
          `a=mid:${mid}`,
          'a=rtpmap:111 opus/48000/2',
        ]),
        '',
      ].join('\r\n');
    expect(describedTransportGroups(parseSdp(sdp('a=group:BUNDLE 0 1 2')))).toEqual([['0', '1'], ['3']]);
    expect(describedTransportGroups(parseSdp(sdp('')))).toEqual([['0'], ['1'], ['3']]);
    expect(describedTransportGroups(parseSdp(sdp('a=group:BUNDLE 3 1\r\na=group:BUNDLE 0')))).toEqual([
      ['0'],
      ['3', '1'],
    ]);
  });
});

function rtp(seq: number, payloadType: number, payload: string): RtpPacket {
  return {
    marker: false,
    payloadType,
    sequenceNumber: seq,
    timestamp: seq * 3000,
    ssrc: 1,
    csrcs: [],
    extension: undefined,
    payload: Buffer.from(payload),
    paddingLength: 0,
  };
}

function ufrags(sdp: string): string[] {
  return [...sdp.matchAll(/a=ice-ufrag:(\S+)/g)].map((m) => m[1]!);
}

/** a (with `policy`) offers audio, two videos and data to b; `munge` edits the offer b sees. */
async function call(policy: RTCBundlePolicy, munge: (sdp: string) => string = (s) => s) {
  const a = new RTCPeerConnection({ ...LOOPBACK, bundlePolicy: policy });
  const b = new RTCPeerConnection(LOOPBACK);
  open.push(a, b);
  const mids = { a: new Set<string>(), b: new Set<string>() };
  for (const [pc, set] of [
    [a, mids.a],
    [b, mids.b],
  ] as const) {
    pc.addEventListener('icecandidate', (e) => {
      const c = (e as unknown as { candidate: { sdpMid: string | null } | null }).candidate;
      if (c?.sdpMid != null) set.add(c.sdpMid);
    });
  }
  trickle(a, b);
  const audio = new RtpTrack('audio');
  const videos = [new RtpTrack('video'), new RtpTrack('video')];
  const senders = [a.addTrack(audio), ...videos.map((v) => a.addTrack(v))];
  const tracks: RTCTrackEvent[] = [];
  b.ontrack = (e) => tracks.push(e);
  const channel = a.createDataChannel('chat');
  const incoming = nextChannel(b);
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  // Every transport of the offer gathers before b sees it (and trickles to b meanwhile).
  await within(
    waitFor(a, 'icegatheringstatechange', () => a.iceGatheringState === 'complete'),
    10_000,
    'a gathered',
  );
  const seen = munge(a.localDescription!.sdp);
  await b.setRemoteDescription({ type: 'offer', sdp: seen });
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  await within(channelOpen(channel), 10_000, 'channel open');
  const theirs = await within(incoming, 10_000, 'datachannel');
  const echoed = nextMessage(theirs);
  channel.send('over the data transport');
  expect(await within(echoed, 5000, 'message')).toBe('over the data transport');
  await within(
    waitFor(a, 'connectionstatechange', () => a.connectionState === 'connected'),
    10_000,
    'a connected',
  );
  await within(
    waitFor(b, 'connectionstatechange', () => b.connectionState === 'connected'),
    10_000,
    'b connected',
  );
  // One packet on each media section arrives at its own receiver.
  const arrivals = tracks.map(
    (t) =>
      new Promise<string>((resolve) =>
        t.track.addEventListener('rtp', (e) =>
          resolve(`${t.transceiver.mid}:${Buffer.from((e as RtpPacketEvent).packet.payload).toString()}`),
        ),
      ),
  );
  [audio, ...videos].forEach((track, i) => {
    const pt = senders[i]!.getParameters().codecs[0]!.payloadType;
    track.writeRtp(rtp(i, pt, `media ${i}`));
  });
  const got = await within(Promise.all(arrivals), 5000, 'RTP on every section');
  return { a, b, offer: offer.sdp!, seen, answer: b.localDescription!.sdp, mids, got };
}

describe('bundlePolicy between two purertc peers over loopback', () => {
  it('max-bundle: one transport, one set of ICE credentials, candidates for the first section', async () => {
    const r = await call('max-bundle');
    expect(new Set(ufrags(r.offer)).size).toBe(1);
    expect([...r.mids.a]).toEqual(['0']);
    expect(r.answer).toContain('a=group:BUNDLE 0 1 2 3');
    expect(r.got.sort()).toEqual(['0:media 0', '1:media 1', '2:media 2']);
  });

  it('balanced: the offer gives each media type its own credentials; the BUNDLE answer keeps one', async () => {
    const r = await call('balanced');
    const offered = ufrags(r.offer);
    // audio, video, video, data: the two video sections share the video transport's.
    expect(new Set(offered).size).toBe(3);
    expect(offered[1]).toBe(offered[2]);
    expect(r.offer).toContain('a=group:BUNDLE 0 1 2 3');
    expect(r.answer).toContain('a=group:BUNDLE 0 1 2 3');
    expect(new Set(ufrags(r.answer)).size).toBe(1);
    expect(r.got.sort()).toEqual(['0:media 0', '1:media 1', '2:media 2']);
    // Once BUNDLE is accepted, a's later offers carry one transport again (RFC 9429 5.2.2).
    const again = await r.a.createOffer();
    expect(new Set(ufrags(again.sdp!)).size).toBe(1);
  });

  it('max-compat: every section its own credentials and candidates until BUNDLE is accepted', async () => {
    const r = await call('max-compat');
    expect(new Set(ufrags(r.offer)).size).toBe(4);
    expect([...r.mids.a].sort()).toEqual(['0', '1', '2', '3']);
    // localDescription lists each transport's candidates in its own section.
    const sections = r.seen.split(/^m=/m).slice(1);
    expect(sections.map((m) => /a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1/.test(m))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(new Set(sections.map((m) => / 127\.0\.0\.1 (\d+) typ host/.exec(m)?.[1])).size).toBe(4);
    expect(r.answer).toContain('a=group:BUNDLE 0 1 2 3');
    expect(r.got.sort()).toEqual(['0:media 0', '1:media 1', '2:media 2']);
  });

  it('an offer without BUNDLE is answered with one ICE + DTLS transport per section', async () => {
    const r = await call('max-compat', (sdp) => sdp.replace(/a=group:BUNDLE[^\r\n]*\r\n/, ''));
    expect(r.seen).not.toContain('a=group:BUNDLE');
    // RFC 9143 7.3: the answerer does not bundle what was not offered bundled.
    expect(r.answer).not.toContain('a=group:BUNDLE');
    expect(new Set(ufrags(r.answer)).size).toBe(4);
    // b's candidates are tagged with the section whose transport found them.
    expect([...r.mids.b].sort()).toEqual(['0', '1', '2', '3']);
    expect(r.got.sort()).toEqual(['0:media 0', '1:media 1', '2:media 2']);
    // Each transport did its own DTLS handshake with the same certificate fingerprint.
    const fingerprints = new Set([...r.answer.matchAll(/a=fingerprint:(\S+ \S+)/g)].map((m) => m[1]));
    expect(fingerprints.size).toBe(1);
    expect(r.b.iceConnectionState).toMatch(/connected|completed/);
    // W3C webrtc-stats 7.13: one transport stats object per transport, each connected, and the
    // RTP streams name the transport of their own section.
    const stats = [...(await r.b.getStats()).values()];
    const transports = stats.filter((x) => x.type === 'transport');
    expect(transports.map((x) => x.dtlsState)).toEqual(['connected', 'connected', 'connected', 'connected']);
    expect(new Set(transports.map((x) => x.iceLocalUsernameFragment)).size).toBe(4);
    const inbound = stats.filter((x) => x.type === 'inbound-rtp');
    expect(new Set(inbound.map((x) => x.transportId)).size).toBe(3);

    // RFC 8445 9 per transport: restartIce gives every section new credentials, and each
    // transport reconnects with its peer transport.
    const before = { a: ufrags(r.offer), b: ufrags(r.answer) };
    r.a.restartIce();
    const offer = await r.a.createOffer();
    await r.a.setLocalDescription(offer);
    await r.b.setRemoteDescription({
      type: 'offer',
      sdp: offer.sdp!.replace(/a=group:BUNDLE[^\r\n]*\r\n/, ''),
    });
    await r.b.setLocalDescription(await r.b.createAnswer());
    await r.a.setRemoteDescription(r.b.localDescription!);
    const after = { a: ufrags(offer.sdp!), b: ufrags(r.b.localDescription!.sdp) };
    expect(new Set(after.a).size).toBe(4);
    expect(new Set(after.b).size).toBe(4);
    for (const u of after.a) expect(before.a).not.toContain(u);
    for (const u of after.b) expect(before.b).not.toContain(u);
    const channel = r.a.createDataChannel('after restart');
    const incoming = nextChannel(r.b, 'after restart');
    await within(channelOpen(channel), 10_000, 'channel after restart');
    const theirs = await within(incoming, 10_000, 'datachannel after restart');
    const got = nextMessage(theirs);
    channel.send('still there');
    expect(await within(got, 5000, 'message after restart')).toBe('still there');
    await within(
      waitFor(r.a, 'connectionstatechange', () => r.a.connectionState === 'connected'),
      10_000,
      'a connected after restart',
    );
  });

  it('unbundled, a section added mid-call gets a transport of its own that connects', async () => {
    const strip = (sdp: string) => sdp.replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');
    const r = await call('max-compat', strip);
    const extra = new RtpTrack('video');
    const sender = r.a.addTrack(extra);
    const track = new Promise<RTCTrackEvent>((resolve) => {
      r.b.ontrack = (e) => resolve(e);
    });
    const offer = await r.a.createOffer();
    await r.a.setLocalDescription(offer);
    await r.b.setRemoteDescription({ type: 'offer', sdp: strip(offer.sdp!) });
    await r.b.setLocalDescription(await r.b.createAnswer());
    await r.a.setRemoteDescription(r.b.localDescription!);
    expect(new Set(ufrags(r.b.localDescription!.sdp)).size).toBe(5);
    const event = await within(track, 5000, 'track for the new section');
    const got = new Promise<string>((resolve) =>
      event.track.addEventListener('rtp', (e) =>
        resolve(Buffer.from((e as RtpPacketEvent).packet.payload).toString()),
      ),
    );
    const pt = sender.getParameters().codecs[0]!.payloadType;
    // The new transport needs its ICE and DTLS first: send until the packet gets through.
    let seq = 0;
    const timer = setInterval(() => extra.writeRtp(rtp(seq++, pt, 'new section')), 20);
    try {
      expect(await within(got, 10_000, 'RTP on the new transport')).toBe('new section');
    } finally {
      clearInterval(timer);
    }
    const transports = [...(await r.a.getStats()).values()].filter((x) => x.type === 'transport');
    expect(transports).toHaveLength(5);
  });

  it('an offer with two BUNDLE groups is answered with two transports, one per group', async () => {
    const r = await call('max-compat', (sdp) =>
      sdp.replace(/a=group:BUNDLE[^\r\n]*/, 'a=group:BUNDLE 0 1\r\na=group:BUNDLE 2 3'),
    );
    expect(r.answer).toContain('a=group:BUNDLE 0 1\r\na=group:BUNDLE 2 3\r\n');
    const answered = ufrags(r.answer);
    expect(answered[0]).toBe(answered[1]);
    expect(answered[2]).toBe(answered[3]);
    expect(answered[0]).not.toBe(answered[2]);
    expect(r.got.sort()).toEqual(['0:media 0', '1:media 1', '2:media 2']);
    for (const pc of [r.a, r.b]) {
      const transports = [...(await pc.getStats()).values()].filter((x) => x.type === 'transport');
      expect(transports.map((x) => x.dtlsState)).toEqual(['connected', 'connected']);
    }
  });

  it('max-bundle refuses a description that does not bundle its sections (InvalidAccessError)', async () => {
    const a = new RTCPeerConnection({ ...LOOPBACK, bundlePolicy: 'max-compat' });
    const b = new RTCPeerConnection({ ...LOOPBACK, bundlePolicy: 'max-bundle' });
    open.push(a, b);
    a.addTransceiver('audio');
    a.createDataChannel('x');
    const offer = await a.createOffer();
    const unbundled = offer.sdp!.replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');
    await expect(b.setRemoteDescription({ type: 'offer', sdp: unbundled })).rejects.toMatchObject({
      name: 'InvalidAccessError',
    });
    expect(b.signalingState).toBe('stable');
    expect(b.remoteDescription).toBeNull();
    // The same offer with its BUNDLE group is fine.
    await b.setRemoteDescription(offer);
    expect(b.signalingState).toBe('have-remote-offer');
  });

  it('after BUNDLE is accepted a re-offer adds sections to the bundle; rolling it back keeps the transport', async () => {
    const a = new RTCPeerConnection({ ...LOOPBACK, bundlePolicy: 'max-compat' });
    const b = new RTCPeerConnection(LOOPBACK);
    open.push(a, b);
    trickle(a, b);
    const channel = a.createDataChannel('kept');
    const incoming = nextChannel(b);
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    await within(channelOpen(channel), 10_000, 'open');
    const theirs = await within(incoming, 10_000, 'datachannel');
    // RFC 9429 5.2.2: BUNDLE was accepted, so the new audio section joins the bundle (max-compat
    // would otherwise give it a transport of its own): one ufrag in the re-offer.
    a.addTransceiver('audio');
    const again = await a.createOffer();
    expect(new Set(ufrags(again.sdp!)).size).toBe(1);
    await a.setLocalDescription(again);
    await a.setLocalDescription({ type: 'rollback' });
    expect(a.signalingState).toBe('stable');
    const got = nextMessage(theirs);
    channel.send('after rollback');
    expect(await within(got, 5000, 'message after rollback')).toBe('after rollback');
  });

  it('a transport released by a bundling answer while still gathering does not hold iceGatheringState', async () => {
    /** The first transport gathers at once; the forks never finish (a STUN server that is slow). */
    class SlowForks extends SimDriverStub {
      fork(): SimDriverStub {
        const slow = new SimDriverStub();
        slow.gather = () => new Promise<void>(() => {});
        return slow;
      }
    }
    const a = new RTCPeerConnection({ driver: new SlowForks(), bundlePolicy: 'balanced' });
    const b = new RTCPeerConnection({ driver: new SimDriverStub() });
    open.push(a, b);
    a.addTransceiver('audio');
    a.createDataChannel('x');
    const ends: string[] = [];
    a.addEventListener('icecandidate', (e) => {
      if ((e as unknown as { candidate: unknown }).candidate === null) ends.push(a.iceGatheringState);
    });
    await a.setLocalDescription();
    await new Promise((r) => setImmediate(r));
    // audio and data each have a transport; the data one is still gathering.
    expect(new Set(ufrags(a.localDescription!.sdp)).size).toBe(2);
    expect(a.iceGatheringState).toBe('gathering');
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    expect(a.iceGatheringState).toBe('complete');
    expect(ends).toEqual(['complete']);
  });
});
