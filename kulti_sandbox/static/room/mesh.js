// Camera and microphone between every pair of participants (runbook T7): a full mesh,
// one "cam" link per remote peer. The newcomer offers to everyone already in the room
// (listed in its welcome); the others only ever answer, so there is no glare.
// Client faults here: low_bitrate=N (video capped at N kbps instead of 1500),
// video_frozen (each link stops sending video once the receiver's tile shows a first picture:
// a time after connecting would race the kulti room's receiver, which measures within a second),
// slow_remote_video=MS (each link starts sending video MS after it connects) and
// remote_tile_shows_own_camera (a remote tile pairs the peer's voice with our own camera).
// video_stalls=MS (every 2.5 s each link sends no video for MS: freezes the picture then resumes).
// recording_video_stops (once this page starts a recording, no link sends its camera any more).
// remote_video_paused is the tiles' business (runbook-tiles.js, the kulti shape's room-tiles.js).
// audio_delay, video_delay and audio_echo: media-faults.js, applied here to each link.

import { ownCameraTrack } from './media.js';
import { echoBack, echoes, holdSentFrames, holdsFrames } from './media-faults.js';
import { capSender, createPeerLink } from './peer-link.js';

const CAMERA_MAX_KBPS = 1500; // runbook T7 step 6: 500-2000 kbps
const CAMERA_START_KBPS = 1500;
const SHOWN_POLL_MS = 10;

// video_frozen: the receiver gets a first picture (its tile shows it) and nothing after. The
// receiver says when its tile shows one and the sender then removes its track: freezing after
// the first frame sent instead lost that frame now and then on a busy machine (sent before the
// receiver could decode it), leaving the tile without any picture.
function whenPictureShown(video, then) {
  const timer = setInterval(() => {
    if (video.videoWidth > 0 && video.getVideoPlaybackQuality().totalVideoFrames > 0) {
      clearInterval(timer);
      then();
    }
  }, SHOWN_POLL_MS);
}

function stopSendingVideo(pc) {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind === 'video') sender.replaceTrack(null).catch(() => {});
  }
}

// video_stalls=MS: every STALL_EVERY_MS the link sends no video for MS, then the same camera again:
// the picture freezes and resumes, so a 3 s window of the call holds at least one whole stall.
const STALL_EVERY_MS = 2500;
function stallVideoNowAndThen(pc, stallMs) {
  const timer = setInterval(() => {
    if (pc.connectionState === 'closed') { clearInterval(timer); return; }
    for (const sender of pc.getSenders()) {
      const track = sender.track;
      if (track?.kind !== 'video') continue;
      sender.replaceTrack(null).catch(() => {});
      setTimeout(() => sender.replaceTrack(track).catch(() => {}), stallMs);
    }
  }, STALL_EVERY_MS);
}

