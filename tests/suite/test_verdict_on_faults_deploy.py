"""Proof of Part C's deployment checks (smoke/test_00_deployment_checks.py): for each check a sandbox
fault, or a wrong --expect-version, fails it with its own severity and the verdict turns NO-GO; a
healthy runbook shape passes with the certificate and DNS listed as not checked; the launched app's
own departures (X-Frame-Options SAMEORIGIN, no CSP, no /api/health) are reported, never hidden.

The certificate and DNS checks need an https target, which the sandbox is not: their logic is
proven in test_deploy_certificate_and_dns.py against a local TLS server.
"""

from __future__ import annotations

import pytest

from kulti_sandbox import __version__ as SANDBOX_VERSION
from tests.suite.fault_rows import FaultRow, assert_fault_fails_check
from tests.suite.suite_run import run_against

KULTI = "kulti-2025-11"
C = "deployment_checks"
HSTS = "Strict-Transport-Security with a max-age of at least 31536000 s"
XFO, NOSNIFF, CSP = "X-Frame-Options: DENY", "X-Content-Type-Options: nosniff", "Content-Security-Policy present"
HEALTH_OK = 'HTTP 200 with "status": "ok"'
STATIC, API = "Static assets cached", "API routes not cached"
NOT_CHECKED_HTTP = {("Certificate valid and not expired, properly signed", "skipped: http target"),
                    ("Certificate valid at least 14 more days (SMOKE_CERT_MIN_DAYS)", "skipped: http target"),
                    ("The host resolves (DNS)", "skipped: http target")}


def row(fault, value, expected, severity, measured=None, category="functional") -> FaultRow:
    return FaultRow(fault, value, C, "C", category, expected, severity, measured)


RUNBOOK_ROWS = [
    # Step 4 and Part B's "All services responding to health checks"
    row("health_degraded", "database", "Every service healthy", "P1", "unhealthy: database (down"),
    row("health_degraded", "video", "Every service healthy", "P1", "unhealthy: video (down"),
    row("health_status", "500", HEALTH_OK, "P1", "HTTP 500, not JSON"),
    row("health_missing_field", "services", "The health check lists its services", "P2"),
    row("health_missing_field", "environment", '"environment" reported', "P2"),
    row("health_missing_field", "version", '"version" reported', "P2"),
    # Part B "API calls: <1s" for the health check and the API call (2.5 s: well past the budget)
    row("slow_api", "2500", "Health check response", "P2", category="budget"),
    row("slow_api", "2500", "API call response (GET /api/health)", "P2", category="budget"),
    # Step 6
    row("static_not_cached", None, STATIC, "P2", "/static/app.css: no-store"),
    row("api_cached", None, API, "P2", "GET /api/health: public, max-age=600"),
    # Step 7: SECURITY (P1) only where nothing else protects the user
    row("missing_header", "Strict-Transport-Security", HSTS, "P1", "GET /: missing"),
    row("header_value", "Strict-Transport-Security:max-age=0", HSTS, "P1", "GET /api/health: 'max-age=0'"),
    row("header_value", "Strict-Transport-Security:max-age=86400", HSTS, "P2", "max-age=86400 (under 31536000)"),
    row("missing_header", "X-Frame-Options", XFO, "P2", "CSP frame-ancestors still forbids framing"),
    row("header_value", "X-Frame-Options:ALLOWALL", XFO, "P2", "GET /login: ALLOWALL"),
    row("missing_header", "X-Frame-Options,Content-Security-Policy", XFO, "P1", "any site can frame it"),
    row("missing_header", "X-Content-Type-Options", NOSNIFF, "P2", "GET /: missing"),
    row("missing_header", "Content-Security-Policy", CSP, "P2", "GET /api/health: missing"),
]

