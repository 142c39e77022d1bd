// Loaded into room pages by the room tests (add_init_script) before any page script runs.
// Keeps every RTCPeerConnection the page creates, so stats can be read the way a smoke
// probe would read them from the real Kulti, without any help from the page's own code.
(() => {
  const Native = window.RTCPeerConnection;
  const pcs = [];
  // Milliseconds from each connection's connecting to its first decoded video frame, on the page
  // clock (the stats polled here every 50 ms: a late poll only lengthens it).
  const videoAfterConnect = [];
  function timeFirstVideo(pc) {
    const connectedAt = performance.now();
    const poll = setInterval(async () => {
      if (pc.connectionState === 'closed') { clearInterval(poll); return; }
      const stats = await pc.getStats();
      let decoded = 0;
      stats.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') decoded += r.framesDecoded || 0; });
      if (decoded > 0) {
        clearInterval(poll);
        videoAfterConnect.push(performance.now() - connectedAt);
      }
    }, 50);
  }
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    pcs.push(pc);
    let timed = false;
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected' && !timed) {
        timed = true;
        timeFirstVideo(pc);
      }
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;

  async function reports(type) {
    const out = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((r) => { if (r.type === type) out.push(r); });
    }
    return out;
  }

  window.__roomProbe = {
    // One summary per live inbound stream: what a smoke test compares with its budgets.
    async inbound() {
      return (await reports('inbound-rtp')).map((r) => ({
        kind: r.kind, bytesReceived: r.bytesReceived || 0, framesDecoded: r.framesDecoded || 0,
        framesPerSecond: r.framesPerSecond || 0, frameWidth: r.frameWidth || 0, frameHeight: r.frameHeight || 0,
        totalAudioEnergy: r.totalAudioEnergy || 0, timestamp: r.timestamp,
        framesDropped: r.framesDropped || 0,
        jitterBufferDelay: r.jitterBufferDelay || 0, jitterBufferEmittedCount: r.jitterBufferEmittedCount || 0,
        concealedSamples: r.concealedSamples || 0, totalSamplesReceived: r.totalSamplesReceived || 0,
      }));
    },
    async outbound() {
      return (await reports('outbound-rtp')).map((r) => ({
        kind: r.kind, bytesSent: r.bytesSent || 0, framesEncoded: r.framesEncoded || 0,
        frameHeight: r.frameHeight || 0, framesPerSecond: r.framesPerSecond || 0,
        qualityLimitationReason: r.qualityLimitationReason, targetBitrate: r.targetBitrate || 0,
      }));
    },
    connections: () => pcs.filter((pc) => pc.connectionState !== 'closed').length,
    videoAfterConnectMs: () => videoAfterConnect.slice(),
  };
})();
