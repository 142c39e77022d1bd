// Sandbox faults that act on every page.
(function () {
  'use strict';
  const faults = JSON.parse(document.getElementById('kulti-config').textContent).faults;

  // hide_element: elements with the configured data-testid (or, as "css:SELECTOR", matching a
  // selector: the launched app's shape has no testids) are not displayed, as a broken stylesheet
  // would leave them. A constructed sheet, because the CSP allows no inline style, and because
  // it also hides elements the page adds later.
  if (faults.hide_element) {
    const value = faults.hide_element;
    const selector = value.startsWith('css:') ? value.slice(4) : '[data-testid="' + CSS.escape(value) + '"]';
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(selector + ' { display: none !important; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }

  // landing_layout_broken: the home page's layout breaks as a stray rule would break it. "below_fold": a tall
  // gap pushes everything, the hero too, below the first screen; "overflow": a strip wider than the window
  // makes the page scroll sideways. Constructed sheets, as above.
  const layout = {below_fold: 'body { padding-top: 150vh !important; }',
                  overflow: 'body::after { content: ""; display: block; width: 160vw; height: 1px; }'};
  if (faults.landing_layout_broken && window.location.pathname === '/') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(layout[faults.landing_layout_broken] || '');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }

  // console_error: pages under the configured path log an error on load, the way a real
  // regression would (a failed feature-flag read), so T1's console check has something to catch.
  const prefix = faults.console_error;
  if (prefix && window.location.pathname.startsWith(prefix)) {
    console.error("Failed to load feature flags: TypeError: Cannot read properties of undefined (reading 'enabled')");
  }

  // shown_time_wrong: every time a page shows is VALUE hours off, as a formatter with a wrong
  // zone offset would print it; the machine-readable datetime="" (set from the ISO string) stays
  // right. The page scripts of both shapes print times through these three (toLocaleString,
  // toLocaleTimeString; the runbook room's HH:MM through getHours).
  if (faults.shown_time_wrong) {
    const shift = Number(faults.shown_time_wrong) * 3600 * 1000;
    ['toLocaleString', 'toLocaleTimeString', 'getHours'].forEach(function (name) {
      const original = Date.prototype[name];
      Date.prototype[name] = function () {
        return original.apply(new Date(this.getTime() + shift), arguments);
      };
    });
  }

  // not_found_console_error: the not-found page's own script fails on load (any unknown path).
  if (faults.not_found_console_error) {
    document.addEventListener('DOMContentLoaded', function () {
      if (document.querySelector('[data-page="not-found"]')) {
        console.error("TypeError: Cannot read properties of null (reading 'suggestions')");
      }
    });
  }
})();
