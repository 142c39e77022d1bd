// The participants panel (runbook T6 step 4): everyone who joined, who is online now, and
// the count. The server renders it with the page and pushes "presence" whenever someone
// connects or leaves (server fault participants_not_live: it stops pushing; client faults
// participant_count_off_by_one: the count badge counts one too many, as the template does;
// participants_by_reload: a newcomer is shown by reloading the page, nothing is updated live).

function itemFor(person) {
  const li = document.createElement('li');
  li.className = 'participant-item';
  li.dataset.testid = 'participant-item';
  li.dataset.username = person.username;
  li.dataset.role = person.role;
  li.dataset.online = String(person.online);
  const name = document.createElement('span');
  name.className = 'participant-name';
  name.dataset.testid = 'participant-name';
  name.textContent = person.display_name;
  li.append(name);
  if (person.role === 'host') {
    const role = document.createElement('span');
    role.className = 'participant-role';
    role.dataset.testid = 'participant-role';
    role.textContent = 'Host';
    li.append(role);
  }
  const status = document.createElement('span');
  status.className = 'participant-status';
  status.dataset.testid = 'participant-status';
  status.dataset.online = String(person.online);
  status.textContent = person.online ? 'Online' : 'Offline';
  li.append(status);
  return li;
}

export function startParticipants(room) {
  const { bus } = room;
  const list = document.querySelector('[data-testid="participant-list"]');
  const count = document.querySelector('[data-testid="participant-count"]');
  const online = document.querySelector('[data-testid="participant-online-count"]');
  const status = document.querySelector('[data-testid="session-status"]');

  const countOffset = room.faults.participant_count_off_by_one ? 1 : 0;

  function newcomerIn(people) {
    const listed = new Set([...list.children].map((li) => li.dataset.username));
    return people.some((p) => !listed.has(p.username));
  }

  bus.on('presence', (message) => {
    if (room.faults.participants_by_reload) {
      if (newcomerIn(message.participants)) location.reload();
      return;
    }
    list.replaceChildren(...message.participants.map(itemFor));
    count.textContent = String(message.participants.length + countOffset);
    online.textContent = String(message.participants.filter((p) => p.online).length);
  });
  bus.on('session-status', (message) => {
    status.dataset.status = message.status;
    status.textContent = message.status === 'active' ? 'Live' : message.status === 'ended' ? 'Ended' : 'Waiting';
  });
  bus.on('welcome', (message) => bus.emit('session-status', { status: message.status }));
}
