// Dedicated worker behind the audio_delay, video_delay and audio_dropouts faults (media-faults.js): it gets a
// sender's or receiver's encoded frames (the readable and writable of createEncodedStreams, transferred here)
// and hands each on delayMs after it came. Equal timeouts fire in the order they were set (HTML,
// timer initialization steps), so frames leave in order; a worker's timers are not throttled in a
// hidden page, as the page's own would be. audio_dropouts: dropShare of the frames never leave,
// spread evenly (each frame adds the share to what is owed; a frame is dropped when a whole one is).
onmessage = ({ data: { readable, writable, delayMs, dropShare = 0 } }) => {
  if (!delayMs && !dropShare) { // passed on as it comes
    readable.pipeTo(writable).catch(() => {});
    return;
  }
  const writer = writable.getWriter();
  let owed = 0;
  readable.pipeTo(new WritableStream({
    write(frame) {
      owed += dropShare;
      if (owed >= 1) { owed -= 1; return; }
      setTimeout(() => writer.write(frame).catch(() => {}), delayMs);
    },
  })).catch(() => {}); // the connection closed
};
