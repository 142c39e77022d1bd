/*
 * The phone forms of /login (2 steps) and /signup (4 steps), with the real forms' texts,
 * busy texts, validation messages and timers (components/auth/phone-*-form, otp-input).
 */
(function () {
  "use strict";
  var root = document.querySelector(".phone-form");
  if (!root) return;
  var flow = root.getAttribute("data-flow");
  var state = { step: 1, phone: "", userId: null, inviteCode: "", timers: [] };
  var $ = function (sel, el) { return (el || root).querySelector(sel); };
  var $$ = function (sel, el) { return Array.prototype.slice.call((el || root).querySelectorAll(sel)); };
  // Sandbox faults acting on these forms (kulti_sandbox/README.md, "Faults").
  var faults = JSON.parse(document.getElementById("kulti-config").textContent).faults || {};

  function showStep(n) {
    state.step = n;
    $$("[data-step]").forEach(function (el) { el.hidden = el.getAttribute("data-step") !== String(n); });
    $("[data-role=step]").textContent = n;
    $$(".bar").forEach(function (bar, i) { bar.classList.toggle("active", i < n); });
  }
  function showError(message) {
    var box = $("[data-role=error]");
    box.hidden = !message;
    box.querySelector("p").textContent = message || "";
    $$(".otp-error").forEach(function (p) { p.remove(); });
    $$(".otp-input").forEach(function (otp) {
      otp.classList.toggle("error", !!message);
      if (message) { var p = document.createElement("p"); p.className = "otp-error"; p.textContent = message; otp.after(p); }
    });
  }
  function busy(button, on) {
    button.disabled = on;
    if (!faults.busy_text_missing) button.textContent = on ? button.getAttribute("data-busy") : button.getAttribute("data-idle");
    $$("input").forEach(function (i) { i.disabled = on; });
  }
  function countdown(el, prefix, done) {
    var left = 60;
    var tick = function () {
      if (left > 0) el.textContent = prefix + "0:" + String(left).padStart(2, "0");
      else done();
    };
    tick();
    var t = setInterval(function () { left -= 1; tick(); if (left <= 0) clearInterval(t); }, 1000);
    state.timers.push(t);
  }
  function startTimers() {
    state.timers.forEach(clearInterval);
    state.timers = [];
    $$("[data-role=sent-to]").forEach(function (el) { el.textContent = state.phone; });
    $$("[data-role=expiry]").forEach(function (el) {
      el.className = "expiry";
      countdown(el, "Code expires in ", function () { el.className = "expiry expired"; el.textContent = "Code has expired. Please request a new one."; });
    });
    $$("[data-action=resend]").forEach(function (b) {
      b.disabled = true;
      countdown(b, "Resend code in ", function () { b.disabled = false; b.textContent = "Resend verification code"; });
    });
  }

  // --- phone: digits only, (123) 456-7890 on screen, +1 and the digits as E.164 ------------
  $$("[data-role=phone]").forEach(function (input) {
    input.addEventListener("input", function () {
      // phone_input_mangled: the widget holds nine digits, dropping the tenth.
      var d = input.value.replace(/\D/g, "").slice(0, faults.phone_input_mangled ? 9 : 10);
      // phone_validation_off: what is typed stays as typed, letters and signs too.
      if (!faults.phone_validation_off) input.value = d.length === 0 ? "" : d.length <= 3 ? "(" + d : d.length <= 6 ? "(" + d.slice(0, 3) + ") " + d.slice(3)
        : "(" + d.slice(0, 3) + ") " + d.slice(3, 6) + "-" + d.slice(6);
      state.phone = "+1" + d;
      $$("[data-action=send]").forEach(function (b) { b.disabled = !state.phone; });
    });
  });

  async function sendCode(button) {
    showError(null);
    busy(button, true);
    try {
      if (!state.phone) throw new Error("Please enter your phone number");
      var e164 = state.phone.replace(/[^\d+]/g, "");
      if (!/^\+\d{7,15}$/.test(e164)) throw new Error("Please enter a valid phone number with country code");
      var r = await window.kultiAuth.signInWithOtp(e164);
      if (r.error) throw new Error(r.error.message || "Failed to send verification code");
      startTimers();
      showStep(flow === "login" ? 2 : 3);
    } catch (err) {
      showError(err.message || "Failed to send verification code");
    } finally {
      busy(button, false);
      button.disabled = !state.phone;
    }
  }
  $$("[data-action=send]").forEach(function (b) { b.addEventListener("click", function () { sendCode(b); }); });

  // --- six one-digit boxes ---------------------------------------------------------------
  function otpValue() { return $$("[data-role=otp-digit]").map(function (i) { return i.value; }).join(""); }
  function otpChanged() { $$("[data-action=verify]").forEach(function (b) { b.disabled = otpValue().length !== 6; }); }
  $$("[data-role=otp-digit]").forEach(function (input, i, all) {
    input.addEventListener("input", function () {
      input.value = input.value.replace(/\D/g, "").slice(-1);
      if (faults.code_input_truncated && i === all.length - 1) input.value = ""; // the sixth box refuses input
      if (input.value && i < all.length - 1) all[i + 1].focus();
      otpChanged();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Backspace") {
        e.preventDefault();
        if (input.value) input.value = "";
        else if (i > 0) { all[i - 1].value = ""; all[i - 1].focus(); }
        otpChanged();
      }
      if (e.key === "ArrowLeft" && i > 0) all[i - 1].focus();
      if (e.key === "ArrowRight" && i < all.length - 1) all[i + 1].focus();
    });
    input.addEventListener("focus", function () { input.select(); });
    if (i === 0) input.addEventListener("paste", function (e) {
      e.preventDefault();
      var digits = (e.clipboardData.getData("text/plain") || "").replace(/\D/g, "").slice(0, faults.code_input_truncated ? all.length - 1 : all.length);
      all.forEach(function (box, k) { box.value = digits[k] || ""; });
      all[Math.min(digits.length, all.length - 1)].focus();
      otpChanged();
    });
  });

  async function verify(button) {
    showError(null);
    busy(button, true);
    try {
      var code = otpValue();
      if (code.length !== 6) throw new Error("Please enter the 6-digit verification code");
      var r = await window.kultiAuth.verifyOtp(state.phone, code);
      if (r.error) throw new Error(r.error.message || "Invalid or expired verification code");
      if (!r.data || !r.data.user) throw new Error("Verification failed. Please try again.");
      if (flow === "login") {
        window.kultiNavigate("/dashboard"); // router.push: a client-side navigation
        return;
      }
      state.userId = r.data.user.id;
      showStep(4);
    } catch (err) {
      showError(err.message || "Failed to verify code");
    } finally {
      busy(button, false);
      otpChanged();
    }
  }
  $$("[data-action=verify]").forEach(function (b) { b.addEventListener("click", function () { verify(b); }); });

  $$("[data-action=resend]").forEach(function (b) {
    b.addEventListener("click", async function () {
      showError(null);
      $$("[data-role=otp-digit]").forEach(function (i) { i.value = ""; });
      otpChanged();
      var r = await window.kultiAuth.signInWithOtp(state.phone);
      if (r.error) showError(r.error.message || "Failed to resend verification code");
      else startTimers();
    });
  });
  $$("[data-action=back]").forEach(function (b) { b.addEventListener("click", function () { showError(null); showStep(1); }); });

  // --- sign-up steps 1 and 4 -------------------------------------------------------------
  function fieldError(input, message) {
    var p = input.closest("form > div").querySelector(".field-error");
    p.hidden = !message;
    p.textContent = message || "";
    return !message;
  }
  var step1 = $("form[data-step='1']");
  if (step1) step1.addEventListener("submit", async function (e) {
    e.preventDefault();
    var input = $("#inviteCode"), button = step1.querySelector("button[type=submit]");
    if (!fieldError(input, input.value ? null : "Invite code is required")) return;
    showError(null);
    busy(button, true);
    try {
      var res = await fetch("/api/invites/validate", { method: "POST", headers: { "Content-Type": "application/json" },
                                                       body: JSON.stringify({ code: input.value }) });
      var result = await res.json();
      if (!result.isValid) throw new Error(result.error || "Invalid invite code");
      state.inviteCode = input.value;
      showStep(2);
    } catch (err) {
      showError(err.message || "Failed to validate invite code");
    } finally {
      busy(button, false);
    }
  });

  var PROFILE_RULES = {
    username: function (v) {
      if (v.length < 3) return "Username must be at least 3 characters";
      if (v.length > 20) return "Username must be less than 20 characters";
      if (!/^[a-zA-Z0-9_-]+$/.test(v)) return "Username can only contain letters, numbers, dashes, and underscores";
    },
    displayName: function (v) { if (v.length < 2) return "Display name must be at least 2 characters"; },
    email: function (v) { if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return "Invalid email address"; },
    password: function (v) { if (v.length < 8) return "Password must be at least 8 characters"; }
  };
  var step4 = $("form[data-step='4']");
  if (step4) step4.addEventListener("submit", async function (e) {
    e.preventDefault();
    var values = {}, ok = true;
    Object.keys(PROFILE_RULES).forEach(function (name) {
      var input = step4.elements[name];
      values[name] = input.value;
      ok = fieldError(input, PROFILE_RULES[name](input.value) || null) && ok;
    });
    if (!ok) return;
    var button = step4.querySelector("button[type=submit]");
    showError(null);
    busy(button, true);
    try {
      var res = await fetch("/api/auth/complete-phone-signup", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ userId: state.userId, email: values.email, password: values.password, username: values.username,
                               displayName: values.displayName, inviteCode: state.inviteCode, phone: state.phone }) });
      var result = await res.json();
      if (!res.ok || !result.success) throw new Error(result.error || "Failed to complete signup");
      var refreshed = await window.kultiAuth.refreshSession();
      if (refreshed.error) throw new Error("Account created but session refresh failed. Please try logging in.");
      setTimeout(function () { window.location.href = "/dashboard"; }, 0); // a full page load, as the real form does
    } catch (err) {
      showError(err.message || "Failed to complete signup");
      busy(button, false);
    }
  });
  var toggle = $("[data-action=toggle-password]");
  if (toggle) toggle.addEventListener("click", function () {
    var pw = $("#password"), show = pw.type === "password";
    pw.type = show ? "text" : "password";
    toggle.setAttribute("aria-label", show ? "Hide password" : "Show password");
  });

  // Tabs of /login: Phone and Email (the email form is not emulated).
  $$("[role=tab]", document).forEach(function (tab) {
    tab.addEventListener("click", function () {
      $$("[role=tab]", document).forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", String(on));
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
    });
  });
  window.addEventListener("kulti:leave", function () { state.timers.forEach(clearInterval); }, { once: true });
  showStep(1);
})();
