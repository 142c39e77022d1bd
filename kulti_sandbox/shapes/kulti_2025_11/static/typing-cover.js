/* The typing covers of the real root layout (every full load) and home page (intro):
 * "k", "ku", ... "kulti" one step per tick, a pause, a fade, then removal from the DOM. */
window.kultiTypingCover = function (el, tickMs, pauseMs, fadeMs) {
  "use strict";
  if (!el) return;
  var steps = ["k", "ku", "kul", "kult", "kulti"], i = 0, typed = el.querySelector(".typed");
  var timer = setInterval(function () {
    if (i < steps.length) { typed.textContent = steps[i++]; return; }
    clearInterval(timer);
    setTimeout(function () {
      el.classList.add("done");
      setTimeout(function () { el.remove(); }, fadeMs);
    }, pauseMs);
  }, tickMs);
};
