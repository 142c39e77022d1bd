/*
 * Kulti browser error reporter: sends uncaught errors and unhandled promise rejections to
 * Sentry as envelopes (develop.sentry.dev/sdk/envelopes), the way @sentry/browser would.
 *
 * No libraries and no inline script (CSP: script-src 'self'; connect-src 'self'). Loaded in
 * <head> right after the #kulti-config JSON, so that element is already parsed here.
 * App code may call window.kultiReportError(err) for errors it catches itself.
 */
(function () {
  "use strict";

  var SDK = { name: "kulti.error-reporter", version: "1.0.0" };
  var MAX_EVENTS_PER_PAGE = 30; // an error in a loop must not flood Sentry
  var sent = 0;
  var seen = typeof WeakSet === "function" ? new WeakSet() : null;

  function readConfig() {
    try {
      var el = document.getElementById("kulti-config");
      return el ? JSON.parse(el.textContent) : null;
    } catch (e) {
      return null;
    }
  }

  // "http://KEY@host:port/prefix/PROJECT" -> the envelope endpoint, key in the query as the
  // browser SDK sends it (a header would force a CORS preflight).
  function envelopeUrl(dsn) {
    var url = new URL(dsn);
    var parts = url.pathname.split("/").filter(Boolean);
    var projectId = parts.pop();
    var prefix = parts.length ? "/" + parts.join("/") : "";
    var query = "sentry_key=" + encodeURIComponent(url.username) + "&sentry_version=7" +
      "&sentry_client=" + encodeURIComponent(SDK.name + "/" + SDK.version);
    return url.protocol + "//" + url.host + prefix + "/api/" + projectId + "/envelope/?" + query;
  }

  function eventId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // V8: "    at fn (url:1:2)" / "    at url:1:2"; Firefox and Safari: "fn@url:1:2".
  var CHROME_RE = /^\s*at (?:(.+?) \()?((?:https?|blob|file):.*?|<anonymous>):(\d+):(\d+)\)?\s*$/;
  var GECKO_RE = /^\s*(.*?)@((?:https?|blob|file):.*?):(\d+):(\d+)\s*$/;

  function parseFrame(line) {
    var m = CHROME_RE.exec(line) || GECKO_RE.exec(line);
    if (!m) return null;
    var fn = (m[1] || "").replace(/^async /, "") || "?";
    return {
      filename: m[2], abs_path: m[2], "function": fn,
      lineno: parseInt(m[3], 10), colno: parseInt(m[4], 10),
      in_app: m[2].indexOf(location.origin + "/") === 0
    };
  }

  // Sentry wants frames oldest first; error.stack lists the newest call first.
  function framesFromStack(stack) {
    var frames = [];
    String(stack || "").split("\n").forEach(function (line) {
      var frame = parseFrame(line);
      if (frame) frames.push(frame);
    });
    return frames.reverse();
  }

  function exceptionFrom(err, mechanism, fallback) {
    var isError = err && typeof err === "object" && ("stack" in err || "message" in err);
    var value = {
      type: isError ? String(err.name || "Error") : "Error",
      value: isError ? String(err.message || "") : String(fallback && fallback.message || err),
      mechanism: mechanism
    };
    // Sandbox fault sentry_no_stacktrace: the event arrives with no frames at all.
    if (faults.sentry_no_stacktrace) return value;
    var frames = isError ? framesFromStack(err.stack) : [];
    if (!frames.length && fallback && fallback.filename) {
      frames = [{ filename: fallback.filename, abs_path: fallback.filename, "function": "?",
                  lineno: fallback.lineno, colno: fallback.colno,
                  in_app: fallback.filename.indexOf(location.origin + "/") === 0 }];
    }
    if (frames.length) value.stacktrace = { frames: frames };
    return value;
  }

  function buildEvent(config, exception) {
    var event = {
      event_id: eventId(),
      timestamp: Date.now() / 1000,
      platform: "javascript",
      level: "error",
      logger: "javascript",
      environment: config.sentry.environment,
      release: config.sentry.release,
      sdk: SDK,
      exception: { values: [exception] },
      request: { url: location.href, headers: { "User-Agent": navigator.userAgent } },
      tags: { page: location.pathname }
    };
    if (document.referrer) event.request.headers.Referer = document.referrer;
    // Sandbox fault sentry_no_context: the event does not say which page it happened on.
    if (faults.sentry_no_context) { delete event.request; delete event.tags; }
    // The runbook's Kulti names the signed-in user; the launched app never calls Sentry.setUser
    // (sendUser false) and only has sendDefaultPii, which makes Sentry fill in the client's IP.
    // Sandbox fault sentry_no_user: the user is left out.
    if (config.user && config.sentry.sendUser !== false && !faults.sentry_no_user) {
      event.user = { id: String(config.user.id), username: config.user.username };
    } else if (config.sentry.sendDefaultPii) {
      event.user = { ip_address: "{{auto}}" };
    }
    return event;
  }

  function utf8Length(text) {
    return typeof TextEncoder === "function" ? new TextEncoder().encode(text).length
      : unescape(encodeURIComponent(text)).length;
  }

  // With a tunnel (@sentry/nextjs tunnelRoute) the envelope goes to the app's own origin as
  // TUNNEL?o=ORG&p=PROJECT and names its DSN in the envelope header, as the SDK does.
  function tunnelUrl(tunnel, dsn) {
    var url = new URL(dsn);
    var org = /^o(\d+)\./.exec(url.hostname);
    var projectId = url.pathname.split("/").filter(Boolean).pop();
    return tunnel + "?o=" + (org ? org[1] : "0") + "&p=" + projectId;
  }

  function send(url, event, dsn) {
    var payload = JSON.stringify(event);
    var header = { event_id: event.event_id, sent_at: new Date().toISOString(), sdk: SDK };
    if (dsn) header.dsn = dsn;
    var body = JSON.stringify(header) +
      "\n" + JSON.stringify({ type: "event", length: utf8Length(payload) }) + "\n" + payload + "\n";
    try {
      // keepalive lets the report outlive a navigation that follows the error.
      var pending = fetch(url, { method: "POST", body: body, keepalive: true, credentials: "omit" });
      if (pending && pending.catch) pending.catch(function () { /* reporting must never throw */ });
    } catch (e) { /* fetch unavailable or refused: nothing sensible to do */ }
  }

  function install(config) {
    var tunnel = config.sentry.tunnel;
    var url = tunnel ? tunnelUrl(tunnel, config.sentry.dsn) : envelopeUrl(config.sentry.dsn);

    function report(err, mechanism, fallback) {
      if (err && typeof err === "object" && seen) {
        if (seen.has(err)) return null; // caught, reported, then rethrown: report once
        seen.add(err);
      }
      if (sent >= MAX_EVENTS_PER_PAGE) return null;
      sent += 1;
      var event = buildEvent(config, exceptionFrom(err, mechanism, fallback));
      send(url, event, tunnel ? config.sentry.dsn : null);
      return event.event_id;
    }

    // One listener covers what window.onerror sees; having both would report every error twice.
    window.addEventListener("error", function (e) {
      if (!e || !(e.error || e.message)) return; // failed <img>/<script> loads are not JS errors
      report(e.error || e.message, { type: "onerror", handled: false },
             { message: e.message, filename: e.filename, lineno: e.lineno, colno: e.colno });
    });

    window.addEventListener("unhandledrejection", function (e) {
      var reason = e && e.reason;
      if (reason instanceof Error) {
        report(reason, { type: "onunhandledrejection", handled: false });
      } else {
        report({ name: "UnhandledRejection",
                 message: "Non-Error promise rejection captured with value: " + String(reason) },
               { type: "onunhandledrejection", handled: false });
      }
    });

    return function (err) { return report(err, { type: "generic", handled: true }); };
  }

  var config = readConfig();
  var faults = (config && config.faults) || {};
  var enabled = config && config.sentry && config.sentry.dsn &&
    !(config.faults && config.faults.sentry_not_reported);
  var reporter = null;
  if (enabled) {
    try { reporter = install(config); } catch (e) { reporter = null; /* a bad DSN must not break the page */ }
  }
  // Always defined so app code can call it unconditionally; a no-op when reporting is off.
  window.kultiReportError = function (err) { return reporter ? reporter(err) : null; };
})();
