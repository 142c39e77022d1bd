/* The typing covers of the real root layout (every full load) and home page (intro):
 * "k", "ku", ... "kulti" one step per tick, a pause, a fade, then removal from the DOM. */
window.kultiTypingCover = function (el, tickMs, pauseMs, fadeMs) {
  "use strict";
  if (!el) return;
  var config = document.getElementById("kulti-config");
  var stuck = Boolean(config && (JSON.parse(config.textContent).faults || {}).intro_cover_stuck);
  var steps = ["k", "ku", "kul", "kult", "kulti"], i = 0, typed = el.querySelector(".typed");
  var timer = setInterval(function () {
    if (i < steps.length) { typed.textContent = steps[i++]; return; }
    clearInterval(timer);
    if (el.id === "intro-screen" && stuck) return; // the sandbox fault intro_cover_stuck: it stays
    setTimeout(function () {
      el.classList.add("done");
      setTimeout(function () { el.remove(); }, fadeMs);
    }, pauseMs);
  }, tickMs);
};
