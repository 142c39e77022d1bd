/* The dashboard: local start times, and the Create Session modal (open at ?create=true),
 * which posts to /api/sessions/create and moves to /s/{roomCode} with router.push. */
(function () {
  "use strict";
  var modal = document.querySelector("[data-role=create-modal]");
  if (!modal) return;
  var form = modal.querySelector("form"), submit = form.querySelector("button[type=submit]");
  var isPublic = true;
  // Sandbox faults acting on the dialog (kulti_sandbox/README.md, "Faults").
  var faults = JSON.parse(document.getElementById("kulti-config").textContent).faults || {};
  // Sandbox fault dashboard_busy: one long task once the page has loaded (or, after a client-side
  // move, once this script has run) and Live Now has revealed it holds every click back.
  if (faults.dashboard_busy) {
    var page = document.querySelector("[data-role=dashboard-page]");
    var block = function () {
      var until = performance.now() + Number(faults.dashboard_busy);
      while (performance.now() < until) { /* busy */ }
    };
    var whenShown = function () {
      if (!page.hidden) { setTimeout(block, 0); return; }
      new MutationObserver(function (_, observer) {
        if (!page.hidden) { observer.disconnect(); setTimeout(block, 0); }
      }).observe(page, { attributes: true, attributeFilter: ["hidden"] });
    };
    if (document.readyState === "complete") whenShown();
    else window.addEventListener("load", whenShown, { once: true });
  }

  function open() {
    if (location.search !== "?create=true") history.pushState({ kulti: true }, "", "/dashboard?create=true");
    if (faults.slow_create_form) setTimeout(function () { modal.hidden = false; }, Number(faults.slow_create_form));
    else modal.hidden = false;
  }
  function close() {
    modal.hidden = true;
    history.pushState({ kulti: true }, "", "/dashboard");
  }
  document.querySelectorAll("[data-action=open-create]").forEach(function (b) { b.addEventListener("click", open); });
  modal.querySelectorAll("[data-action=close-create]").forEach(function (b) { b.addEventListener("click", close); });
  modal.querySelectorAll("[data-public]").forEach(function (b) {
    b.addEventListener("click", function () {
      isPublic = b.getAttribute("data-public") === "true";
      modal.querySelectorAll("[data-public]").forEach(function (o) {
        o.setAttribute("aria-pressed", String((o.getAttribute("data-public") === "true") === isPublic));
      });
    });
  });

  function fieldError(name, message) {
    var p = form.elements[name].parentElement.querySelector(".field-error");
    // Sandbox fault form_error_hidden: the field is refused, its message never shown.
    p.hidden = !message || Boolean(faults.form_error_hidden);
    p.textContent = message || "";
    return !message;
  }
  function setBusy(on) {
    submit.disabled = on;
    submit.setAttribute("aria-label", on ? "Creating session" : "Create new session");
    submit.setAttribute("aria-disabled", String(on));
    if (!faults.busy_text_missing) submit.textContent = on ? "Creating..." : "Create Session";
  }
  function showError(message) {
    var box = modal.querySelector("[data-role=create-error]");
    box.hidden = !message;
    box.querySelector("p").textContent = message || "";
  }

  form.addEventListener("submit", async function (e) {
    e.preventDefault();
    // Sandbox fault form_stays_refused: once refused, the form refuses every later try.
    if (faults.form_stays_refused && form.dataset.refused) return;
    var title = form.elements.title.value, description = form.elements.description.value;
    // Sandbox fault form_validation_off: no client checks; the server's refusal still shows.
    var ok = faults.session_form_validation_off || faults.form_validation_off || fieldError("title", !title ? "Title is required" : title.length > 60 ? "Title must be less than 60 characters" : null);
    ok = fieldError("description", description.length > 280 ? "Description must be less than 280 characters" : null) && ok;
    if (!ok) { form.dataset.refused = "true"; return; }
    showError(null);
    setBusy(true);
    try {
      var res = await fetch("/api/sessions/create", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ title: title, description: description, isPublic: isPublic,
                               maxPresenters: Number(form.elements.maxPresenters.value), enableOBS: form.elements.enableOBS.checked }) });
      var result = await res.json();
      if (!res.ok) {
        var msg = result.error || "Failed to create session";
        window.kultiToast(msg);
        showError(msg);
        return;
      }
      window.kultiToast("Session created successfully!");
      window.kultiNavigate("/s/" + result.roomCode);
    } catch (err) {
      var m = err.message || "Network error. Please try again.";
      window.kultiToast(m);
      showError(m);
    } finally {
      setBusy(false);
    }
  });
  if (new URLSearchParams(location.search).get("create") === "true") modal.hidden = false;
})();
