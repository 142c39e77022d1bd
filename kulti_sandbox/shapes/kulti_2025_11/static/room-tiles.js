// Video tiles (facts §8.3): one div per peer holding a <video autoplay playsinline> (with the
// muted attribute on the local tile only) or, for a peer that sends no video, a user-icon
// placeholder; a name <span> (" (You)" on the local tile) and a "HOST" badge. Voices play
// from <audio> elements outside the tiles, as the 100ms SDK plays them. Joins and leaves
// show only as toasts; there is no participant list or count.
// Client faults: remote_video_paused (remote videos are never played; frames still decode),
// participants_by_reload (a newcomer is shown by reloading the page: no tile is added live).

import { showPreview } from './room/media.js';

const SVG = 'http://www.w3.org/2000/svg';
const AUTOPLAY_BLOCKED = 'Browser blocked autoplay. Please click anywhere to enable audio/video.';

function userIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'lucide lucide-user');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '32');
  svg.setAttribute('height', '32');
  svg.setAttribute('aria-hidden', 'true');
  const head = document.createElementNS(SVG, 'circle');
  head.setAttribute('cx', '12');
  head.setAttribute('cy', '8');
  head.setAttribute('r', '4');
  const body = document.createElementNS(SVG, 'path');
  body.setAttribute('d', 'M4 21c1-5 15-5 16 0');
  for (const shape of [head, body]) {
    shape.setAttribute('fill', 'none');
    shape.setAttribute('stroke', 'currentColor');
    shape.setAttribute('stroke-width', '2');
  }
  svg.append(head, body);
  return svg;
}

function placeholder() {
  const box = document.createElement('div');
  box.className = 'tile-placeholder';
  const disc = document.createElement('div');
  disc.className = 'tile-avatar';
  disc.append(userIcon());
  box.append(disc);
  return box;
}

export function tileElement(peer, isLocal) {
  const tile = document.createElement('div');
  tile.className = 'video-tile';
  const overlay = document.createElement('div');
  overlay.className = 'tile-overlay';
  const name = document.createElement('span');
  name.textContent = isLocal ? `${peer.display_name} (You)` : peer.display_name;
  overlay.append(name);
  if (peer.role === 'host') {
    const badge = document.createElement('span');
    badge.className = 'host-badge';
    badge.textContent = 'HOST';
    overlay.append(badge);
  }
  tile.append(placeholder(), overlay);
  return tile;
}

export function videoElement(isLocal) {
  const video = document.createElement('video');
  video.autoplay = true; // both properties reflect their attributes
  video.playsInline = true;
  if (isLocal) {
    video.muted = true; // the property does not reflect; the attribute is what a test can see
    video.setAttribute('muted', '');
  }
  return video;
}

export function roomTiles(room, mediaReady) {
  const grid = document.querySelector('.video-grid');
  const voices = document.querySelector('.room-voices');
  const players = new Set(); // remote <video> and <audio> elements, for the autoplay retry
  let localTile = null;
  const known = new Set(); // usernames this page has shown, for participants_by_reload
  let reloading = false;

  function play(element) {
    if (room.faults.remote_video_paused && element.tagName === 'VIDEO') return;
    element.play().catch((err) => {
      if (err.name !== 'NotAllowedError') return;
      window.kultiToast(AUTOPLAY_BLOCKED);
      document.addEventListener('click', () => players.forEach(play), { once: true });
    });
  }

  async function showLocal(you) {
    const tile = tileElement(you, true);
    localTile?.remove();
    localTile = tile;
    grid.prepend(tile);
    const media = await mediaReady;
    if (localTile !== tile || media.stream.getVideoTracks().length === 0) return;
    const video = videoElement(true);
    tile.firstChild.replaceWith(video);
    showPreview(video, media, room.faults, () => {});
  }

  function open(peer) {
    const tile = tileElement(peer, false);
    if (!reloading) grid.append(tile);
    let video = null;
    let voice = null;
    return {
      get video() { return video; },
      show(stream, track) {
        const element = track.kind === 'video' ? (video ||= videoElement(false)) : (voice ||= new Audio());
        if (track.kind === 'video' && !video.isConnected) {
          if (room.faults.remote_video_paused) video.autoplay = false;
          tile.firstChild.replaceWith(video);
        }
        if (track.kind === 'audio' && !voice.isConnected) voices.append(voice);
        element.srcObject = new MediaStream([track]);
        players.add(element);
        play(element);
      },
      setState() {},
      remove() {
        for (const element of [video, voice]) if (element) players.delete(element);
        voice?.remove();
        tile.remove();
      },
    };
  }

  room.bus.on('welcome', (message) => {
    [message.you, ...message.peers].forEach((p) => known.add(p.username));
    showLocal(message.you);
  });
  room.bus.on('peer-joined', (message) => {
    if (room.faults.participants_by_reload && !known.has(message.peer.username)) {
      reloading = true;
      location.reload();
      return;
    }
    window.kultiToast(`${message.peer.display_name} joined the session`);
  });
  room.bus.on('peer-left', (message) => window.kultiToast(`${message.peer.display_name} left the session`));
  return { open };
}
