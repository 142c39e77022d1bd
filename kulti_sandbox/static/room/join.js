// For someone who opens a session they have not joined: a Join button (runbook T6 step 3:
// "Joining..." while the request runs), then a reload into the room.

export function startJoin(data) {
  const button = document.querySelector('[data-testid="join-session-button"]');
  const error = document.querySelector('[data-testid="join-error"]');
  if (!button) return;
  button.addEventListener('click', async () => {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = button.dataset.busyText || 'Joining...';
    error.hidden = true;
    try {
      const res = await fetch(`/api/sessions/${data.session_id}/join`, { method: 'POST' });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.error || `HTTP ${res.status}`);
      }
      location.reload();
    } catch (err) {
      error.textContent = `Could not join: ${err.message}`;
      error.hidden = false;
      button.disabled = false;
      button.textContent = label;
    }
  });
}
