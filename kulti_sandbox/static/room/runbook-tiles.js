// The runbook room's remote tiles (data-testid contract, TESTIDS-room.md): one <figure>
// per peer whose <video> carries both the peer's camera and voice, and the "Enable sound"
// button for when the browser refuses autoplay with sound. mesh.js decides what each tile
// receives; this only shows it. Client fault remote_video_paused: tiles are never played
// (frames still arrive and are decoded).

export function runbookTiles(room) {
  const grid = document.querySelector('[data-testid="video-grid"]');
  const enableAudio = document.querySelector('[data-testid="enable-audio-button"]');
  const videos = new Set();

  function play(video) {
    if (room.faults.remote_video_paused) return;
    video.play().catch((err) => {
      if (err.name === 'NotAllowedError') enableAudio.hidden = false; // autoplay with sound refused
    });
  }

  enableAudio.addEventListener('click', () => {
    enableAudio.hidden = true;
    videos.forEach(play);
  });

  function open(peer) {
    const tile = document.createElement('figure');
    tile.className = 'tile remote';
    tile.dataset.testid = 'remote-tile';
    tile.dataset.username = peer.username;
    tile.dataset.peerId = peer.peer_id;
    tile.dataset.connectionState = 'new';
    const video = document.createElement('video');
    video.dataset.testid = 'remote-video';
    video.dataset.username = peer.username;
    // Not muted: this element is also how the peer's voice is heard (and Chrome only
    // counts received audio energy in getStats when it is actually played out).
    video.autoplay = !room.faults.remote_video_paused;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    caption.dataset.testid = 'remote-name';
    caption.textContent = peer.display_name;
    tile.append(video, caption);
    grid.append(tile);
    videos.add(video);
    return {
      video,
      show(stream) {
        if (video.srcObject !== stream) video.srcObject = stream;
        play(video);
      },
      setState(state) { tile.dataset.connectionState = state; },
      remove() {
        videos.delete(video);
        tile.remove();
      },
    };
  }

  return { open };
}
