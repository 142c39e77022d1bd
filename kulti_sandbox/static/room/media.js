// The local camera and microphone (runbook T7 steps 1-3), and which of their tracks are
// sent to the other participants. Client faults bend exactly one thing each:
//   slow_camera=MS     getUserMedia starts MS later
//   low_framerate=N    the camera is captured at N fps
//   video_absent       the preview works, but no video is sent
//   audio_one_way      only the session host sends audio
//   preview_not_playing  the own preview never starts playing (what is sent is unaffected)
// (video_frozen and low_bitrate act on the connections; see mesh.js.)

// 540p: ~780 kbps (T7's 500-2000) at a third less CPU than 720p, which two encoding and
// decoding pages on a 2-core machine need for the page-load budgets around them.
const CAMERA = { width: 960, height: 540, frameRate: 30 };

function cameraConstraints(faults) {
  const fps = Number(faults.low_framerate) || CAMERA.frameRate;
  return {
    video: { width: { ideal: CAMERA.width }, height: { ideal: CAMERA.height }, frameRate: { ideal: fps, max: fps } },
    audio: true,
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Resolves to {stream, sendAudio, sendVideo}; never rejects: without a camera the room
// still works receive-only, and the tile says why.
export async function startLocalMedia(room) {
  const tile = document.querySelector('[data-testid="local-tile"]');
  const video = document.querySelector('[data-testid="local-video"]');
  const problem = document.querySelector('[data-testid="camera-error"]');
  tile.dataset.cameraState = 'starting';
  if (room.faults.slow_camera) await sleep(Number(room.faults.slow_camera));
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(cameraConstraints(room.faults));
  } catch (err) {
    tile.dataset.cameraState = 'error';
    problem.textContent = `Camera or microphone unavailable: ${err.message || err.name}`;
    problem.hidden = false;
    return { stream: new MediaStream(), sendAudio: null, sendVideo: null };
  }
  if (room.faults.preview_not_playing) video.autoplay = false; // before srcObject: autoplay starts on load
  video.srcObject = stream;
  video.addEventListener('playing', () => { tile.dataset.cameraState = 'live'; }, { once: true });
  if (!room.faults.preview_not_playing) video.play().catch(() => {}); // muted preview: autoplay is always allowed
  const [audio] = stream.getAudioTracks();
  const [camera] = stream.getVideoTracks();
  return {
    stream,
    sendAudio: room.faults.audio_one_way && !room.data.is_host ? null : audio || null,
    sendVideo: room.faults.video_absent ? null : camera || null,
  };
}
