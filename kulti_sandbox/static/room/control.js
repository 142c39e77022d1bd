// Pass Control and the shared cursor (runbook T8 steps 4-5). Whoever has control moves
// the mouse over the shared screen; its position, normalised to 0-1 over the screen
// surface, goes to everyone else at most once per animation frame, and each click as a
// marker. Receivers stamp when it arrived, so a probe can read the latency from the DOM:
// data-received-at - data-sent-at (both Date.now() milliseconds; same clock on one machine).

const CLICK_MARKER_MS = 800;

export function startControl(room) {
  const { bus } = room;
  const indicator = document.querySelector('[data-testid="control-indicator"]');
  const passBox = document.querySelector('[data-testid="pass-control"]');
  const select = document.querySelector('[data-testid="pass-control-select"]');
  const passButton = document.querySelector('[data-testid="pass-control-button"]');
  const surface = document.querySelector('[data-testid="screen-share-surface"]');
  const cursor = document.querySelector('[data-testid="remote-cursor"]');
  const cursorLabel = document.querySelector('[data-testid="remote-cursor-name"]');
  const clickMarker = document.querySelector('[data-testid="remote-click"]');
  let share = null;
  let seq = 0;
  let pending = null; // the latest pointer position not yet sent this frame
  let clickTimer = null;

  const iControl = () => share && share.controller_peer_id === bus.peerId;
  const mayPass = () => share && (share.sharer_peer_id === bus.peerId || iControl());

  function fillSelect() {
    const chosen = select.value;
    const seen = new Set([room.data.me.username]);
    select.replaceChildren();
    for (const peer of bus.peers.values()) {
      if (seen.has(peer.username)) continue;
      seen.add(peer.username);
      select.append(new Option(peer.display_name, peer.username, false, peer.username === chosen));
    }
    passButton.disabled = select.options.length === 0;
  }

  function render() {
    indicator.hidden = !share;
    indicator.textContent = share ? `${share.controller_display_name} has control` : '';
    indicator.dataset.controller = share ? share.controller_username : '';
    passBox.hidden = !mayPass();
    surface.classList.toggle('controllable', Boolean(iControl()));
    surface.dataset.controller = share ? share.controller_username : '';
    if (!share) {
      cursor.hidden = true;
      clickMarker.hidden = true;
    }
    fillSelect();
  }

  function position(event) {
    const box = surface.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return { x: clamp((event.clientX - box.left) / box.width), y: clamp((event.clientY - box.top) / box.height) };
  }

  function sendCursor(pos, click) {
    seq += 1;
    bus.send({ type: 'cursor', x: pos.x, y: pos.y, click, seq, sent_at: Date.now() });
  }

  function place(element, message) {
    element.style.left = `${message.x * 100}%`;
    element.style.top = `${message.y * 100}%`;
    element.dataset.x = String(message.x);
    element.dataset.y = String(message.y);
    element.dataset.seq = String(message.seq);
    element.dataset.sentAt = String(message.sent_at);
    element.dataset.receivedAt = String(Date.now());
    element.dataset.from = message.from;
    element.hidden = false;
  }

  surface.addEventListener('pointermove', (event) => {
    if (!iControl()) return;
    const first = pending === null;
    pending = position(event);
    if (first) {
      requestAnimationFrame(() => {
        sendCursor(pending, false);
        pending = null;
      });
    }
  });
  surface.addEventListener('click', (event) => {
    if (iControl()) sendCursor(position(event), true);
  });
  passButton.addEventListener('click', () => {
    if (!select.value) return;
    if (!bus.send({ type: 'control-pass', to: select.value })) room.notify('Not connected: control was not passed');
  });

  bus.on('cursor', (message) => {
    place(cursor, message);
    cursorLabel.textContent = message.display_name;
    if (!message.click) return;
    place(clickMarker, message);
    clickMarker.classList.remove('pulse');
    void clickMarker.offsetWidth; // restart the CSS animation for a second click in a row
    clickMarker.classList.add('pulse');
    clearTimeout(clickTimer);
    clickTimer = setTimeout(() => { clickMarker.hidden = true; }, CLICK_MARKER_MS);
  });
  bus.on('control-ack', (message) => room.notify(`Control passed to ${message.display_name}`));
  bus.on('share-changed', (next) => {
    const before = share && share.controller_username;
    share = next;
    if (share && before && before !== share.controller_username) cursor.hidden = true;
    render();
  });
  bus.on('peers-changed', fillSelect);
  bus.on('error', (message) => {
    if (message.about === 'control-pass') room.notify(message.message); // cursor errors would flood
  });
  render();
}
