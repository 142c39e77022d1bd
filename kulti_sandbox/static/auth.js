// Sign-up and log-in: request an OTP for a phone number, then verify the 6-digit code.
(function () {
  'use strict';
  const f = window.kultiForms;
  const phoneForm = document.querySelector('[data-testid="phone-form"]');
  const codeForm = document.querySelector('[data-testid="code-form"]');
  let phone = '';

  // Sandbox fault phone_input_mangled: the input drops the leading '+' as it is typed, so the
  // field no longer holds what the user entered.
  if ('phone_input_mangled' in f.config.faults) {
    phoneForm.phone.addEventListener('input', function () {
      phoneForm.phone.value = phoneForm.phone.value.replace(/^\+/, '');
    });
  }

  phoneForm.addEventListener('submit', async function (event) {
    event.preventDefault();
    f.clearErrors(phoneForm);
    if (!f.validate(phoneForm)) return;
    const button = phoneForm.querySelector('button[type="submit"]');
    phone = phoneForm.phone.value.trim();
    f.setBusy(button, true);
    const result = await f.submitJson('/api/auth/otp', 'POST', { phone: phone, intent: phoneForm.dataset.mode });
    f.setBusy(button, false);
    if (!result.ok) { f.showError(phoneForm, result.data.field, result.data.error); return; }
    codeForm.querySelector('[data-testid="otp-sent-to"]').textContent = phone;
    codeForm.hidden = false;
    codeForm.code.focus();
  });

  codeForm.addEventListener('submit', async function (event) {
    event.preventDefault();
    f.clearErrors(codeForm);
    if (!f.validate(codeForm)) return;
    const button = codeForm.querySelector('button[type="submit"]');
    f.setBusy(button, true);
    const result = await f.submitJson('/api/auth/verify', 'POST', { phone: phone, code: codeForm.code.value.trim() });
    if (!result.ok) { f.setBusy(button, false); f.showError(codeForm, result.data.field, result.data.error); return; }
    const next = phoneForm.dataset.next;
    window.kultiGo(result.data.redirect === '/dashboard' && next ? next : result.data.redirect);
  });
})();
