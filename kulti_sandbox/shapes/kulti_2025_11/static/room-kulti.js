// The session room of the launched app (facts §8): fetch a 100ms token, join, show tiles,
// controls, screen share and chat. Media, peers and signaling are the runbook room's modules (./room/),
// so their client faults (slow_camera, video_absent, video_frozen, low_bitrate, ...) act here too.
// Client fault chat_panel_left: the chat column is laid out on the left.

import { captureCamera, receiveOnly } from './room/media.js';
import { startMesh } from './room/mesh.js';
import { connectSignaling } from './room/signaling.js';
import { startRoomChat } from './room-chat.js';
import { startRoomScreen } from './room-screen.js';
import { startRecordingControl } from './room-recording.js';
import { roomTiles } from './room-tiles.js';

// 100ms roles as Kulti's template documents them (facts §8.1): viewers may not publish.
const PUBLISHING_ROLES = ['host', 'presenter'];

const part = (name) => document.querySelector(`[data-room-part="${name}"]`);
const readJson = (id) => JSON.parse(document.getElementById(id).textContent);

async function fetchToken(data) {
  const res = await fetch('/api/hms/get-token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ roomId: data.hms_room_id, sessionId: data.session_id }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || 'Failed to join session');
  return body;
}

function showFailure(message) {
  part('joining').hidden = true;
  const failed = part('failed');
  failed.querySelector('p').textContent = message;
  failed.hidden = false;
  window.kultiToast(message);
}

// Camera and microphone on/off, as setLocalAudioEnabled / setLocalVideoEnabled do.
function startDeviceToggles(mediaReady) {
  for (const [control, kind] of [['mic', 'audio'], ['camera', 'video']]) {
    const button = document.querySelector(`[data-control="${control}"]`);
    button.addEventListener('click', async () => {
      const tracks = (await mediaReady).stream.getTracks().filter((t) => t.kind === kind);
      tracks.forEach((t) => { t.enabled = !t.enabled; });
      button.classList.toggle('off', tracks.some((t) => !t.enabled));
    });
  }
}

function leave(room, mediaReady) {
  room.bus.close();
  mediaReady.then((media) => media.stream.getTracks().forEach((t) => t.stop()));
}

export async function startRoom() {
  const config = readJson('kulti-config');
  const data = readJson('room-data');
  document.querySelector('[data-action="back"]').addEventListener('click', () => window.kultiNavigate('/dashboard'));
  let auth;
  try {
    auth = await fetchToken(data);
  } catch (err) {
    showFailure(err.message);
    return;
  }
  const room = {
    data: { ...data, role: auth.role, is_host: auth.role === 'host' },
    faults: config.faults || {},
    bus: connectSignaling(`/_kulti/room-socket?token=${encodeURIComponent(auth.token)}`, null),
  };
  const mediaReady = PUBLISHING_ROLES.includes(auth.role) ? captureCamera(room.faults, room.data.is_host) : receiveOnly();
  if (room.faults.chat_panel_left) document.querySelector('.room-body').classList.add('side-left');
  startMesh(room, mediaReady, roomTiles(room, mediaReady));
  startRoomScreen(room, mediaReady);
  startRoomChat(room);
  startDeviceToggles(mediaReady);
  startRecordingControl(room, mediaReady);
  room.bus.on('welcome', () => {
    part('joining').hidden = true;
    part('room').hidden = false;
  });
  window.addEventListener('kulti:leave', () => leave(room, mediaReady), { once: true });
  document.querySelector('[data-action="leave"]').addEventListener('click', () => window.kultiNavigate('/dashboard'));
}
