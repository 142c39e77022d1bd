// Dedicated worker behind the audio_delay and video_delay faults (media-faults.js): it gets a
// sender's encoded frames (the readable and writable of createEncodedStreams, transferred here)
// and hands each on delayMs after it came. Equal timeouts fire in the order they were set (HTML,
// timer initialization steps), so frames leave in order; a worker's timers are not throttled in a
// hidden page, as the page's own would be.
onmessage = ({ data: { readable, writable, delayMs } }) => {
  const writer = writable.getWriter();
  readable.pipeTo(new WritableStream({
    write(frame) {
      setTimeout(() => writer.write(frame).catch(() => {}), delayMs);
    },
  })).catch(() => {}); // the connection closed
};
