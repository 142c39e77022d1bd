// Profile: Follow / Following toggle (the edit form is wired by forms.js and reloads on save).
(function () {
  'use strict';
  // Sandbox fault profile_bio_input_reverts: the edit form's Bio field puts its text back on
  // every input, so typing changes nothing.
  const faults = JSON.parse(document.getElementById('kulti-config').textContent).faults;
  const bio = document.querySelector('[data-testid="edit-bio"]');
  if (bio && 'profile_bio_input_reverts' in faults) {
    bio.addEventListener('input', function () { bio.value = bio.defaultValue; });
  }
})();

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
