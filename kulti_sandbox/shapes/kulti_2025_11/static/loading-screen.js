/* Root layout: 150 ms per letter, 300 ms pause, 500 ms fade (components/loading-screen). */
window.kultiTypingCover(document.getElementById("loading-screen"), 150, 300, 500);
