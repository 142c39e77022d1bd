// Profile: Follow / Following toggle (the edit form is wired by forms.js and reloads on save).
(function () {
  'use strict';
  const button = document.querySelector('[data-testid="follow-button"]');
  if (!button) return;
  button.addEventListener('click', async function () {
    const following = button.dataset.following === 'true';
    button.disabled = true;
    const response = await fetch('/api/profiles/' + button.dataset.username + '/follow',
      { method: following ? 'DELETE' : 'POST', credentials: 'same-origin' });
    button.disabled = false;
    if (!response.ok) return;
    const data = await response.json();
    button.dataset.following = data.following ? 'true' : 'false';
    button.textContent = data.following ? 'Following' : 'Follow';
    document.querySelector('[data-testid="stat-followers"]').textContent = data.followers;
  });
})();
