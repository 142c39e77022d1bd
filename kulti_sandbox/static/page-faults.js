// Sandbox fault console_error: pages under the configured path log an error on load, the way
// a real regression would (a failed feature-flag read), so T1's console check has something to catch.
(function () {
  'use strict';
  const faults = JSON.parse(document.getElementById('kulti-config').textContent).faults;
  const prefix = faults.console_error;
  if (prefix && window.location.pathname.startsWith(prefix)) {
    console.error("Failed to load feature flags: TypeError: Cannot read properties of undefined (reading 'enabled')");
  }
})();
