// What the host's page records (runbook T10), and how it reaches the server.
// The picture is a composite: a 480x270 canvas redrawn 10 times a second with every video
// in the room (shared screen first, then the local camera and each remote camera, in a
// grid), so the file shows the session as a whole, not just the host. Small and slow on
// purpose: the real video service records on its own servers (100ms's composite recorder)
// at no cost to anyone's browser, and this page stands in for that server, so whatever it
// costs shows up in Test 10's "no performance impact". At 960x540 and 15 fps it took the
// host's camera from 20 to 6 fps on a busy 2-core machine (CI of b415d09).
// The sound is a WebAudio mix of the host's microphone and every remote participant's
// audio, new arrivals included. MediaRecorder hands over a chunk every second; chunks are
// POSTed in order.
// Client fault recording_not_uploaded: the chunks are recorded but never sent.

const SIZE = { width: 480, height: 270 };
const FPS = 10;
const TIMESLICE_MS = 1000;
const MIME_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];

function roomVideos() {
  const stage = document.querySelector('[data-testid="screen-share-stage"]');
  const videos = [
    ...(stage.hidden ? [] : [stage.querySelector('video')]),
    ...document.querySelectorAll('[data-testid="video-grid"] video'),
  ];
  return videos.filter((v) => v.videoWidth > 0);
}

function drawFrame(ctx) {
  ctx.fillStyle = '#111';
  ctx.fillRect(0, 0, SIZE.width, SIZE.height);
  const videos = roomVideos();
  const cols = Math.ceil(Math.sqrt(videos.length)) || 1;
  const rows = Math.ceil(videos.length / cols) || 1;
  const cellW = SIZE.width / cols;
  const cellH = SIZE.height / rows;
  videos.forEach((video, i) => {
    const scale = Math.min(cellW / video.videoWidth, cellH / video.videoHeight);
    const w = video.videoWidth * scale;
    const h = video.videoHeight * scale;
    const x = (i % cols) * cellW + (cellW - w) / 2;
    const y = Math.floor(i / cols) * cellH + (cellH - h) / 2;
    ctx.drawImage(video, x, y, w, h);
  });
}

function audioMix(localStream, remoteStreams) {
  const ctx = new AudioContext();
  const out = ctx.createMediaStreamDestination();
  const mixed = new Set();
  const add = (stream) => {
    if (mixed.has(stream) || stream.getAudioTracks().length === 0) return;
    mixed.add(stream);
    ctx.createMediaStreamSource(stream).connect(out);
  };
  add(localStream);
  remoteStreams.forEach(add);
  return { ctx, track: out.stream.getAudioTracks()[0], add };
}

// Uploads chunks one after another, numbered, so the server can append them in order; the
// last request is an empty chunk marked final ("that was all").
function chunkUploader(recordingId, enabled) {
  let seq = 0;
  let chain = Promise.resolve();
  let failure = null;
  const post = (body, final) => {
    const n = seq++;
    const headers = { 'Content-Type': 'video/webm', 'X-Chunk-Seq': String(n) };
    if (final) headers['X-Chunk-Final'] = '1';
    chain = chain.then(async () => {
      const res = await fetch(`/api/recordings/${recordingId}/chunks`, { method: 'POST', headers, body });
      if (!res.ok) throw new Error(`chunk ${n}: HTTP ${res.status}`);
    }).catch((err) => { failure = failure || err; });
  };
  return {
    push(blob) {
      if (enabled) post(blob, false);
    },
    end() {
      if (enabled) post(new Blob([]), true);
      return chain.then(() => failure);
    },
  };
}

export function pickMimeType() {
  return MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || '';
}

// Starts drawing and mixing at once; `begin(id)` starts recording once the server has a row.
export function createRoomRecorder(room, localStream, remoteStreams) {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE.width;
  canvas.height = SIZE.height;
  const ctx = canvas.getContext('2d');
  drawFrame(ctx);
  const timer = setInterval(() => drawFrame(ctx), 1000 / FPS);
  const mix = audioMix(localStream, remoteStreams);
  const offStream = room.bus.on('remote-stream', (event) => mix.add(event.stream));
  const [picture] = canvas.captureStream(FPS).getVideoTracks();
  const mimeType = pickMimeType();
  const recorder = new MediaRecorder(new MediaStream([picture, mix.track]), {
    mimeType, videoBitsPerSecond: 500_000, audioBitsPerSecond: 128_000,
  });
  let uploader = null;

  function release() {
    clearInterval(timer);
    picture.stop();
    mix.ctx.close();
    if (offStream) offStream();
  }

  return {
    mimeType: mimeType || 'video/webm',
    begin(recordingId) {
      uploader = chunkUploader(recordingId, !room.faults.recording_not_uploaded);
      recorder.addEventListener('dataavailable', (e) => { if (e.data.size > 0) uploader.push(e.data); });
      recorder.start(TIMESLICE_MS);
    },
    // Stops recording now; resolves once the last chunk is on the server (with the first
    // upload error, if any). The encoder's final flush can take a while on a busy machine,
    // which is why the page does not wait for this before telling the server to stop.
    async finish() {
      if (recorder.state !== 'inactive') {
        const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
        recorder.stop();
        await stopped;
      }
      release();
      return uploader ? uploader.end() : null;
    },
    cancel: release,
  };
}
