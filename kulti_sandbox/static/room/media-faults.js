// Client faults that bend what a connection carries (runbook T7: latency, sync, echo; issue #12).
//   audio_delay=MS / video_delay=MS  every encoded audio / video frame is held MS before it is sent,
//     so the frames keep their capture timestamps and arrive MS late, as over a slow path. The
//     receiver's lip sync may then hold the other kind back too (WebRTC delays the earlier stream
//     of a synced pair, a little each second): what a real late path does.
//     Held with the encoded streams of Chrome's encodedInsertableStreams connections
//     (createEncodedStreams), not RTCRtpScriptTransform: Chrome 156 ignores a script transform set
//     on a sender of a transceiver that a remote offer created (the answering side here; checked
//     with a loopback pair, and cf. w3c/webrtc-encoded-transform#314 for receivers). With that
//     option every sender and receiver of the connection hands its frames to script, so each is
//     piped through, held or not.
//   audio_dropouts=PCT  PCT % of every participant's encoded audio frames are never sent, spread
//     evenly: the receiver conceals the gaps (getStats concealedSamples), as after lost packets.
//   audio_echo  every participant but the host sends back, mixed into its own voice, the audio it
//     receives (the other's speaker heard by its microphone): the host hears itself. A participant
//     who publishes nothing (the kulti shape's viewer) sends the echo alone.
// Used by mesh.js and peer-link.js, so both shapes' rooms have them.

let delayWorker = null;
let echoContext = null;
const piped = new WeakSet();

// Whether the camera links must be made with encodedInsertableStreams.
export const holdsFrames = (faults) => Boolean(Number(faults.audio_delay) || Number(faults.video_delay)
  || Number(faults.audio_dropouts));

// A sender's or receiver's encoded frames, on an encodedInsertableStreams connection: passed on by
// the frame-delay worker, at once or delayMs later. Never through the page's main thread, even when
// not held: a busy main thread would hold them there (the guest's voice read 4.4 s late beside 0.2 s
// of jitter buffer under video_delay, official CI of 2645b26), which no real late path does.
export function pipeFrames(end, delayMs = 0, dropShare = 0) {
  if (piped.has(end)) return; // createEncodedStreams may be called once
  piped.add(end);
  const { readable, writable } = end.createEncodedStreams();
  delayWorker ||= new Worker(new URL('./frame-delay.js', import.meta.url), { name: 'frame-delay' });
  delayWorker.postMessage({ readable, writable, delayMs, dropShare }, [readable, writable]);
}

// A camera link's sender, once it exists: its frames held when the fault for its kind is on.
export function holdSentFrames(sender, kind, faults) {
  if (!holdsFrames(faults)) return;
  pipeFrames(sender, Number(kind === 'audio' ? faults.audio_delay : faults.video_delay) || 0,
             kind === 'audio' ? (Number(faults.audio_dropouts) || 0) / 100 : 0);
}

export const echoes = (room) => Boolean(room.faults.audio_echo) && !room.data.is_host;

// Sends `received` back on `pc`'s audio sender, mixed with the own microphone (if any). The
// received track reaches Web Audio only while a media element plays it (the tiles do).
export function echoBack(pc, received, ownAudio) {
  echoContext ||= new AudioContext();
  const mix = echoContext.createMediaStreamDestination();
  for (const track of [ownAudio, received]) {
    if (track) echoContext.createMediaStreamSource(new MediaStream([track])).connect(mix);
  }
  const sender = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.sender;
  if (sender) sender.replaceTrack(mix.stream.getAudioTracks()[0]).catch(() => {});
}
