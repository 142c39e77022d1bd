// The host's recording control (facts §8.6): POST start/stop-recording, then local state only:
// the button's title and filled icon, a red "Recording" pill first in the control bar, a toast.
// Nobody else's page learns of it; a reload forgets it.
// Client faults: recording_stop_label_missing / recording_start_label_missing (the title keeps
// saying Start / Stop Recording), recording_indicator_lapses=MS (the pill goes MS after it
// appears), recording_stop_not_notified (no toast on stop).

import { recordingStarted } from './room/media.js';

const PILL = '<svg class="lucide lucide-circle" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
  + '<circle cx="6" cy="6" r="5" fill="currentColor"/></svg><span>Recording</span>';

async function post(url, sessionId) {
  const res = await fetch(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sessionId }),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

export function startRecordingControl(room, mediaReady) {
  const button = document.querySelector('[data-control="record"]'); // host only
  if (!button) return;
  let recording = false;
  let loading = false;
  let everRecorded = false;
  let lapsed = false; // recording_indicator_lapses: this recording's pill has gone
  const { faults } = room;
  const render = () => {
    let title = recording ? 'Stop Recording' : 'Start Recording';
    if (faults.recording_stop_label_missing) title = 'Start Recording';
    if (faults.recording_start_label_missing && everRecorded) title = 'Stop Recording';
    button.title = title;
    button.classList.toggle('filled', recording);
    button.disabled = loading;
    const pill = document.querySelector('.recording-pill');
    if (recording && !pill && !lapsed) {
      const div = document.createElement('div');
      div.className = 'recording-pill rounded-full border-red-500';
      div.innerHTML = PILL;
      button.closest('.controls').prepend(div);
      if (Number(faults.recording_indicator_lapses)) {
        setTimeout(() => {
          if (!div.isConnected) return; // stopped first
          lapsed = true;
          div.remove();
        }, Number(faults.recording_indicator_lapses));
      }
    } else if (!recording && pill) {
      pill.remove();
    }
  };
  button.addEventListener('click', async () => {
    loading = true;
    render();
    try {
      if (recording) {
        await post('/api/hms/stop-recording', room.data.session_id);
        recording = false;
        lapsed = false;
        if (!faults.recording_stop_not_notified) window.kultiToast('Recording stopped. Processing will complete shortly.');
      } else {
        await post('/api/hms/start-recording', room.data.session_id);
        recording = true;
        everRecorded = true;
        window.kultiToast('Recording started');
        recordingStarted(room, await mediaReady);
      }
    } catch (err) {
      window.kultiToast(recording ? 'Failed to stop recording' : 'Failed to start recording');
    } finally {
      loading = false;
      render();
    }
  });
}
