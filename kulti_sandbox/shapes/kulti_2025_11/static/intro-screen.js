/* Home page: 120 ms per letter, 500 ms pause, 800 ms until removed (components/landing/intro-screen). */
window.kultiTypingCover(document.getElementById("intro-screen"), 120, 500, 800);
