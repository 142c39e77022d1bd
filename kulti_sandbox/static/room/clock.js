// Times as people read them: HH:MM on the viewer's own clock. The server sends and renders
// UTC ISO timestamps (kept in datetime=""), which scripts turn into local time here.

export function localize(time) {
  const when = new Date(time.dateTime);
  if (Number.isNaN(when.getTime())) return;
  const pad = (n) => String(n).padStart(2, '0');
  time.textContent = `${pad(when.getHours())}:${pad(when.getMinutes())}`;
  time.title = when.toLocaleString();
}
