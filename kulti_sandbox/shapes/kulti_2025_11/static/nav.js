/*
 * Client-side navigation, as Next.js's router does it for <Link> clicks and router.push():
 * the URL changes with history.pushState and the new page's content is fetched and put in
 * place, so no new document is loaded (Navigation Timing still describes the first page).
 * The loading screen of the root layout is not shown again, as the layout is not remounted.
 * Pages that hold resources (the room's camera and socket) listen for "kulti:leave".
 */
(function () {
  "use strict";

  async function runScripts(container, scripts) {
    container.textContent = "";
    for (var i = 0; i < scripts.length; i++) {
      await new Promise(function (resolve) {
        var el = document.createElement("script");
        el.src = scripts[i];
        el.onload = el.onerror = resolve;
        container.appendChild(el);
      });
    }
  }

  async function navigate(url, options) {
    options = options || {};
    window.dispatchEvent(new Event("kulti:leave"));
    var res = await fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    var doc = new DOMParser().parseFromString(await res.text(), "text/html");
    var target = new URL(res.url);
    if (options.replace) history.replaceState({ kulti: true }, "", target.pathname + target.search);
    else history.pushState({ kulti: true }, "", target.pathname + target.search);
    document.title = doc.title;
    document.getElementById("kulti-config").textContent = doc.getElementById("kulti-config").textContent;
    document.getElementById("page").innerHTML = doc.getElementById("page").innerHTML;
    window.scrollTo(0, 0);
    var scripts = Array.prototype.map.call(doc.querySelectorAll("#page-scripts script[src]"),
                                           function (s) { return s.getAttribute("src"); });
    await runScripts(document.getElementById("page-scripts"), scripts);
  }

  window.kultiNavigate = navigate;

  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || a.target || a.hasAttribute("download")) return;
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.indexOf("/_kulti/") === 0) return;
    e.preventDefault();
    navigate(swappedTarget(url.pathname) + url.search);
  });

  // Sandbox fault landing_links_swapped: on the home page, Get Started moves to /login and Sign In
  // to /signup, as a wrong router.push in a click handler would (the links' href stay right).
  function swappedTarget(path) {
    var faults = JSON.parse(document.getElementById("kulti-config").textContent).faults;
    if (!faults.landing_links_swapped || location.pathname !== "/") return path;
    return { "/signup": "/login", "/login": "/signup" }[path] || path;
  }

  window.addEventListener("popstate", function () { location.reload(); });
})();
