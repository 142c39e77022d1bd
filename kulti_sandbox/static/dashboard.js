// Dashboard: fetch the user's sessions, upcoming sessions and recent activity, and render them.
(function () {
  'use strict';
  // Sandbox fault dashboard_busy: one long task once the page has loaded holds every click back.
  const busyMs = Number(JSON.parse(document.getElementById('kulti-config').textContent).faults.dashboard_busy || 0);
  if (busyMs) {
    const block = function () { const until = performance.now() + busyMs; while (performance.now() < until) { /* busy */ } };
    if (document.readyState === 'complete') setTimeout(block, 0);
    else window.addEventListener('load', function () { setTimeout(block, 0); }, { once: true });
  }
  const ACTIVITY = { created: 'You created', joined: 'You joined', message: 'You chatted in', recorded: 'You recorded' };

  function timeEl(iso) {
    const t = document.createElement('time');
    t.dateTime = iso;
    t.textContent = new Date(iso).toLocaleString();
    return t;
  }

  function sessionItem(s, testid) {
    const li = document.createElement('li');
    li.setAttribute('data-testid', testid);
    li.dataset.sessionId = s.id;
    const a = document.createElement('a');
    a.href = '/session/' + s.id;
    a.textContent = s.title;
    a.setAttribute('data-testid', 'session-link');
    const status = document.createElement('span');
    status.className = 'badge';
    status.setAttribute('data-testid', 'session-status');
    status.textContent = s.status;
    const when = timeEl(s.scheduled_at || s.created_at);
    when.setAttribute('data-testid', s.scheduled_at ? 'session-scheduled-at' : 'session-created-at');
    li.append(a, ' ', status, ' ', when);
    return li;
  }

  function activityItem(a) {
    const li = document.createElement('li');
    li.setAttribute('data-testid', 'activity-item');
    const link = document.createElement('a');
    link.href = '/session/' + a.session_id;
    link.textContent = a.subject;
    li.append((ACTIVITY[a.kind] || a.kind) + ' ', link, ' ', timeEl(a.at));
    return li;
  }

  function fill(testid, items, render, emptyText) {
    const list = document.querySelector('[data-testid="' + testid + '"]');
    list.replaceChildren.apply(list, items.map(render));
    if (!items.length && emptyText) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = emptyText;
      list.append(li);
    }
    list.dataset.loaded = 'true';
  }

  async function load() {
    const response = await fetch('/api/dashboard', { credentials: 'same-origin' });
    if (!response.ok) throw new Error('Dashboard data failed to load: HTTP ' + response.status);
    const data = await response.json();
    fill('my-sessions', data.sessions, function (s) { return sessionItem(s, 'dashboard-session-item'); },
      'No sessions yet. Create one!');
    fill('upcoming-sessions', data.upcoming, function (s) { return sessionItem(s, 'upcoming-session-item'); },
      'Nothing scheduled.');
    fill('recent-activity', data.activity, activityItem, 'No activity yet.');
  }

  if (window.location.hash === '#create') document.getElementById('create-session-dialog').showModal();
  load();
})();
