// Runs inside Chromium: one RTCPeerConnection per scenario, driven from the test with
// page.evaluate(() => window.lab.<fn>(...)). Every channel it learns about echoes what it gets,
// except channels whose label says otherwise:
//   "sink:<n>"   collects n bytes, then answers with their SHA-256 (hex) as a string.
//   "source:<n>" sends n bytes of a fixed pattern with backpressure, then their SHA-256 (hex).
window.lab = (() => {
  let pc = null;
  const channels = new Map();
  const closed = [];
  const received = new Map();
  const waiters = new Map();
  const mediaStats = { stream: null };

  const { loopbackOnly } = window.pageCommon;

  const gathered = () => window.pageCommon.gathered(pc);

  const ufragOf = (sdp) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
  /**
   * setLocalDescription, then the description with every candidate. After an ICE restart the
   * gathering state still reads `complete` from the previous generation for a moment, so a
   * restart waits for the new generation's end-of-candidates instead.
   */
  const applyLocalGathered = async () => {
    const before = ufragOf(pc.localDescription?.sdp);
    const ended = new Promise((resolve) => {
      const onCandidate = (e) => {
        if (e.candidate) return;
        pc.removeEventListener('icecandidate', onCandidate);
        resolve();
      };
      pc.addEventListener('icecandidate', onCandidate);
    });
    await pc.setLocalDescription();
    const after = ufragOf(pc.localDescription?.sdp);
    if (before !== undefined && after !== before) await ended;
    else await gathered();
  };

  const hex = async (bytes) =>
    [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');

  // Deterministic, not compressible-looking: byte i of the stream is a function of i.
  const pattern = (offset, length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const n = offset + i;
      out[i] = Math.imul(n, 2654435761) >>> 24;
    }
    return out;
  };

  function sink(ch, total) {
    const all = new Uint8Array(total);
    let got = 0;
    ch.addEventListener('message', async (e) => {
      const chunk = new Uint8Array(e.data);
      all.set(chunk, got);
      got += chunk.byteLength;
      if (got === total) ch.send(await hex(all));
    });
  }

  function source(ch, total) {
    const chunkSize = 64 * 1024;
    const all = pattern(0, total);
    let sent = 0;
    ch.bufferedAmountLowThreshold = 1024 * 1024;
    const pump = async () => {
      while (sent < total && ch.bufferedAmount <= 4 * 1024 * 1024) {
        const n = Math.min(chunkSize, total - sent);
        ch.send(all.subarray(sent, sent + n));
        sent += n;
      }
      if (sent === total) {
        ch.removeEventListener('bufferedamountlow', pump);
        sent = total + 1;
        ch.send(await hex(all));
      }
    };
    ch.addEventListener('bufferedamountlow', pump);
    const start = () => void pump();
    if (ch.readyState === 'open') start();
    else ch.addEventListener('open', start, { once: true });
  }

  function adopt(ch) {
    ch.binaryType = 'arraybuffer';
    channels.set(ch.label, ch);
    for (const wake of waiters.get(ch.label) ?? []) wake();
    waiters.delete(ch.label);
    ch.addEventListener('close', () => closed.push(ch.label));
    const [kind, size] = ch.label.split(':');
    if (kind === 'sink') return sink(ch, Number(size));
    if (kind === 'source') return source(ch, Number(size));
    const sizes = [];
    received.set(ch.label, sizes);
    ch.addEventListener('message', (e) => {
      sizes.push(typeof e.data === 'string' ? e.data.length : e.data.byteLength);
      ch.send(e.data);
    });
  }

  return {
    pattern,
    async create(options = {}) {
      pc?.close();
      channels.clear();
      closed.length = 0;
      received.clear();
      waiters.clear();
      pc = new RTCPeerConnection();
      window.pc = pc;
      pc.addEventListener('datachannel', (e) => adopt(e.channel));
      if (options.channel) adopt(pc.createDataChannel(options.channel));
      if (options.media) {
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { width: 320, height: 240 },
          audio: true,
        });
        mediaStats.stream = stream;
        for (const track of stream.getTracks()) pc.addTrack(track, stream);
      }
      if (options.recvMedia) {
        pc.addTransceiver('audio', { direction: 'recvonly' });
        pc.addTransceiver('video', { direction: 'recvonly' });
      }
    },
    createChannel(label, init) {
      const ch = pc.createDataChannel(label, init);
      adopt(ch);
      return new Promise((resolve, reject) => {
        ch.addEventListener('open', () => resolve(), { once: true });
        ch.addEventListener('error', () => reject(new Error(`channel ${label} failed`)), { once: true });
      });
    },
    async addCamera() {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
    },
    /** Sizes of the messages an echoing channel got, in order. */
    received: (label) => [...(received.get(label) ?? [])],
    /** Resolves once the page knows a channel with this label (its datachannel event fired). */
    async channelInfo(label) {
      if (!channels.has(label)) {
        await new Promise((resolve) => waiters.set(label, [...(waiters.get(label) ?? []), resolve]));
      }
      const ch = channels.get(label);
      return {
        label: ch.label,
        ordered: ch.ordered,
        maxRetransmits: ch.maxRetransmits,
        maxPacketLifeTime: ch.maxPacketLifeTime,
        negotiated: ch.negotiated,
        id: ch.id,
        protocol: ch.protocol,
        readyState: ch.readyState,
      };
    },
    openChannels: () => [...channels.values()].filter((c) => c.readyState === 'open').map((c) => c.label),
    closedChannels: () => [...closed],
    closeChannel(label) {
      channels.get(label)?.close();
    },
    /** Waits until the channel is closed (bounded by the caller's timeout). */
    channelClosed(label) {
      const ch = channels.get(label);
      if (!ch || ch.readyState === 'closed') return Promise.resolve();
      return new Promise((resolve) => ch.addEventListener('close', () => resolve(), { once: true }));
    },
    async offer(options) {
      if (options?.iceRestart) pc.restartIce();
      await applyLocalGathered();
      return loopbackOnly(pc.localDescription.sdp);
    },
    async answer(sdp) {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      await applyLocalGathered();
      return loopbackOnly(pc.localDescription.sdp);
    },
    async accept(sdp) {
      await pc.setRemoteDescription({ type: 'answer', sdp });
    },
    connected() {
      if (pc.connectionState === 'connected') return Promise.resolve();
      return new Promise((resolve, reject) =>
        pc.addEventListener('connectionstatechange', () => {
          if (pc.connectionState === 'connected') resolve();
          if (pc.connectionState === 'failed') reject(new Error('Chrome: connection failed'));
        }),
      );
    },
    state: () => ({
      connection: pc.connectionState,
      ice: pc.iceConnectionState,
      signaling: pc.signalingState,
    }),
    async stats() {
      const report = await pc.getStats();
      return [...report.values()].map((s) => ({ ...s }));
    },
    close() {
      pc?.close();
      pc = null;
      for (const t of mediaStats.stream?.getTracks() ?? []) t.stop();
      mediaStats.stream = null;
    },
  };
})();
