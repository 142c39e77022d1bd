// /sessions: Join Session shows "Joining..." while the join request runs, then opens the room.
(function () {
  'use strict';
  // Sandbox fault busy_text_missing: the button is disabled while joining but keeps its label.
  const busyTextOff = 'busy_text_missing' in JSON.parse(document.getElementById('kulti-config').textContent).faults;
  document.querySelectorAll('[data-testid="join-session-button"]').forEach(function (button) {
    button.addEventListener('click', async function () {
      const card = button.closest('[data-testid="session-card"]');
      const error = card.querySelector('[data-testid="join-error"]');
      error.hidden = true;
      button.dataset.idleText = button.textContent;
      if (!busyTextOff) button.textContent = button.dataset.busyText;
      button.disabled = true;
      let data = {};
      let ok = false;
      try {
        const response = await fetch('/api/sessions/' + button.dataset.sessionId + '/join',
          { method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
        ok = response.ok;
        data = await response.json().catch(function () { return {}; });
      } catch (err) {
        data = { error: 'Network error: check your connection and try again' };
      }
      if (ok) { window.kultiGo(data.url); return; }
      button.textContent = button.dataset.idleText;
      button.disabled = false;
      error.textContent = data.error || 'Could not join the session. Try again.';
      error.hidden = false;
    });
  });
})();
