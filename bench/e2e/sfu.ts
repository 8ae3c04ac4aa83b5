/**
 * Media forwarding, an SFU's cost: a source peer sends SRTP video to a forwarding peer, which
 * writes every RTP packet it receives to N outgoing peer connections, each received by its own
 * peer. All of it runs in one process; CPU is that process's (process.cpuUsage), so it includes
 * the source's encryption and the receivers' decryption besides the forwarder's work.
 */
import { loopbackOnly } from './peers.js';

export interface SfuResult {
  impl: string;
  receivers: number;
  seconds: number;
  packetsIn: number;
  packetsForwarded: number;
  packetsDelivered: number;
  forwardedPerSecond: number;
  cpuSeconds: number;
  cpuMicrosPerForwarded: number;
}

interface Edge {
  /** Writes one RTP packet (payload bytes, sequence number) at the source. */
  send(seq: number, payload: Buffer): void;
  forwarded(): number;
  delivered(): number;
  /** Packets the viewer that received fewest got. */
  leastDelivered(): number;
  close(): void;
}

const PAYLOAD = Buffer.alloc(1100, 0x42);

export async function runSfu(t: {
  impl: string;
  receivers: number;
  packetsPerSecond: number;
  seconds: number;
}): Promise<SfuResult> {
  const edge = t.impl === 'werift' ? await weriftSfu(t.receivers) : await purertcSfu(t.receivers);
  // Warm-up: packets trickle until every viewer receives (ICE, DTLS and SRTP up on every leg).
  let seq = 0;
  const warm = setInterval(() => edge.send(seq++, PAYLOAD), 5);
  await waitUntil(() => edge.leastDelivered() >= 20, 20_000, 'warm-up packets').finally(() =>
    clearInterval(warm),
  );
  await new Promise((r) => setTimeout(r, 200));
  const forwarded0 = edge.forwarded();
  const delivered0 = edge.delivered();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const perTick = Math.max(1, Math.round(t.packetsPerSecond / 100));
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Catch up to the schedule so timer jitter does not lower the rate.
      const due = Math.floor(((performance.now() - start) / 1000) * t.packetsPerSecond);
      const n = Math.min(due - sent, perTick * 4);
      for (let i = 0; i < n; i++) edge.send(seq++, PAYLOAD);
      sent += n;
      if (performance.now() - start >= t.seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const goal = delivered0 + sent * t.receivers;
  await waitUntil(() => edge.delivered() >= goal, 2000, 'drain').catch(() => {});
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const forwarded = edge.forwarded() - forwarded0;
  edge.close();
  return {
    impl: t.impl,
    receivers: t.receivers,
    seconds: wall,
    packetsIn: sent,
    packetsForwarded: forwarded,
    packetsDelivered: edge.delivered() - delivered0,
    forwardedPerSecond: forwarded / wall,
    cpuSeconds,
    cpuMicrosPerForwarded: (cpuSeconds * 1e6) / Math.max(1, forwarded),
  };
}

function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const check = setInterval(() => {
      if (cond()) {
        clearInterval(check);
        resolve();
      } else if (performance.now() - start > ms) {
        clearInterval(check);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 5);
  });
}

// ---- purertc ----

