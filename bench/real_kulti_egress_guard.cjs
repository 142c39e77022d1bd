// Loaded into `next build` and `next start` with NODE_OPTIONS=--require: refuses every DNS lookup
// of a host that is not loopback, at once, and appends the host to $KULTI_EGRESS_LOG.
// Why: the real app hard-codes its Sentry DSN, the 100ms REST base URL and the Anthropic client,
// so they cannot be pointed at the sandbox; this makes sure none of them leaves the machine,
// fails fast instead of waiting on a resolver, and is reported by bench/real_kulti.py.
// Node's http(s), net and undici (global fetch) all resolve through dns.lookup.
'use strict';
const dns = require('dns');
const fs = require('fs');
const net = require('net');

const logPath = process.env.KULTI_EGRESS_LOG;

function isLoopback(host) {
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1';
  return false;
}

function refusal(host) {
  if (logPath) fs.appendFileSync(logPath, `${host}\n`);
  const err = new Error(`getaddrinfo ENOTFOUND ${host} (refused by kulti-smoke egress guard: offline run)`);
  err.code = 'ENOTFOUND';
  err.syscall = 'getaddrinfo';
  err.hostname = host;
  return err;
}

const lookup = dns.lookup;
dns.lookup = function guardedLookup(host, options, callback) {
  if (typeof options === 'function') return guardedLookup.call(this, host, {}, options);
  if (isLoopback(host)) return lookup.call(this, host, options, callback);
  process.nextTick(callback, refusal(host));
};

const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function guardedPromisesLookup(host, options) {
  if (isLoopback(host)) return promisesLookup.call(this, host, options);
  return Promise.reject(refusal(host));
};
