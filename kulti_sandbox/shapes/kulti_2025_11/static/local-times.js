/* Session start times as the real cards print them: toLocaleTimeString en-US, h:mm AM. */
Array.prototype.forEach.call(document.querySelectorAll("#page time[datetime]"), function (t) {
  t.textContent = new Date(t.getAttribute("datetime")).toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });
});
