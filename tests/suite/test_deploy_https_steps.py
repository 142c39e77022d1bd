"""Part C steps 8 and 9 as the smoke test runs them on an https target, which the sandbox is not: the
test's own step functions, driven against a local TLS server whose CA the run trusts (SSL_CERT_FILE),
with the verdict's record read afterwards: a good certificate passes, one expiring within
SMOKE_CERT_MIN_DAYS is a P2 finding, an expired one stops the check as the flow broken (P1)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

import smoke.test_00_deployment_checks as part_c
from fixtures import evidence
from fixtures.budgets import Metrics, load_budgets
from fixtures.expect import ExpectationFailed
from tests.suite.test_deploy_certificate_and_dns import ca, serve  # noqa: F401 (fixtures)

MIN_DAYS = 14


@pytest.fixture
def record(ca, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SSL_CERT_FILE", str(ca[1]))  # the system trust store, as the run would read it
    r = evidence.TestRecord(runbook_id="C", title="Deployment Checks", metrics=Metrics(load_budgets()))
    monkeypatch.setattr(evidence, "_current", r)  # what runbook_record does; put back after the test
    return r


def https(port: int) -> SimpleNamespace:
    return SimpleNamespace(base_url=f"https://localhost:{port}")


SETTINGS = SimpleNamespace(smoke_cert_min_days=MIN_DAYS)


def test_a_good_certificate_passes_step_8(ca, serve, record):  # noqa: F811
    part_c.test_ssl_certificate(https(serve(ca[0], days_valid=90)), SETTINGS)
    assert record.findings == [] and record.not_checked == []
    assert record.steps == ["8. SSL Certificate Verification - openssl s_client -connect host:443"]


def test_a_certificate_expiring_within_the_minimum_is_a_p2_finding(ca, serve, record):  # noqa: F811
    part_c.test_ssl_certificate(https(serve(ca[0], days_valid=3)), SETTINGS)
    [finding] = record.findings
    assert finding.expected == f"Certificate valid at least {MIN_DAYS} more days (SMOKE_CERT_MIN_DAYS)"
    assert finding.impact.severity == "P2"
    assert re.search(r"in (2\.9|3\.0) days \(issuer Smoke Test CA\)", finding.measured), finding.measured


def test_an_expired_certificate_stops_step_8_as_the_flow_broken(ca, serve, record):  # noqa: F811
    with pytest.raises(ExpectationFailed) as failed:
        part_c.test_ssl_certificate(https(serve(ca[0], days_valid=-2, days_old=30)), SETTINGS)
    assert failed.value.impact is None  # no lesser impact named: Part C's FLOW_BROKEN (P1)
    assert failed.value.expected == "Certificate valid and not expired, properly signed, naming the host"
    assert "localhost: certificate has expired" in failed.value.measured


def test_a_certificate_for_another_host_stops_step_8(ca, serve, record):  # noqa: F811
    with pytest.raises(ExpectationFailed, match="Hostname mismatch"):
        part_c.test_ssl_certificate(https(serve(ca[0], host="kulti.example")), SETTINGS)


def test_step_9_resolves_the_host_and_lists_what_it_cannot_check(record):
    part_c.test_dns(https(443))
    assert record.findings == []
    [left] = record.not_checked
    assert left["expectation"] == "DNS points to Vercel; both A and AAAA records; propagated globally"
    assert "A 127.0.0.1" in left["why"]


def test_step_9_fails_a_host_that_does_not_resolve(record):
    with pytest.raises(ExpectationFailed, match="does not resolve"):
        part_c.test_dns(SimpleNamespace(base_url="https://kulti-smoke-no-such-host.invalid"))


def test_on_an_http_target_steps_8_and_9_say_skipped_visibly(record):
    part_c.test_ssl_certificate(SimpleNamespace(base_url="http://127.0.0.1:3000"), SETTINGS)
    part_c.test_dns(SimpleNamespace(base_url="http://127.0.0.1:3000"))
    assert [(n["expectation"], n["why"]) for n in record.not_checked] == [
        ("Certificate valid and not expired, properly signed", "skipped: http target"),
        (f"Certificate valid at least {MIN_DAYS} more days (SMOKE_CERT_MIN_DAYS)", "skipped: http target"),
        ("The host resolves (DNS)", "skipped: http target")]
