// The shared screen's media, for both shapes' rooms (runbook T8): the capture, one one-way
// "screen" link from the sharer to each other peer, and the server's word on who shares.
// The sharer always offers, so its links never collide with the camera links. Each room shows
// it its own way through `view`: render(state) after every change, show(stream) with the
// screen to play (the sharer sees its own capture) or null.
// Client faults, each bending one thing:
//   screen_not_forwarded      the sharer sends the screen to nobody
//   screen_low_res=H          captured H pixels high instead of 1080
//   slow_share_start=MS       the capture starts MS after the click
//   screen_forward_delay=MS   the sharer starts sending the screen MS after the share started
//   share_indicator_stays     when a share ends, everyone but the sharer keeps showing it (the
//                             screen's link closes: a still picture)
//   screen_keeps_flowing      when a share ends, every page shows it ended but the links stay
//                             open: the screen is still sent and received
//   share_stop_kills_camera   ending the share also stops the sharer's camera

import { capSender, createPeerLink } from './peer-link.js';

// Runbook T8 asks 1080p or higher and says nothing of the rate. 15 fps is what the common video SDKs
// give a 1080p share by default (LiveKit's FHD15, Agora's 15); 30 fps cost each T8 run ~2 CPU s more.
const SCREEN = { width: 1920, height: 1080, frameRate: 15 };
const SCREEN_MAX_KBPS = 4000;
const SCREEN_START_KBPS = 2000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function displayConstraints(faults) {
  const height = Number(faults.screen_low_res) || SCREEN.height;
  const width = Math.round((height * SCREEN.width) / SCREEN.height);
  return { video: { width: { ideal: width, max: width }, height: { ideal: height, max: height }, frameRate: SCREEN.frameRate }, audio: false };
}

// room: {bus, faults, notify(text), mediaReady (the camera, for share_stop_kills_camera)}.
export function startScreenLinks(room, view) {
  const { bus, faults } = room;
  const links = new Map(); // peer_id -> screen link (as sharer: to each viewer; as viewer: the one from the sharer)
  let share = null; // the server's view: who shares, who controls
  let capture = null; // our own getDisplayMedia stream while we share
  let starting = false;
  let frozen = false; // share_indicator_stays: this page stopped following the share's end

  const iAmSharer = () => Boolean(share && share.sharer_peer_id === bus.peerId);
  const iControl = () => Boolean(share && share.controller_peer_id === bus.peerId);
  const state = () => ({ share, starting, sharer: iAmSharer(), controller: iControl() });
  const render = () => { if (!frozen) view.render(state()); };

  function closeLinks() {
    for (const link of links.values()) link.close();
    links.clear();
  }

  function stopCapture() {
    if (capture) capture.getTracks().forEach((t) => t.stop());
    capture = null;
  }

  function sendTo(peer) {
    if (!capture || faults.screen_not_forwarded) return;
    links.get(peer.peer_id)?.close();
    const link = createPeerLink({
      signaling: bus, peerId: peer.peer_id, channel: 'screen', startKbps: SCREEN_START_KBPS,
      onState(linkState) {
        if (linkState !== 'connected') return;
        // Keep 1080p under CPU pressure: drop frames rather than resolution.
        for (const s of link.pc.getSenders()) capSender(s, { maxKbps: SCREEN_MAX_KBPS, degradation: 'maintain-resolution' });
      },
    });
    const [track] = capture.getVideoTracks();
    link.pc.addTransceiver(track, { direction: 'sendonly', sendEncodings: [{ maxBitrate: SCREEN_MAX_KBPS * 1000 }] });
    links.set(peer.peer_id, link);
    link.offer();
  }

  // screen_forward_delay holds back every copy of the screen until then, a viewer joining meanwhile too.
  let forwardFrom = 0;

  async function sendToEveryone() {
    forwardFrom = performance.now() + Number(faults.screen_forward_delay || 0);
    if (faults.screen_forward_delay) await sleep(Number(faults.screen_forward_delay));
    if (!iAmSharer()) return;
    for (const peer of bus.peers.values()) sendTo(peer);
  }

  function ended(wasSharer) {
    if (faults.screen_keeps_flowing) return; // links and capture stay; only the pages say it ended
    if (wasSharer) stopCapture();
    closeLinks();
    if (wasSharer && faults.share_stop_kills_camera && room.mediaReady) {
      room.mediaReady.then((media) => media.stream.getVideoTracks().forEach((t) => t.stop()));
    }
  }

  function apply(next) {
    const wasSharer = iAmSharer();
    const previousSharer = share && share.sharer_peer_id;
    share = next;
    if (!share && previousSharer) {
      ended(wasSharer);
      if (faults.share_indicator_stays && !wasSharer) frozen = true; // the last picture stays up
    } else if (wasSharer && !iAmSharer()) {
      stopCapture();
      closeLinks();
    } else if (!wasSharer && share && share.sharer_peer_id !== previousSharer) {
      closeLinks(); // the link from the previous sharer, if any
      frozen = false;
    }
    if (!share && !frozen && !faults.screen_keeps_flowing) view.show(null);
    if (iAmSharer() && !wasSharer) {
      if (!capture) {
        bus.send({ type: 'share-stop' }); // e.g. we reconnected: the old capture is gone
      } else {
        view.show(capture); // the sharer sees its own screen too
        sendToEveryone();
      }
    }
    if (share) frozen = false;
    render();
    bus.emit('share-changed', share);
  }

  async function start() {
    if (share || starting) return;
    starting = true;
    render();
    try {
      if (faults.slow_share_start) await sleep(Number(faults.slow_share_start));
      capture = await navigator.mediaDevices.getDisplayMedia(displayConstraints(faults));
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

  const stop = () => bus.send({ type: 'share-stop' });

  bus.on('welcome', (message) => { closeLinks(); share = null; frozen = false; apply(message.share || null); });
  bus.on('share', (message) => apply(message.share));
  bus.on('peer-joined', (message) => { if (iAmSharer() && performance.now() >= forwardFrom) sendTo(message.peer); });
  bus.on('peer-left', (message) => { links.get(message.peer.peer_id)?.close(); links.delete(message.peer.peer_id); });
  bus.on('disconnected', () => { closeLinks(); stopCapture(); share = null; frozen = false; render(); });
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
        onTrack(event) { view.show(new MediaStream([event.track])); },
      });
      links.set(message.from, link);
    }
    if (link) link.handle(message.kind, message.data);
  });
  render();
  return { start, stop, state };
}