KULTI_ROWS = [
    row("slow_api", "2500", "API call response (POST /api/invites/validate)", "P2", category="budget"),
    row("static_not_cached", None, STATIC, "P2", "/_kulti/static/kulti.css: no-store"),
    row("api_cached", None, API, "P2", "POST /api/invites/validate: public, max-age=600"),
    row("missing_header", "Strict-Transport-Security", HSTS, "P1", "POST /api/invites/validate: missing"),
    row("header_value", "Strict-Transport-Security:max-age=0", HSTS, "P1"),
    # No CSP in this app: a missing or ignored X-Frame-Options leaves framing open.
    row("missing_header", "X-Frame-Options", XFO, "P1", "GET /: missing (and no CSP frame-ancestors"),
    row("header_value", "X-Frame-Options:ALLOWALL", XFO, "P1", "ALLOWALL (and no CSP frame-ancestors"),
    row("missing_header", "X-Content-Type-Options", NOSNIFF, "P2"),
]


@pytest.mark.parametrize("fault_row", RUNBOOK_ROWS, ids=[r.id for r in RUNBOOK_ROWS])
def test_each_deployment_check_fails_on_the_fault_that_breaks_it(start_sandbox, fault_row):
    assert_fault_fails_check(start_sandbox, fault_row)


@pytest.mark.parametrize("fault_row", KULTI_ROWS, ids=[r.id for r in KULTI_ROWS])
def test_each_deployment_check_fails_on_the_launched_apps_shape(start_sandbox, fault_row):
    assert_fault_fails_check(start_sandbox, fault_row, shape=KULTI, profile=KULTI)


@pytest.mark.parametrize("fault_row, expect", [
    (row(None, None, "Reported version is 0.9.9 (--expect-version)", "P1",
         f"reported {SANDBOX_VERSION}, expected 0.9.9"), "0.9.9"),
    (row("wrong_version", "0.9.9", f"Reported version is v{SANDBOX_VERSION} (--expect-version)", "P1",
         f"reported 0.9.9, expected v{SANDBOX_VERSION}"), f"v{SANDBOX_VERSION}"),
], ids=["expect-other-version", "wrong_version-reported"])
def test_a_version_other_than_expected_fails_naming_both(start_sandbox, fault_row, expect):
    """Part E step 5 "Version shows v0.9.9": the run was told to expect one version, another answers."""
    assert_fault_fails_check(start_sandbox, fault_row, extra_args=("--expect-version", expect))


def test_a_healthy_runbook_deployment_passes_with_tls_and_dns_listed_as_not_checked(start_sandbox):
    run = run_against(start_sandbox(), "-m", "deploy", "-n", "0", "--smoke-no-html",
                      "--expect-version", f"v{SANDBOX_VERSION}")
    verdict = run.verdict
    assert run.exit_code == 0 and verdict["verdict"] == "GO" and verdict["failures"] == [], run.output[-3000:]
    assert verdict["results"]["C"] == "passed"
    assert {(n["expectation"], n["why"]) for n in verdict["not_checked"]} == NOT_CHECKED_HTTP
    assert [m["label"] for m in verdict["metrics"]] == ["Health check response (GET /api/health)",
                                                        "API call response (GET /api/health)"]
    assert "Not checked" in run.output and "skipped: http target" in run.output


def test_the_launched_apps_own_departures_are_reported_not_hidden(start_sandbox):
    run = run_against(start_sandbox("--shape", KULTI), "-m", "deploy", "-n", "0", "--smoke-no-html",
                      "--app-profile", KULTI, "--expect-version", "1.0.0")
    verdict = run.verdict
    found = {(f["expected"].split(":")[0].split(" present")[0], f["severity"], f["measured"])
             for f in run.failures_of("C")}
    sent = "GET /: SAMEORIGIN; GET /login: SAMEORIGIN; POST /api/invites/validate: SAMEORIGIN"
    assert found == {("X-Frame-Options", "P2", sent),
                     ("Content-Security-Policy", "P2",
                      "GET /: missing; GET /login: missing; POST /api/invites/validate: missing")}, found
    assert verdict["verdict"] == "NO-GO" and verdict["results"]["C"] == "failed"
    assert [a["expectation"] for a in verdict["not_in_app"]] == \
        ["/api/health answers status ok, environment and version"]
    assert ("Reported version is 1.0.0 (--expect-version)", "the app has no /api/health: it reports no version") in \
        {(n["expectation"], n["why"]) for n in verdict["not_checked"]}
