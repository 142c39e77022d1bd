// Screen sharing (runbook T8 steps 1-3 and 6). The server decides who is sharing and
// tells everyone ("share" messages); the sharer then opens one one-way "screen" link to
// each other peer and is always the one that offers, so it never collides with the
// camera links. The sharer or whoever has control may stop it.
// Client faults: screen_not_forwarded (the sharer sends the screen to nobody) and
// screen_low_res=H (captured H pixels high instead of 1080).

import { capSender, createPeerLink } from './peer-link.js';

const SCREEN = { width: 1920, height: 1080, frameRate: 30 }; // runbook T8: 1080p or higher
const SCREEN_MAX_KBPS = 4000;
const SCREEN_START_KBPS = 2000;

function displayConstraints(faults) {
  const height = Number(faults.screen_low_res) || SCREEN.height;
  const width = Math.round((height * SCREEN.width) / SCREEN.height);
  return { video: { width: { ideal: width, max: width }, height: { ideal: height, max: height }, frameRate: SCREEN.frameRate }, audio: false };
}

export function startScreenShare(room) {
  const { bus } = room;
  const button = document.querySelector('[data-testid="share-screen-button"]');
  const stage = document.querySelector('[data-testid="screen-share-stage"]');
  const indicator = document.querySelector('[data-testid="screen-share-indicator"]');
  const sharerLabel = document.querySelector('[data-testid="screen-share-sharer"]');
  const video = document.querySelector('[data-testid="screen-share-video"]');
  const links = new Map(); // peer_id -> screen link (as sharer: to each viewer; as viewer: the one from the sharer)
  let share = null; // the server's view: who shares, who controls
  let capture = null; // our own getDisplayMedia stream while we share
  let starting = false;

  const iAmSharer = () => share && share.sharer_peer_id === bus.peerId;
  const iControl = () => share && share.controller_peer_id === bus.peerId;

  function closeLinks() {
    for (const link of links.values()) link.close();
    links.clear();
  }

  function stopCapture() {
    if (capture) capture.getTracks().forEach((t) => t.stop());
    capture = null;
  }

  function sendTo(peer) {
    if (!capture || room.faults.screen_not_forwarded) return;
    links.get(peer.peer_id)?.close();
    const link = createPeerLink({
      signaling: bus, peerId: peer.peer_id, channel: 'screen', startKbps: SCREEN_START_KBPS,
      onState(state) {
        if (state !== 'connected') return;
        // Keep 1080p under CPU pressure: drop frames rather than resolution.
        for (const s of link.pc.getSenders()) capSender(s, { maxKbps: SCREEN_MAX_KBPS, degradation: 'maintain-resolution' });
      },
    });
    const [track] = capture.getVideoTracks();
    link.pc.addTransceiver(track, { direction: 'sendonly', sendEncodings: [{ maxBitrate: SCREEN_MAX_KBPS * 1000 }] });
    links.set(peer.peer_id, link);
    link.offer();
  }

  function render() {
    const active = Boolean(share);
    stage.hidden = !active;
    indicator.hidden = !active;
    stage.dataset.sharer = share ? share.sharer_username : '';
    sharerLabel.textContent = share ? `${share.sharer_display_name} is sharing` : '';
    button.textContent = iAmSharer() || iControl() ? 'Stop Sharing' : 'Share Screen';
    button.disabled = starting || (active && !iAmSharer() && !iControl());
    button.dataset.state = iAmSharer() ? 'sharing' : active ? 'other-sharing' : 'idle';
  }

  function apply(next) {
    const wasSharer = iAmSharer();
    const previousSharer = share && share.sharer_peer_id;
    share = next;
    if (wasSharer && !iAmSharer()) {
      stopCapture();
      closeLinks();
    } else if (!wasSharer && (!share || share.sharer_peer_id !== previousSharer)) {
      closeLinks(); // the link from the previous sharer, if any
    }
    if (!share) video.srcObject = null;
    if (iAmSharer() && !wasSharer) {
      if (!capture) {
        bus.send({ type: 'share-stop' }); // e.g. we reconnected: the old capture is gone
      } else {
        video.srcObject = capture; // the sharer sees its own screen too
        for (const peer of bus.peers.values()) sendTo(peer);
      }
    }
    render();
    bus.emit('share-changed', share);
  }

  async function startSharing() {
    starting = true;
    render();
    try {
      capture = await navigator.mediaDevices.getDisplayMedia(displayConstraints(room.faults));
    } catch (err) {
      room.notify(`Screen sharing was not started: ${err.message || err.name}`);
      return;
    } finally {
      starting = false;
      render();
    }
    // Chrome's own "Stop sharing" bar ends the track; tell the room.
    capture.getVideoTracks()[0].addEventListener('ended', () => bus.send({ type: 'share-stop' }));
    if (!bus.send({ type: 'share-start' })) {
      stopCapture();
      room.notify('Not connected: screen sharing was not started');
    }
  }

  button.addEventListener('click', () => {
    if (iAmSharer() || iControl()) bus.send({ type: 'share-stop' });
    else if (!share) startSharing();
  });
  bus.on('welcome', (message) => { closeLinks(); share = null; apply(message.share); });
  bus.on('share', (message) => apply(message.share));
  bus.on('peer-joined', (message) => { if (iAmSharer()) sendTo(message.peer); });
  bus.on('peer-left', (message) => { links.get(message.peer.peer_id)?.close(); links.delete(message.peer.peer_id); });
  bus.on('disconnected', () => { closeLinks(); stopCapture(); share = null; render(); });
  bus.on('error', (message) => {
    if (message.about !== 'share-start') return;
    stopCapture();
    room.notify(message.message);
  });
  bus.on('signal', (message) => {
    if (message.channel !== 'screen') return;
    let link = links.get(message.from);
    if (!link && message.kind === 'offer') {
      link = createPeerLink({
        signaling: bus, peerId: message.from, channel: 'screen',
        onTrack(event) {
          video.srcObject = new MediaStream([event.track]);
          video.play().catch(() => {});
        },
      });
      links.set(message.from, link);
    }
    if (link) link.handle(message.kind, message.data);
  });
  render();
}
