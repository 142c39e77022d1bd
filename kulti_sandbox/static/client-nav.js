// Where a page moves after a link or a form. With the sandbox's --client-nav (page config
// client_nav) it moves the way a single-page app's router does (Next.js <Link>, router.push):
// history.pushState, the next page's HTML fetched, and its top bar, <main> and page scripts put in
// place. No new document is loaded, so Navigation Timing keeps describing the first page. The
// session room is still entered with a full load: its module scripts and media run once per
// document. Without the option every move is a full page load.
(function () {
  'use strict';
  const clientNav = Boolean(JSON.parse(document.getElementById('kulti-config').textContent).client_nav);
  const FULL_LOAD = /^\/(session\/|static\/|logout)/;

  function moved(url) {
    return clientNav && url.origin === location.origin && !FULL_LOAD.test(url.pathname);
  }

  async function runScripts(sources) {
    for (const src of sources) {
      await new Promise(function (resolve) {
        const el = document.createElement('script');
        el.src = src;
        el.onload = el.onerror = resolve;
        document.body.appendChild(el);
      });
    }
  }

  async function go(href) {
    const url = new URL(href, location.href);
    if (!moved(url)) { window.location.assign(href); return; }
    const response = await fetch(url.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    const landed = new URL(response.url);
    if (!moved(landed) || !(response.headers.get('content-type') || '').includes('text/html')) {
      window.location.assign(href);
      return;
    }
    const next = new DOMParser().parseFromString(await response.text(), 'text/html');
    history.pushState({ kulti: true }, '', landed.pathname + landed.search + url.hash);
    document.title = next.title;
    document.getElementById('kulti-config').textContent = next.getElementById('kulti-config').textContent;
    document.body.className = next.body.className;
    document.querySelector('header.topbar').replaceWith(document.adoptNode(next.querySelector('header.topbar')));
    // The new <main> stays unseen until its page scripts have run: a client-rendered page (React)
    // appears with its handlers attached, so a form shown here is a form that works. Shown before,
    // a click in that gap submitted the form natively and reloaded the page (seen in a T3 row).
    const main = document.adoptNode(next.querySelector('body > main'));
    main.style.visibility = 'hidden';
    document.querySelector('body > main').replaceWith(main);
    document.querySelectorAll('body > script').forEach(function (s) { s.remove(); });
    window.scrollTo(0, 0);
    await runScripts(Array.from(next.querySelectorAll('body > script[src]'), function (s) { return s.getAttribute('src'); }));
    main.style.visibility = '';
  }

  window.kultiGo = go;
  if (!clientNav) return;

  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element && event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (!moved(url) || (url.pathname === location.pathname && url.hash)) return;
    event.preventDefault();
    go(url.href);
  });
  window.addEventListener('popstate', function () { location.reload(); });
})();
