/*
 * The part of supabase-js + @supabase/ssr's browser client the launched Kulti uses, written
 * against GoTrue's documented API (supabase/auth openapi.yaml): signInWithOtp, verifyOtp,
 * getUser, refreshSession and signOut, with the session kept where @supabase/ssr keeps it:
 * cookie `sb-<project ref>-auth-token` = "base64-" + base64url(JSON session), split into
 * `.0`, `.1`, ... chunks past 3180 characters, path /, SameSite=Lax, 400 days.
 */
(function () {
  "use strict";
  var CHUNK = 3180;
  var MAX_AGE = 400 * 24 * 60 * 60;

  function config() { return JSON.parse(document.getElementById("kulti-config").textContent).supabase; }
  function storageKey() { return "sb-" + new URL(config().url).hostname.split(".")[0] + "-auth-token"; }

  function b64urlEncode(text) {
    var bytes = new TextEncoder().encode(text), bin = "";
    bytes.forEach(function (b) { bin += String.fromCharCode(b); });
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function b64urlDecode(text) {
    var bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder().decode(Uint8Array.from(bin, function (c) { return c.charCodeAt(0); }));
  }

  function cookies() {
    var out = {};
    document.cookie.split(";").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    });
    return out;
  }
  function setCookie(name, value, maxAge) {
    document.cookie = name + "=" + encodeURIComponent(value) + "; Path=/; SameSite=Lax; Max-Age=" + maxAge;
  }
  function clearStored() {
    var key = storageKey(), all = cookies();
    Object.keys(all).forEach(function (name) {
      if (name === key || name.indexOf(key + ".") === 0) setCookie(name, "", 0);
    });
  }
  function store(session) {
    clearStored();
    var value = "base64-" + b64urlEncode(JSON.stringify(session)), key = storageKey();
    if (value.length <= CHUNK) { setCookie(key, value, MAX_AGE); return; }
    for (var i = 0; i * CHUNK < value.length; i++) setCookie(key + "." + i, value.slice(i * CHUNK, (i + 1) * CHUNK), MAX_AGE);
  }
  function stored() {
    var all = cookies(), key = storageKey(), value = all[key];
    if (value === undefined) {
      var parts = [];
      for (var i = 0; all[key + "." + i] !== undefined; i++) parts.push(all[key + "." + i]);
      value = parts.length ? parts.join("") : undefined;
    }
    if (!value) return null;
    try { return JSON.parse(value.indexOf("base64-") === 0 ? b64urlDecode(value.slice(7)) : value); }
    catch (e) { return null; }
  }

  // GoTrue's errors: {code, error_code, msg} (newer) or {error, error_description} (token endpoint).
  function errorFrom(body, status) {
    var message = (body && (body.msg || body.message || body.error_description || body.error)) || ("HTTP " + status);
    var err = new Error(message);
    err.status = status;
    err.code = body && (body.error_code || body.code);
    return err;
  }

  async function call(method, path, body, accessToken) {
    var c = config();
    var res = await fetch(c.url + "/auth/v1" + path, {
      method: method,
      headers: {
        "apikey": c.anonKey,
        "Authorization": "Bearer " + (accessToken || c.anonKey),
        "Content-Type": "application/json;charset=UTF-8",
        "X-Supabase-Api-Version": "2024-01-01"
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    var text = await res.text(), data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!res.ok) return { data: null, error: errorFrom(data, res.status) };
    return { data: data, error: null };
  }

  function keepSession(data) {
    if (data && data.access_token) {
      if (!data.expires_at && data.expires_in) data.expires_at = Math.round(Date.now() / 1000) + data.expires_in;
      store(data);
    }
  }

  window.kultiAuth = {
    signInWithOtp: function (phone) {
      return call("POST", "/otp", { phone: phone, data: {}, create_user: true, channel: "sms",
                                    gotrue_meta_security: {} });
    },
    verifyOtp: async function (phone, token) {
      var r = await call("POST", "/verify", { phone: phone, token: token, type: "sms", gotrue_meta_security: {} });
      // Sandbox fault otp_no_session: the verified session is never written to the auth cookie.
      var faults = JSON.parse(document.getElementById("kulti-config").textContent).faults || {};
      if (!r.error && !faults.otp_no_session) keepSession(r.data);
      return r;
    },
    getUser: async function () {
      var s = stored();
      if (!s) return { data: { user: null }, error: null };
      var r = await call("GET", "/user", undefined, s.access_token);
      return r.error ? { data: { user: null }, error: r.error } : { data: { user: r.data }, error: null };
    },
    refreshSession: async function () {
      var s = stored();
      if (!s) return { data: null, error: new Error("Auth session missing!") };
      var r = await call("POST", "/token?grant_type=refresh_token", { refresh_token: s.refresh_token });
      if (!r.error) keepSession(r.data);
      return r;
    },
    signOut: async function () {
      var s = stored();
      var r = s ? await call("POST", "/logout?scope=global", undefined, s.access_token) : { error: null };
      clearStored(); // supabase-js forgets the session even when the server call fails
      return r;
    },
    session: stored
  };
})();
