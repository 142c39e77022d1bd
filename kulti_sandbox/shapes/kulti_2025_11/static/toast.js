/* react-hot-toast's place: one polite live region, a message shown for a few seconds. */
window.kultiToast = function (message) {
  "use strict";
  var region = document.querySelector(".toasts");
  var div = document.createElement("div");
  div.className = "toast";
  div.textContent = message;
  region.appendChild(div);
  setTimeout(function () { div.remove(); }, 4000);
};
