// Screen sharing in the launched app's room (facts §8.3, §8.4): only the host has the share
// button, an icon with no text that turns lime with a monitor-off icon while it shares. While
// anyone shares, the layout switches: the main tile plays the sharer's screen (named without
// "(You)", the sharer sees its own) and the camera tiles become a 256 px strip. No indicator
// text, no Pass Control. The media and the share's state are the runbook room's
// (room/screen-links.js), as 100ms carries the screen as the sharer's auxiliary track, so
// its faults act here too.

import { startScreenLinks } from './room/screen-links.js';
import { tileElement, videoElement } from './room-tiles.js';

function setIcon(button, name) {
  const svg = button.querySelector('svg');
  svg.setAttribute('class', `lucide lucide-${name}`);
}

export function startRoomScreen(room, mediaReady) {
  const button = document.querySelector('[data-control="screen"]'); // the host's only
  const stage = document.querySelector('.room-stage');
  const main = document.querySelector('.screen-main');

  const links = startScreenLinks({ ...room, notify: window.kultiToast, mediaReady }, {
    render({ share, starting, sharer }) {
      stage.classList.toggle('sharing', Boolean(share));
      main.hidden = !share;
      if (!share) main.replaceChildren();
      if (!button) return;
      button.classList.toggle('primary', sharer);
      setIcon(button, sharer ? 'monitor-off' : 'monitor');
      button.disabled = starting;
    },
    show(stream) {
      if (!stream) {
        main.replaceChildren();
        return;
      }
      const { share } = links.state();
      const sharer = { display_name: share ? share.sharer_display_name : '', role: 'host' };
      const tile = tileElement(sharer, false);
      const video = videoElement(false);
      tile.firstChild.replaceWith(video);
      main.replaceChildren(tile);
      video.srcObject = stream;
      video.play().catch(() => {});
    },
  });

  button?.addEventListener('click', () => {
    const { share, sharer } = links.state();
    if (sharer) links.stop();
    else if (!share) links.start();
  });
}
