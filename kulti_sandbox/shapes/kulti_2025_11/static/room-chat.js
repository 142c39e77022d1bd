// The chat column (facts §8.5). Sending stores a `messages` row through the room socket
// (the real app inserts with supabase-js); the input is disabled until the server answers.
// Nothing is added locally: every page, the sender's included, shows a message only when
// the server's change notification ("message-insert", standing in for Supabase Realtime)
// arrives, so the server-side chat faults (chat_delay, chat_sender_only, ...) show on the
// sender's page as they would in the real app.
// Client faults: chat_slow_ready=MS (the input is usable MS after the room connects),
// chat_order_reversed (newest messages on top).

const SEND_FAILED = 'Failed to send message. Please try again.';

// formatTime() of the real component: the browser's own time zone, e.g. "3:07 PM".
const formatTime = (iso) => new Date(iso).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });

function messageRow(message) {
  const row = document.createElement('div');
  row.className = 'chat-row';
  const head = document.createElement('div');
  head.className = 'chat-row-head';
  const avatar = document.createElement('div');
  avatar.className = 'chat-avatar';
  const name = message.display_name || '';
  avatar.textContent = name.charAt(0).toUpperCase();
  const sender = document.createElement('span');
  sender.className = 'chat-name';
  sender.textContent = name;
  const time = document.createElement('span');
  time.className = 'chat-time';
  time.textContent = formatTime(message.created_at);
  // Two levels, as in the real row (header > left group > avatar, name, time), so one
  // selector finds rows in both: div:has(> p):has(> div > div > span + span).
  const group = document.createElement('div');
  group.className = 'chat-row-group';
  group.append(avatar, sender, time);
  head.append(group);
  const text = document.createElement('p');
  text.className = 'chat-text';
  text.textContent = message.content;
  row.append(head, text);
  return row;
}

// Resolves when the server has stored the message; rejects on its error or a lost socket.
function serverAnswer(bus) {
  return new Promise((resolve, reject) => {
    const offs = [];
    const done = (fn, arg) => { offs.forEach((off) => off()); fn(arg); };
    offs.push(bus.on('chat-sent', () => done(resolve)));
    offs.push(bus.on('error', (m) => { if (m.about === 'chat') done(reject, new Error(m.message)); }));
    offs.push(bus.on('disconnected', () => done(reject, new Error('disconnected'))));
  });
}

export function startRoomChat(room) {
  const { bus } = room;
  const list = document.querySelector('.chat-messages');
  const empty = list.querySelector('.chat-empty');
  const form = document.querySelector('.chat-form');
  const input = form.querySelector('input');
  const send = form.querySelector('button[type="submit"]');
  const messages = new Map(); // id -> row data, as the last fetch would return them

  function render() {
    const sorted = [...messages.values()].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
    if (room.faults.chat_order_reversed) sorted.reverse();
    list.replaceChildren(...(sorted.length ? sorted.map(messageRow) : [empty]));
    list.scrollTop = list.scrollHeight;
  }

  const updateSend = () => { send.disabled = input.disabled || !input.value.trim(); };
  input.addEventListener('input', updateSend);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const content = input.value.trim();
    if (!content || input.disabled) return;
    input.disabled = true;
    updateSend();
    try {
      if (!bus.send({ type: 'chat', text: content })) throw new Error('not connected');
      await serverAnswer(bus); // socket frames arrive in a later task: listening now is in time
      input.value = '';
    } catch (err) {
      console.error('Send message error:', err);
      window.kultiToast(SEND_FAILED);
    } finally {
      input.disabled = false;
      updateSend();
      input.focus();
    }
  });

  const slowReadyMs = Number(room.faults.chat_slow_ready) || 0;
  if (slowReadyMs) input.disabled = true;
  bus.on('welcome', (message) => {
    if (slowReadyMs) setTimeout(() => { input.disabled = false; updateSend(); }, slowReadyMs);
    messages.clear();
    message.messages.forEach((m) => messages.set(m.id, m));
    render();
  });
  bus.on('message-insert', (message) => {
    messages.set(message.message.id, message.message);
    render();
  });
}
