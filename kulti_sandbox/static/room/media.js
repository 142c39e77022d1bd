// The local camera and microphone (runbook T7 steps 1-3), and which of their tracks are
// sent to the other participants. Client faults bend exactly one thing each:
//   slow_camera=MS     getUserMedia starts MS later
//   low_framerate=N    the camera is captured at N fps
//   video_absent       the preview works, but no video is sent
//   audio_one_way      only the session host sends audio
//   audio_absent       nobody sends audio (the kulti shape's guest sends nothing anyway: there
//                      the host's voice never reaches the guest)
//   preview_not_playing  the own preview never starts playing (what is sent is unaffected)
//   preview_frozen     the own preview shows the camera's first frame and no more: its track is
//                      live, the element plays, nothing is paused or ended (what is sent is unaffected)
//   preview_slow=MS    the own preview gets the camera MS after it started (what is sent is unaffected)
//   mic_silent         the microphone's track is sent disabled: silence, as a muted microphone
//   recording_framerate_drop=N  once a recording starts, the host's camera sends N fps
// (recording_video_stops: mesh.js stops sending the camera on the 'recording-started' this emits.)
// (video_frozen and low_bitrate act on the connections; see mesh.js.)

// 540p: ~780 kbps (T7's 500-2000) at a third less CPU than 720p, which two encoding and
// decoding pages on a 2-core machine need for the page-load budgets around them. Size and frame rate
// are the sandbox's --camera-size and --camera-fps (960x540 and 30 unless told).
const PAGE_CONFIG = JSON.parse(document.getElementById('kulti-config').textContent);
const [CAMERA_WIDTH, CAMERA_HEIGHT] = PAGE_CONFIG.camera_size || [960, 540];
const CAMERA = { width: CAMERA_WIDTH, height: CAMERA_HEIGHT, frameRate: PAGE_CONFIG.camera_fps || 30 };

function cameraConstraints(faults) {
  const fps = Number(faults.low_framerate) || CAMERA.frameRate;
  return {
    video: { width: { ideal: CAMERA.width }, height: { ideal: CAMERA.height }, frameRate: { ideal: fps, max: fps } },
    audio: true,
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const NO_MEDIA = () => ({ stream: new MediaStream(), sendAudio: null, sendVideo: null });

// Resolves to {stream, sendAudio, sendVideo, error}; never rejects: without a camera the
// room still works receive-only. Shared by both shapes' room pages, so the faults above
// act on either.
export async function captureCamera(faults, isHost) {
  if (faults.slow_camera) await sleep(Number(faults.slow_camera));
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(cameraConstraints(faults));
  } catch (err) {
    return { ...NO_MEDIA(), error: err };
  }
  const [audio] = stream.getAudioTracks();
  const [camera] = stream.getVideoTracks();
  // A disabled track is sent as silence (https://w3c.github.io/mediacapture-main/#dom-mediastreamtrack-enabled).
  if (faults.mic_silent && audio) audio.enabled = false;
  return {
    stream,
    sendAudio: faults.audio_absent || (faults.audio_one_way && !isHost) ? null : audio || null,
    sendVideo: faults.video_absent ? null : camera || null,
    error: null,
  };
}

// Client fault recording_framerate_drop: called by either shape's room when its recording starts.
export function recordingStarted(room, media) {
  room.bus.emit('recording-started', {});
  const { faults } = room;
  const fps = Number(faults.recording_framerate_drop);
  const [camera] = media.stream.getVideoTracks();
  if (!fps || !camera) return;
  camera.applyConstraints({ ...cameraConstraints({}).video, frameRate: { ideal: fps, max: fps } }).catch(() => {});
}

// What a participant who may not publish (the kulti shape's 100ms viewer) brings: nothing.
export const receiveOnly = () => Promise.resolve({ ...NO_MEDIA(), error: null });

// The own camera's track, for the remote_tile_shows_own_camera fault (mesh.js). A participant
// who publishes nothing (the kulti shape's 100ms viewer) opens the camera for it all the same.
let ownCamera = null;
export function ownCameraTrack(media) {
  const [camera] = media.stream.getVideoTracks();
  if (camera) return Promise.resolve(camera);
  ownCamera ||= navigator.mediaDevices.getUserMedia({ video: cameraConstraints({}).video })
    .then((stream) => stream.getVideoTracks()[0], () => null);
  return ownCamera;
}

// preview_frozen: a track that gets the camera's first frame and never another (a stalled capture
// pipeline), from Chrome's MediaStreamTrackProcessor / MediaStreamTrackGenerator (breakout box).
function stillOf(camera) {
  const copy = camera.clone();
  const still = new MediaStreamTrackGenerator({ kind: 'video' });
  const reader = new MediaStreamTrackProcessor({ track: copy }).readable.getReader();
  reader.read().then(async ({ value }) => {
    if (value) await still.writable.getWriter().write(value);
    reader.cancel();
    copy.stop();
  });
  return still;
}

// The own camera in a muted <video>; onPlaying runs once it shows frames.
export function showPreview(video, media, faults, onPlaying) {
  const show = () => {
    if (faults.preview_not_playing) video.autoplay = false; // before srcObject: autoplay starts on load
    const [camera] = media.stream.getVideoTracks();
    video.srcObject = faults.preview_frozen && camera ? new MediaStream([stillOf(camera)]) : media.stream;
    video.addEventListener('playing', onPlaying, { once: true });
    if (!faults.preview_not_playing) video.play().catch(() => {}); // muted preview: autoplay is always allowed
  };
  const lateMs = Number(faults.preview_slow) || 0;
  if (lateMs) setTimeout(show, lateMs);
  else show();
}

// The runbook room's local tile (data-testid contract in TESTIDS-room.md).
export async function startLocalMedia(room) {
  const tile = document.querySelector('[data-testid="local-tile"]');
  const video = document.querySelector('[data-testid="local-video"]');
  const problem = document.querySelector('[data-testid="camera-error"]');
  tile.dataset.cameraState = 'starting';
  const media = await captureCamera(room.faults, room.data.is_host);
  if (media.error) {
    tile.dataset.cameraState = 'error';
    problem.textContent = `Camera or microphone unavailable: ${media.error.message || media.error.name}`;
    problem.hidden = false;
    return media;
  }
  showPreview(video, media, room.faults, () => { tile.dataset.cameraState = 'live'; });
  return media;
}
