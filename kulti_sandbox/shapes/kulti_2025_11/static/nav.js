/*
 * Client-side navigation, as Next.js's router does it for <Link> clicks and router.push():
 * the URL changes with history.pushState and the new page's content is fetched and put in
 * place, so no new document is loaded (Navigation Timing still describes the first page).
 * The loading screen of the root layout is not shown again, as the layout is not remounted.
 * Pages that hold resources (the room's camera and socket) listen for "kulti:leave".
 * The new page's scripts are fetched before it is put in place and run in the same task: Next.js
 * loads a route's code before it renders it, so nothing shown is ever without its handlers (put in
 * place first, a phone typed before the login's script ran was lost and Send stayed disabled).
 */
(function () {
  "use strict";

  async function fetchScripts(urls) {
    return Promise.all(urls.map(async function (url) {
      var res = await fetch(url, { credentials: "same-origin" });
      if (!res.ok) throw new Error("script " + url + ": " + res.status);
      return { url: url, text: await res.text() };
    }));
  }

  function runScripts(container, scripts) {
    container.textContent = "";
    scripts.forEach(function (script) {
      var el = document.createElement("script");
      // An inline script runs as it is inserted; sourceURL keeps its name in stack traces.
      el.textContent = script.text + "\n//# sourceURL=" + new URL(script.url, location.href).href;
      container.appendChild(el);
    });
  }

  async function navigate(url, options) {
    options = options || {};
    window.dispatchEvent(new Event("kulti:leave"));
    var res = await fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    var doc = new DOMParser().parseFromString(await res.text(), "text/html");
    var target = new URL(res.url);
    var scripts;
    try {
      scripts = await fetchScripts(Array.prototype.map.call(doc.querySelectorAll("#page-scripts script[src]"),
                                                            function (s) { return s.getAttribute("src"); }));
    } catch (err) {
      location.href = target.pathname + target.search; // a route whose code does not load: a full load, as Next.js does
      return;
    }
    if (options.replace) history.replaceState({ kulti: true }, "", target.pathname + target.search);
    else history.pushState({ kulti: true }, "", target.pathname + target.search);
    document.title = doc.title;
    document.getElementById("kulti-config").textContent = doc.getElementById("kulti-config").textContent;
    document.getElementById("page").innerHTML = doc.getElementById("page").innerHTML;
    window.scrollTo(0, 0);
    runScripts(document.getElementById("page-scripts"), scripts);
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
