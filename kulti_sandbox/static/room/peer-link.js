// One RTCPeerConnection to one remote peer, with its signaling over the room socket.
// Used for two kinds of link: "cam" (camera + mic, both ways) and "screen" (one way, from
// the sharer). Who offers is fixed per link kind, so two peers never offer to each other
// at once (no glare): on "cam" the newcomer offers, on "screen" the sharer offers.
// No STUN/TURN: the sandbox runs on one machine, host candidates are enough.

import { pipeFrames } from './media-faults.js';

// onNotice(data): a peer's own message on this link (notify), in order with its signals.
// encodedFrames: the connection hands its encoded frames to script (media-faults.js); every
// receiver's are passed on here, the senders' by whoever makes them.
export function createPeerLink({ signaling, peerId, channel, onTrack, beforeAnswer, onState, onNotice, startKbps,
                                 encodedFrames }) {
  const pc = new RTCPeerConnection({ iceServers: [], ...(encodedFrames ? { encodedInsertableStreams: true } : {}) });
  // Signals are applied strictly in arrival order: an ICE candidate must not be added
  // before the offer it belongs to has been set, even though setRemoteDescription is async.
  let queue = Promise.resolve();
  let closed = false;

  const send = (kind, data) => signaling.send({ type: 'signal', to: peerId, channel, kind, data });

  pc.addEventListener('icecandidate', (event) => {
    if (event.candidate) send('ice', event.candidate.toJSON());
  });
  pc.addEventListener('track', (event) => {
    if (encodedFrames) pipeFrames(event.receiver);
    if (onTrack) onTrack(event);
  });
  pc.addEventListener('connectionstatechange', () => onState && onState(pc.connectionState));

  async function apply(kind, data) {
    if (closed) return;
    if (kind === 'offer') {
      await pc.setRemoteDescription(withStartBitrate(data, startKbps));
      if (beforeAnswer) await beforeAnswer(pc);
      await pc.setLocalDescription();
      send('answer', { type: pc.localDescription.type, sdp: pc.localDescription.sdp });
    } else if (kind === 'answer') {
      await pc.setRemoteDescription(withStartBitrate(data, startKbps));
    } else if (kind === 'ice' && data) {
      await pc.addIceCandidate(data);
    } else if (kind === 'notice' && onNotice) {
      onNotice(data);
    }
  }

  function enqueue(step) {
    queue = queue.then(step).catch((err) => console.error(`room: ${channel} link to ${peerId} failed`, err));
    return queue;
  }

  return {
    pc,
    peerId,
    offer: () => enqueue(async () => {
      await pc.setLocalDescription();
      send('offer', { type: pc.localDescription.type, sdp: pc.localDescription.sdp });
    }),
    handle: (kind, data) => enqueue(() => apply(kind, data)),
    notify: (data) => send('notice', data),
    close() {
      closed = true;
      pc.close();
    },
  };
}

// Cap a sender's bitrate (runbook T7: video bitrate 500-2000 kbps). Encodings exist only
// once the sender has been negotiated, so call this after setLocalDescription.
export async function capSender(sender, { maxKbps, degradation } = {}) {
  const params = sender.getParameters();
  if (!params.encodings || params.encodings.length === 0) return;
  if (maxKbps) params.encodings[0].maxBitrate = Math.round(maxKbps * 1000);
  if (degradation) params.degradationPreference = degradation;
  try {
    await sender.setParameters(params);
  } catch (err) {
    console.warn('room: could not set sender parameters', err);
  }
}

// Chrome's bandwidth estimate starts at 300 kbps and needs ~20 s to reach 1.5 Mbps; a
// higher start (the x-google-start-bitrate codec parameter, read from the remote
// description by the sending side) gets a call to its working bitrate within seconds.
// A floor (x-google-min-bitrate) keeps a healthy call above the runbook's 500 kbps when
// Chrome's CPU adaptation lowers the resolution on a busy machine.
const MIN_KBPS = 600;
const VIDEO_CODEC = /^a=rtpmap:(\d+) (VP8|VP9|H264|AV1)\/90000/i;

export function withStartBitrate(description, kbps) {
  if (!kbps || !description || !description.sdp) return description;
  const lines = description.sdp.split('\r\n');
  const video = videoTypes(lines);
  const out = [];
  for (const line of lines) {
    const fmtp = line.match(/^a=fmtp:(\d+) (.*)$/);
    const params = `x-google-start-bitrate=${kbps};x-google-min-bitrate=${Math.min(MIN_KBPS, kbps)}`;
    if (fmtp && video.has(fmtp[1]) && !fmtp[2].includes('x-google-start-bitrate')) {
      out.push(`${line};${params}`);
      continue;
    }
    out.push(line);
    const codec = line.match(VIDEO_CODEC);
    if (codec && !lines.some((l) => l.startsWith(`a=fmtp:${codec[1]} `))) {
      out.push(`a=fmtp:${codec[1]} ${params}`);
    }
  }
  return { type: description.type, sdp: out.join('\r\n') };
}

function videoTypes(lines) {
  return new Set(lines.map((l) => l.match(VIDEO_CODEC)).filter(Boolean).map((m) => m[1]));
}
