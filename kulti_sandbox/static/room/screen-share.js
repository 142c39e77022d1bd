// Screen sharing in the runbook room (runbook T8 steps 1-3 and 6): the share button, the
// stage with the shared screen and the "Screen Sharing Active" indicator. The media and the
// share's state are screen-links.js's, shared with the kulti shape's room. The sharer or
// whoever has control may stop it.
// Client fault here: share_texts_wrong=button|indicator (that element says something else:
// "Stop" instead of "Stop Sharing", "Sharing" instead of "Screen Sharing Active").

import { startScreenLinks } from './screen-links.js';

export function startScreenShare(room, mediaReady) {
  const button = document.querySelector('[data-testid="share-screen-button"]');
  const stage = document.querySelector('[data-testid="screen-share-stage"]');
  const indicator = document.querySelector('[data-testid="screen-share-indicator"]');
  const sharerLabel = document.querySelector('[data-testid="screen-share-sharer"]');
  const video = document.querySelector('[data-testid="screen-share-video"]');
  const wrongText = room.faults.share_texts_wrong;
  indicator.textContent = wrongText === 'indicator' ? 'Sharing' : 'Screen Sharing Active';

  const links = startScreenLinks({ ...room, mediaReady }, {
    render({ share, starting, sharer, controller }) {
      const active = Boolean(share);
      stage.hidden = !active;
      indicator.hidden = !active;
      stage.dataset.sharer = share ? share.sharer_username : '';
      sharerLabel.textContent = share ? `${share.sharer_display_name} is sharing` : '';
      const stopText = wrongText === 'button' ? 'Stop' : 'Stop Sharing';
      button.textContent = sharer || controller ? stopText : 'Share Screen';
      button.disabled = starting || (active && !sharer && !controller);
      button.dataset.state = sharer ? 'sharing' : active ? 'other-sharing' : 'idle';
    },
    show(stream) {
      video.srcObject = stream;
      if (stream) video.play().catch(() => {});
    },
  });

  button.addEventListener('click', () => {
    const { share, sharer, controller } = links.state();
    if (sharer || controller) links.stop();
    else if (!share) links.start();
  });
}
