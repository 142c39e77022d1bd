// Kulti forms: client-side validation with clear messages, JSON submission, busy buttons,
// and the dialogs that hold forms. Every form with data-api is wired here.
(function () {
  'use strict';
  const config = JSON.parse(document.getElementById('kulti-config').textContent);
  // Sandbox fault form_validation_off: no client checks, and server errors are swallowed.
  const validationOff = 'form_validation_off' in config.faults;
  // Sandbox fault form_error_hidden: invalid input is still refused, but no message says why.
  const errorHidden = 'form_error_hidden' in config.faults;
  // Sandbox fault form_stays_refused: once a form has refused input, it refuses every later try.
  const staysRefused = 'form_stays_refused' in config.faults;
  // Sandbox fault busy_text_missing: a busy button is disabled but keeps its label.
  const busyTextOff = 'busy_text_missing' in config.faults;

  function errorSlot(form, name) {
    return form.querySelector('[data-testid="field-error-' + name + '"]');
  }

  function showError(form, name, message) {
    if (validationOff || errorHidden) return;
    const slot = (name && errorSlot(form, name)) || form.querySelector('[data-testid="form-error"]') ||
      document.querySelector('[data-testid="form-error"]');
    if (!slot) return;
    slot.textContent = message;
    slot.hidden = false;
    const input = name && form.querySelector('[name="' + name + '"], [name$=".' + name + '"]');
    if (input) input.setAttribute('aria-invalid', 'true');
  }

  function clearErrors(form) {
    form.querySelectorAll('.field-error, .form-error').forEach(function (el) { el.hidden = true; el.textContent = ''; });
    document.querySelectorAll('[data-testid="form-error"]').forEach(function (el) { el.hidden = true; });
    form.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
  }

  function fieldName(el) {
    return el.name.includes('.') ? el.name.split('.').pop() : el.name;
  }

  function validate(form) {
    // A form may name the fault that turns off its own checks (data-validation-fault).
    if (validationOff || (form.dataset.validationFault && form.dataset.validationFault in config.faults)) return true;
    let ok = true;
    form.querySelectorAll('input[name], textarea[name], select[name]').forEach(function (el) {
      if (el.willValidate && !el.checkValidity()) {
        showError(form, fieldName(el), el.dataset.invalidMessage || el.validationMessage);
        if (ok) el.focus();
        ok = false;
      }
    });
    return ok;
  }

  function collect(form) {
    const body = {};
    form.querySelectorAll('input[name], textarea[name], select[name]').forEach(function (el) {
      let value = el.value;
      if (el.dataset.kind === 'list') value = value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
      const path = el.name.split('.');
      let target = body;
      while (path.length > 1) { const k = path.shift(); target = target[k] = target[k] || {}; }
      target[path[0]] = value;
    });
    return body;
  }

  async function submitJson(url, method, body) {
    let response;
    try {
      response = await fetch(url, {
        method: method, credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (err) {
      return { ok: false, status: 0, data: { error: 'Network error: check your connection and try again' } };
    }
    let data = {};
    try { data = await response.json(); } catch (err) { data = {}; }
    if (!response.ok && !data.error) data.error = 'Something went wrong (' + response.status + '). Try again.';
    return { ok: response.ok, status: response.status, data: data };
  }

  function setBusy(button, busy) {
    if (!button) return;
    if (busy) {
      button.dataset.idleText = button.textContent;
      if (!busyTextOff) button.textContent = button.dataset.busyText || 'Working...';
    } else if (button.dataset.idleText) {
      button.textContent = button.dataset.idleText;
    }
    button.disabled = busy;
    button.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  async function onSubmit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const button = form.querySelector('button[type="submit"]');
    if (staysRefused && form.dataset.refused) return;
    clearErrors(form);
    if (!validate(form)) { form.dataset.refused = 'true'; return; }
    setBusy(button, true);
    const result = await submitJson(form.dataset.api, form.dataset.method || 'POST', collect(form));
    setBusy(button, false);
    if (!result.ok) { showError(form, result.data.field, result.data.error); return; }
    form.dispatchEvent(new CustomEvent('kulti:submitted', { detail: result.data, bubbles: true }));
    if (form.dataset.success === 'reload') window.location.reload();
    else if (result.data.redirect || result.data.url) window.kultiGo(result.data.redirect || result.data.url);
  }

  document.querySelectorAll('form[data-api]').forEach(function (form) { form.addEventListener('submit', onSubmit); });
  document.querySelectorAll('[data-opens]').forEach(function (b) {
    // A button may name the fault that delays its dialog by VALUE ms (data-delay-fault).
    const delay = Number(config.faults[b.dataset.delayFault] || 0);
    b.addEventListener('click', function () {
      const dialog = document.getElementById(b.dataset.opens);
      if (delay) setTimeout(function () { dialog.showModal(); }, delay);
      else dialog.showModal();
    });
  });
  document.querySelectorAll('[data-closes]').forEach(function (b) {
    b.addEventListener('click', function () { document.getElementById(b.dataset.closes).close(); });
  });

  window.kultiForms = { config: config, validate: validate, collect: collect, submitJson: submitJson,
    setBusy: setBusy, showError: showError, clearErrors: clearErrors };
})();
