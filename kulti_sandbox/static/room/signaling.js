// The room WebSocket: one connection per page, messages dispatched by "type".
// Every other room module talks to the server only through this. It also keeps the list
// of other connected peers, because both the camera mesh and the Pass Control list need it.

const RETRY_MS = [500, 1000, 2000, 4000, 8000];

export function connectSignaling(path, statusElement) {
  const handlers = new Map();
  const peers = new Map(); // peer_id -> {peer_id, username, display_name, role}
  let socket = null;
  let attempt = 0;
  let refusal = '';
  let stopped = false;
  const link = { peerId: null, peers, on, send, emit, close };

  // For pages that leave the room without unloading (the kulti shape's client-side moves).
  function close() {
    stopped = true;
    if (socket) socket.close(1000);
  }

  // Returns a function that removes the handler again.
  function on(type, fn) {
    if (!handlers.has(type)) handlers.set(type, []);
    const list = handlers.get(type);
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  function emit(type, message) {
    for (const fn of handlers.get(type) || []) {
      try {
        fn(message);
      } catch (err) {
        console.error(`room: handler for ${type} failed`, err);
      }
    }
  }

  // Returns false when the socket is not open, so callers can say so instead of losing the message.
  function send(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function setStatus(state, text) {
    if (!statusElement) return;
    statusElement.dataset.state = state;
    statusElement.textContent = text;
  }

  function trackPeers(message) {
    if (message.type === 'welcome') {
      link.peerId = message.peer_id;
      peers.clear();
      for (const p of message.peers) peers.set(p.peer_id, p);
    } else if (message.type === 'peer-joined') {
      peers.set(message.peer.peer_id, message.peer);
    } else if (message.type === 'peer-left') {
      peers.delete(message.peer.peer_id);
    } else {
      return;
    }
    emit('peers-changed', peers);
  }

  function open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${scheme}//${location.host}${path}`);
    setStatus('connecting', attempt ? 'Reconnecting…' : 'Connecting…');
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        console.error('room: server sent a frame that is not JSON');
        return;
      }
      if (message.type === 'welcome') {
        attempt = 0;
        setStatus('connected', 'Connected');
      }
      trackPeers(message);
      emit(message.type, message);
    });
    socket.addEventListener('close', (event) => {
      link.peerId = null;
      peers.clear();
      emit('disconnected', event);
      if (stopped) return;
      // 44xx: the server refused us (signed out, not a participant, session ended); retrying won't help.
      if (event.code >= 4400 && event.code < 4500) {
        setStatus('refused', refusal || 'Disconnected');
        return;
      }
      const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
      attempt += 1;
      setStatus('reconnecting', 'Reconnecting…');
      setTimeout(open, delay);
    });
  }

  on('error', (message) => {
    // Errors about one of our messages are shown by the module that sent it.
    if (message.about) return;
    refusal = message.message;
    console.warn(`room: server error ${message.code}: ${message.message}`);
  });
  open();
  return link;
}
