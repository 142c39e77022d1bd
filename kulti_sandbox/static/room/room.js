// Entry point of the session room page: reads the page data and starts each part.
// Each part is its own module and talks to the others only through the room "bus"
// (the socket's dispatcher, which also carries a few local events such as
// "share-changed" and "remote-stream").

import { startChat } from './chat.js';
import { startControl } from './control.js';
import { startJoin } from './join.js';
import { startLocalMedia } from './media.js';
import { startMesh } from './mesh.js';
import { startParticipants } from './participants.js';
import { startRecording } from './recording.js';
import { runbookTiles } from './runbook-tiles.js';
import { startScreenShare } from './screen-share.js';
import { connectSignaling } from './signaling.js';

const NOTICE_MS = 4000;

function readJson(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

function notifier() {
  const box = document.querySelector('[data-testid="room-notification"]');
  let timer = null;
  return (text) => {
    box.textContent = text;
    box.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => { box.hidden = true; }, NOTICE_MS);
  };
}

function start() {
  const config = readJson('kulti-config');
  const data = readJson('room-data');
  if (!data.role) {
    startJoin(data);
    return;
  }
  if (data.status === 'ended') return;
  const room = {
    data,
    faults: config.faults || {},
    notify: notifier(),
    bus: connectSignaling(data.ws_path, document.querySelector('[data-testid="connection-status"]')),
  };
  // Client fault chat_panel_left: the side column (participants and chat) swaps to the left.
  if (room.faults.chat_panel_left) document.querySelector('.room-layout').classList.add('side-left');
  const mediaReady = startLocalMedia(room);
  startParticipants(room);
  const mesh = startMesh(room, mediaReady, runbookTiles(room));
  startScreenShare(room, mediaReady);
  startControl(room);
  startChat(room);
  startRecording(room, mesh, mediaReady);
}

start();
