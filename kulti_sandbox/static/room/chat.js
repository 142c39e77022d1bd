// Chat panel (runbook T9). Messages go over the room socket; the server stores them, sends
// ours straight back with its id and timestamp (that echo is what we show, so what we see
// is what was stored) and relays them to the others. History is rendered by the server.
// The form is usable ("ready") once the room socket has welcomed us, and not while offline.
// Client faults: chat_order_reversed (live messages go on top of the list instead of below)
// and chat_slow_ready=MS (the form becomes usable MS after the welcome).

import { localize } from './clock.js';

export function startChat(room) {
  const { bus } = room;
  const list = document.querySelector('[data-testid="chat-messages"]');
  const form = document.querySelector('[data-testid="chat-form"]');
  const input = document.querySelector('[data-testid="chat-input"]');
  const error = document.querySelector('[data-testid="chat-error"]');
  const empty = document.querySelector('[data-testid="chat-empty"]');
  const max = room.data.max_chat_chars;

  function showError(text) {
    error.textContent = text;
    error.hidden = !text;
  }

  function problemWith(text) {
    if (!text.trim()) return 'Message is empty';
    if (text.length > max) return `Message is too long (${text.length} characters; at most ${max})`;
    return '';
  }

  function scrollToEnd() {
    list.scrollTop = list.scrollHeight;
  }

  function append(message) {
    if (list.querySelector(`[data-message-id="${CSS.escape(message.id)}"]`)) return;
    const item = document.createElement('li');
    item.className = 'chat-message';
    item.dataset.testid = 'chat-message';
    item.dataset.messageId = message.id;
    item.dataset.senderUsername = message.sender.username;
    if (message.sender.username === room.data.me.username) item.classList.add('mine');
    const sender = document.createElement('span');
    sender.className = 'chat-sender';
    sender.dataset.testid = 'chat-sender';
    sender.textContent = message.sender.display_name;
    const time = document.createElement('time');
    time.dataset.testid = 'chat-time';
    time.dateTime = message.created_at;
    localize(time);
    const text = document.createElement('p');
    text.className = 'chat-text';
    text.dataset.testid = 'chat-text';
    text.textContent = message.text;
    item.append(sender, time, text);
    if (room.faults.chat_order_reversed) list.prepend(item);
    else list.append(item);
    empty.hidden = true;
    scrollToEnd();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    const problem = problemWith(text);
    if (problem) {
      showError(problem);
      return;
    }
    if (!bus.send({ type: 'chat', text })) {
      showError('Not connected: message not sent. Reconnecting…');
      return;
    }
    showError('');
    input.value = '';
    input.focus();
  });
  input.addEventListener('input', () => {
    // Say it while typing, not only on Send (runbook T12: visible validation).
    showError(input.value.length > max ? problemWith(input.value) : '');
  });
  function setReady(ready) {
    form.dataset.state = ready ? 'ready' : 'connecting';
    form.querySelector('[data-testid="chat-send"]').disabled = !ready;
  }
  bus.on('welcome', () => setTimeout(() => setReady(true), Number(room.faults.chat_slow_ready) || 0));
  bus.on('disconnected', () => setReady(false));
  bus.on('chat', (message) => append(message.message));
  bus.on('error', (message) => {
    if (message.about === 'chat') showError(message.message);
  });

  // The server rendered the history in UTC; show every time in the viewer's clock.
  list.querySelectorAll('time[data-testid="chat-time"]').forEach(localize);
  scrollToEnd();
}
