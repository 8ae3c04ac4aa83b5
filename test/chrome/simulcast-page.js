// Runs inside Chromium for simulcast.test.ts: one RTCPeerConnection that sends the fake camera
// as three simulcast layers (rids q, h, f), driven with page.evaluate(() => window.sim.<fn>()).
window.sim = (() => {
  let pc = null;
  let stream = null;
  const { loopbackOnly } = window.pageCommon;
  const gathered = () => window.pageCommon.gathered(pc);
  return {
    /** Chrome's offer with `sendEncodings` q/h/f; the fake camera at 1280x720 so every layer is sent. */
    async offer() {
      pc = new RTCPeerConnection();
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
      pc.addTransceiver(stream.getVideoTracks()[0], {
        direction: 'sendonly',
        streams: [stream],
        sendEncodings: [
          { rid: 'q', scaleResolutionDownBy: 4 },
          { rid: 'h', scaleResolutionDownBy: 2 },
          { rid: 'f' },
        ],
      });
      await pc.setLocalDescription();
      await gathered();
      return loopbackOnly(pc.localDescription.sdp);
    },
    /**
     * Chrome answers purertc's a=simulcast:recv offer, sending the fake camera (1280x720) on the
     * transceiver the offer made; RFC 8853 answerer behaviour gives its sender one encoding per rid.
     */
    async answerSimulcast(sdp) {
      pc = new RTCPeerConnection();
      await pc.setRemoteDescription({ type: 'offer', sdp });
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
      const [transceiver] = pc.getTransceivers();
      await transceiver.sender.replaceTrack(stream.getVideoTracks()[0]);
      transceiver.sender.setStreams(stream);
      transceiver.direction = 'sendonly';
      await pc.setLocalDescription();
      await gathered();
      return {
        sdp: loopbackOnly(pc.localDescription.sdp),
        rids: transceiver.sender.getParameters().encodings.map((e) => e.rid ?? null),
      };
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
    async stats() {
      const report = await pc.getStats();
      return [...report.values()].map((s) => ({ ...s }));
    },
    close() {
      pc?.close();
      pc = null;
      for (const t of stream?.getTracks() ?? []) t.stop();
      stream = null;
    },
  };
})();
