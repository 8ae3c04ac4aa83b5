// Runs inside Chromium before a page script (page-peer.js, simulcast-page.js): what every page
// needs to hand a complete, loopback-only description back to the test.
window.pageCommon = (() => {
  const isLoopback = (line) => /^(127\.|::1$)/.test(line.split(' ')[4] ?? '');
  return {
    /** The description without candidates that are not on loopback (nothing leaves the machine). */
    loopbackOnly: (sdp) =>
      sdp
        .split('\r\n')
        .filter((l) => !l.startsWith('a=candidate:') || isLoopback(l))
        .join('\r\n'),
    /** Resolves once `pc` has gathered every candidate. */
    gathered: (pc) =>
      new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState === 'complete') resolve();
        });
      }),
  };
})();