async function purertcSfu(n: number): Promise<Edge> {
  const { RTCPeerConnection, RtpTrack, MediaStream } = await import('@purertc/peer');
  type Pc = InstanceType<typeof RTCPeerConnection>;
  const config = { bindAddresses: ['127.0.0.1'] };
  const all: Pc[] = [];
  const complete = async (pc: Pc): Promise<{ type: 'offer' | 'answer'; sdp: string }> => {
    if (pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState === 'complete') resolve();
        });
      });
    }
    const d = pc.localDescription!;
    return { type: d.type as 'offer', sdp: loopbackOnly(d.sdp) };
  };
  const connect = async (a: Pc, b: Pc): Promise<void> => {
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(await complete(a));
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(await complete(b));
  };
  const onRemoteTrack = (pc: Pc): Promise<InstanceType<typeof RtpTrack>> =>
    new Promise((resolve) => {
      pc.ontrack = (e) => resolve(e.track);
    });

  const source = new RTCPeerConnection(config);
  const ingest = new RTCPeerConnection(config);
  all.push(source, ingest);
  const sourceTrack = new RtpTrack('video');
  const sender = source.addTrack(sourceTrack, new MediaStream([sourceTrack]));
  const ingestTrack = onRemoteTrack(ingest);
  await connect(source, ingest);
  const pt = sender.getParameters().codecs[0]!.payloadType;

  const outTracks: InstanceType<typeof RtpTrack>[] = [];
  const delivered: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = new RTCPeerConnection(config);
    const viewer = new RTCPeerConnection(config);
    all.push(out, viewer);
    const track = new RtpTrack('video');
    out.addTrack(track, new MediaStream([track]));
    outTracks.push(track);
    const remote = onRemoteTrack(viewer);
    await connect(out, viewer);
    delivered.push(0);
    (await remote).addEventListener('rtp', () => {
      delivered[i]!++;
    });
  }
  let forwarded = 0;
  (await ingestTrack).addEventListener('rtp', (e) => {
    // The packet as received (`data`), not the parsed view: a forwarder has no reason to
    // re-serialize what it does not change (werift's event carries only the parsed packet).
    const packet = (e as InstanceType<typeof import('@purertc/peer').RtpPacketEvent>).data;
    for (const track of outTracks) track.writeRtp(packet);
    forwarded += outTracks.length;
  });
  return {
    send: (seq, payload) =>
      sourceTrack.writeRtp({
        marker: false,
        payloadType: pt,
        sequenceNumber: seq & 0xffff,
        timestamp: seq * 3000,
        ssrc: 1,
        csrcs: [],
        extension: undefined,
        payload,
        paddingLength: 0,
      }),
    forwarded: () => forwarded,
    delivered: () => delivered.reduce((a, b) => a + b, 0),
    leastDelivered: () => Math.min(...delivered),
    close: () => {
      for (const pc of all) pc.close();
    },
  };
}

// ---- werift ----

async function weriftSfu(n: number): Promise<Edge> {
  const w = await import('werift');
  type Pc = InstanceType<typeof w.RTCPeerConnection>;
  const make = (): Pc =>
    new w.RTCPeerConnection({
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
    });
  const all: Pc[] = [];
  const complete = async (pc: Pc): Promise<{ type: 'offer' | 'answer'; sdp: string }> => {
    if (pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        pc.iceGatheringStateChange.subscribe((s) => {
          if (s === 'complete') resolve();
        });
      });
    }
    const d = pc.localDescription!;
    return { type: d.type as 'offer', sdp: loopbackOnly(d.sdp) };
  };
  const connect = async (a: Pc, b: Pc): Promise<void> => {
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(await complete(a));
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(await complete(b));
  };
  const onRemoteTrack = (pc: Pc): Promise<InstanceType<typeof w.MediaStreamTrack>> =>
    new Promise((resolve) => {
      pc.onTrack.subscribe((track) => resolve(track));
    });

  const source = make();
  const ingest = make();
  all.push(source, ingest);
  const sourceTrack = new w.MediaStreamTrack({ kind: 'video' });
  source.addTransceiver(sourceTrack, { direction: 'sendonly' });
  ingest.addTransceiver('video', { direction: 'recvonly' });
  const ingestTrack = onRemoteTrack(ingest);
  await connect(source, ingest);
  const outTracks: InstanceType<typeof w.MediaStreamTrack>[] = [];
  const delivered: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = make();
    const viewer = make();
    all.push(out, viewer);
    const track = new w.MediaStreamTrack({ kind: 'video' });
    out.addTransceiver(track, { direction: 'sendonly' });
    viewer.addTransceiver('video', { direction: 'recvonly' });
    outTracks.push(track);
    const remote = onRemoteTrack(viewer);
    await connect(out, viewer);
    delivered.push(0);
    (await remote).onReceiveRtp.subscribe(() => {
      delivered[i]!++;
    });
  }
  let forwarded = 0;
  (await ingestTrack).onReceiveRtp.subscribe((rtp) => {
    for (const track of outTracks) track.writeRtp(rtp);
    forwarded += outTracks.length;
  });
  const pt = 96;
  return {
    send: (seq, payload) =>
      sourceTrack.writeRtp(
        new w.RtpPacket(
          new w.RtpHeader({
            payloadType: pt,
            sequenceNumber: seq & 0xffff,
            timestamp: seq * 3000,
            ssrc: 1,
            marker: false,
          }),
          payload,
        ),
      ),
    forwarded: () => forwarded,
    delivered: () => delivered.reduce((a, b) => a + b, 0),
    leastDelivered: () => Math.min(...delivered),
    close: () => {
      for (const pc of all) pc.close().catch(() => {});
    },
  };
}
