// Recording state for everyone, and the host's Start/Stop Recording button (runbook T10).
// The server owns the state ("recordings" messages: the running one and the list); every
// page shows the red indicator and "Being Recorded" while one runs, and the list with
// each recording's status, duration and size as the server moves it along.
// Client faults: recording_indicator_missing (pages other than the host's show no indicator),
// recording_indicator_stays (theirs stays after a stop), recording_indicator_lapses=MS (the
// host's goes MS after it appears), recording_stop_label_missing / recording_start_label_missing
// (the host's button keeps saying Start / Stop Recording), recording_stop_not_notified,
// recording_status_text_stuck (a listed recording's status text stays at the first it showed after the
// stop, while its data-status follows the server).

import { localize } from './clock.js';
import { recordingStarted } from './media.js';
import { createRoomRecorder } from './recording-capture.js';

const STATUS_TEXT = { recording: 'Recording', processing: 'Processing', completed: 'Completed', failed: 'Failed' };

function formatDuration(seconds) {
  const s = Math.round(seconds || 0);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function formatSize(bytes) {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

async function postJson(url, body) {
  const res = await fetch(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function itemFor(rec, statusText) {
  const li = document.createElement('li');
  li.className = 'recording-item';
  li.dataset.testid = 'recording-item';
  li.dataset.recordingId = rec.id;
  li.dataset.status = rec.status;
  const cell = (testid, text, attrs = {}) => {
    const span = document.createElement('span');
    span.dataset.testid = testid;
    span.textContent = text;
    Object.assign(span.dataset, attrs);
    li.append(span);
  };
  const running = rec.status === 'recording'; // size and length are known once it stops
  cell('recording-status', statusText, { status: rec.status });
  cell('recording-duration', running || rec.duration == null ? '–' : formatDuration(rec.duration), { seconds: rec.duration ?? '' });
  cell('recording-size', running ? '–' : formatSize(rec.size), { bytes: rec.size });
  const started = document.createElement('time');
  started.dataset.testid = 'recording-started';
  started.dateTime = rec.started_at;
  localize(started);
  li.append(started);
  if (rec.file_url) {
    const a = document.createElement('a');
    a.href = rec.file_url;
    a.dataset.testid = 'recording-download';
    a.textContent = 'Download';
    li.append(a);
  }
  return li;
}

export function startRecording(room, mesh, mediaReady) {
  const { bus } = room;
  const button = document.querySelector('[data-testid="recording-button"]'); // host only
  const indicator = document.querySelector('[data-testid="recording-indicator"]');
  const notice = document.querySelector('[data-testid="recording-notice"]');
  const badge = document.querySelector('[data-testid="participant-recording-badge"]');
  const list = document.querySelector('[data-testid="recording-items"]');
  const empty = document.querySelector('[data-testid="recordings-empty"]');
  const { faults } = room;
  const hideIndicator = Boolean(faults.recording_indicator_missing) && !room.data.is_host;
  const keepIndicator = Boolean(faults.recording_indicator_stays) && !room.data.is_host;
  const lapseMs = room.data.is_host ? Number(faults.recording_indicator_lapses) || 0 : 0;
  let lapsing = null; // the running recording whose indicator is timed to go (recording_indicator_lapses)
  let lapsed = null; // ... and once it has gone
  let indicatorShown = false;
  let everRecorded = false;
  let active = null;
  let announced = false; // whether the last notification said recording (start() sets `active` first)
  let recorder = null; // ours, while this page records
  let busy = false;
  const stuckText = new Map(); // recording id -> the status text it keeps (recording_status_text_stuck)

  function shownStatus(rec) {
    const text = STATUS_TEXT[rec.status] || rec.status;
    if (!faults.recording_status_text_stuck || rec.status === 'recording') return text;
    if (!stuckText.has(rec.id)) stuckText.set(rec.id, text);
    return stuckText.get(rec.id);
  }

  function render(state) {
    active = state.active;
    const show = Boolean(active) && !hideIndicator;
    indicatorShown ||= show;
    everRecorded ||= Boolean(active);
    indicator.hidden = !(show && !(lapseMs && lapsed === active.id)) && !(keepIndicator && indicatorShown);
    if (show && lapseMs && lapsing !== active.id) {
      const id = (lapsing = active.id);
      setTimeout(() => {
        lapsed = id;
        if (active?.id === id) indicator.hidden = true;
      }, lapseMs);
    }
    notice.hidden = !show;
    badge.hidden = !show;
    list.replaceChildren(...state.items.map((rec) => itemFor(rec, shownStatus(rec))));
    empty.hidden = state.items.length > 0;
    if (!active && recorder && !busy) {
      // Ended elsewhere (e.g. the server stopped it): stop recording into the void.
      recorder.finish();
      recorder = null;
    }
    const message = active ? 'This session is being recorded' : !faults.recording_stop_not_notified && 'Recording stopped';
    // The start's POST answer can come before or after this news: only what was announced counts.
    if (announced !== Boolean(active) && !hideIndicator && message) room.notify(message);
    announced = Boolean(active);
    renderButton();
  }

  function renderButton() {
    if (!button) return;
    let label = active ? 'Stop Recording' : 'Start Recording';
    if (faults.recording_stop_label_missing) label = 'Start Recording';
    if (faults.recording_start_label_missing && everRecorded) label = 'Stop Recording';
    button.textContent = label;
    button.dataset.state = active ? 'recording' : 'idle';
    button.disabled = busy;
  }

  async function start() {
    const media = await mediaReady;
    try {
      recorder = createRoomRecorder(room, media.stream, mesh.streams().map((s) => s.stream));
      const { recording } = await postJson(`/api/sessions/${room.data.session_id}/recordings`, { mime_type: recorder.mimeType });
      recorder.begin(recording.id);
      active = recording;
      everRecorded = true;
      recordingStarted(room, media);
    } catch (err) {
      recorder?.cancel();
      recorder = null;
      room.notify(`Recording did not start: ${err.message}`);
    }
  }

  // The server is told at once (runbook T10: stop < 1 s, for everyone); the recorder's
  // last chunks follow and the server waits for them before it finishes processing.
  async function stop() {
    const id = active.id;
    const flushed = recorder ? recorder.finish() : Promise.resolve(null);
    recorder = null;
    flushed.then((failure) => {
      if (failure) room.notify(`Some recording data was not saved: ${failure.message}`);
    });
    try {
      await postJson(`/api/recordings/${id}/stop`);
      active = null;
    } catch (err) {
      room.notify(`Recording did not stop cleanly: ${err.message}`);
    }
  }

  button?.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    renderButton();
    try {
      await (active ? stop() : start());
    } finally {
      busy = false;
      renderButton();
    }
  });
  bus.on('welcome', (message) => render(message.recordings));
  bus.on('recordings', render);
}