// `tiles` shows what arrives: tiles.open(peer) -> {video, show(stream, track), setState, remove}
// (runbook-tiles.js for the runbook room, the kulti shape's room-tiles.js for its room).
export function startMesh(room, mediaReady, tiles) {
  const { bus } = room;
  const links = new Map(); // peer_id -> {link, tile, stream}
  const maxKbps = Number(room.faults.low_bitrate) || CAMERA_MAX_KBPS;
  const lateVideoMs = Number(room.faults.slow_remote_video) || 0;

  // The audio this page sends: its microphone, or (audio_echo) nothing until the mix of it and
  // what arrives replaces it (onTrack), though the audio sender is there all the same.
  const ownAudio = (media) => (echoes(room) ? null : media.sendAudio);
  const sendsAudio = (media) => Boolean(media.sendAudio) || echoes(room);

  // Answering side: the offer created the transceivers; put our tracks on them.
  async function attachLocal(pc) {
    const media = await mediaReady;
    for (const t of pc.getTransceivers()) {
      const kind = t.receiver.track.kind;
      const track = kind === 'audio' ? ownAudio(media) : media.sendVideo;
      if (track) {
        if (!(lateVideoMs && track.kind === 'video')) await t.sender.replaceTrack(track);
        t.sender.setStreams(media.stream);
      }
      holdSentFrames(t.sender, kind, room.faults);
      t.direction = track || (kind === 'audio' && sendsAudio(media)) ? 'sendrecv' : 'recvonly';
    }
  }

  function addTransceivers(pc, media) {
    const audio = ownAudio(media);
    const video = media.sendVideo;
    const sent = pc.addTransceiver(audio || 'audio', {
      direction: sendsAudio(media) ? 'sendrecv' : 'recvonly', streams: [media.stream] });
    holdSentFrames(sent.sender, 'audio', room.faults);
    const seen = pc.addTransceiver(video && !lateVideoMs ? video : 'video', {
      direction: video ? 'sendrecv' : 'recvonly',
      streams: [media.stream],
      sendEncodings: [{ maxBitrate: maxKbps * 1000 }],
    });
    holdSentFrames(seen.sender, 'video', room.faults);
  }

  async function sendCameraLate(pc) {
    const media = await mediaReady;
    const sender = pc.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender;
    if (!sender || !media.sendVideo || pc.connectionState === 'closed') return;
    await sender.replaceTrack(media.sendVideo);
    capSender(sender, { maxKbps, degradation: 'maintain-resolution' });
  }

  function onConnected(pc) {
    if (room.faults.video_stalls) stallVideoNowAndThen(pc, Number(room.faults.video_stalls));
    if (lateVideoMs) {
      setTimeout(() => sendCameraLate(pc), lateVideoMs);
      return;
    }
    for (const sender of pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      // Keep the captured resolution: Chrome otherwise scales the answering side's camera down
      // while its bandwidth estimate ramps up and stays there ~10 s, near T7's 500 kbps floor.
      capSender(sender, { maxKbps, degradation: 'maintain-resolution' });
    }
  }

  function open(peer) {
    close(peer.peer_id);
    const tile = tiles.open(peer);
    const stream = new MediaStream();
    const link = createPeerLink({
      signaling: bus,
      peerId: peer.peer_id,
      channel: 'cam',
      startKbps: Math.min(CAMERA_START_KBPS, maxKbps),
      encodedFrames: holdsFrames(room.faults),
      async onTrack(event) {
        const own = room.faults.remote_tile_shows_own_camera && event.track.kind === 'video';
        const track = own ? ((await ownCameraTrack(await mediaReady)) || event.track) : event.track;
        stream.addTrack(track);
        tile.show(stream, track);
        if (echoes(room) && track.kind === 'audio') echoBack(link.pc, track, (await mediaReady).sendAudio);
        if (room.faults.video_frozen && track.kind === 'video') {
          whenPictureShown(tile.video, () => link.notify({ pictureShown: true }));
        }
        bus.emit('remote-stream', { peer, stream, video: tile.video });
      },
      beforeAnswer: attachLocal,
      onNotice(data) {
        if (room.faults.video_frozen && data?.pictureShown) stopSendingVideo(link.pc);
      },
      onState(state) {
        tile.setState(state);
        if (state === 'connected') onConnected(link.pc);
      },
    });
    links.set(peer.peer_id, { link, tile, stream });
    return link;
  }

  function close(peerId) {
    const entry = links.get(peerId);
    if (!entry) return;
    entry.link.close();
    entry.tile.remove();
    links.delete(peerId);
    bus.emit('remote-stream-ended', { peerId });
  }

  const closeAll = () => [...links.keys()].forEach(close);

  bus.on('welcome', async (message) => {
    closeAll();
    const media = await mediaReady;
    for (const peer of message.peers) {
      const link = open(peer);
      addTransceivers(link.pc, media);
      link.offer();
    }
  });
  bus.on('peer-left', (message) => close(message.peer.peer_id));
  bus.on('recording-started', () => {
    if (room.faults.recording_video_stops) links.forEach(({ link }) => stopSendingVideo(link.pc));
  });
  bus.on('disconnected', closeAll);
  // A newcomer's offer can overtake the news of its arrival (the kulti room's
  // participant_update_delay, or never: participants_not_live): hold it until the peer is known.
  const early = new Map(); // peer_id -> signals from a peer not announced yet
  bus.on('peer-joined', (message) => {
    const held = early.get(message.peer.peer_id) || [];
    early.delete(message.peer.peer_id);
    held.forEach(onSignal);
  });
  bus.on('disconnected', () => early.clear());
  bus.on('signal', onSignal);

  function onSignal(message) {
    if (message.channel !== 'cam') return;
    if (!links.has(message.from) && !bus.peers.has(message.from)) {
      early.set(message.from, [...(early.get(message.from) || []), message]);
      return;
    }
    let entry = links.get(message.from);
    if (!entry && message.kind === 'offer') {
      const peer = bus.peers.get(message.from);
      if (!peer) return; // left again before its offer arrived
      open(peer);
      entry = links.get(message.from);
    }
    if (entry) entry.link.handle(message.kind, message.data);
  }
  return { streams: () => [...links.values()].map(({ stream, tile }) => ({ stream, tile })) };
}
