/* Session start times as the real cards print them (lib/utils.ts formatTime): toLocaleTimeString
 * en-US, h:mm AM, in the browser's time zone. Server-rendered cards carry the ISO time in
 * data-started-at; the dashboard's cards, built in the browser, call kultiFormatTime. */
window.kultiFormatTime = function (iso) {
  return new Date(iso).toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });
};
Array.prototype.forEach.call(document.querySelectorAll("#page [data-started-at]"), function (t) {
  t.textContent = window.kultiFormatTime(t.getAttribute("data-started-at"));
});
