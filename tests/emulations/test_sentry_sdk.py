"""The official sentry-sdk (Python) against the running sandbox's Sentry emulation, read back through
the events API as a user reads "my event": its stack trace, user, tags, breadcrumbs and release.

The SDK compresses every envelope: brotli when the `brotli` package is importable (its default),
gzip otherwise or when asked (`_experiments.transport_compression_algo`). Each test sends under
a marker of its own, since other tests share the sandbox.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
import sentry_sdk
from sentry_sdk.integrations.stdlib import StdlibIntegration

from tests.emulations.sentry_clients import api, auth, page_dsn  # fixtures among them, found by name

RELEASE = "kulti-smoke@1.2.3+build.7"


@pytest.fixture(scope="module")
def dsn(sandbox) -> str:
    found = page_dsn(sandbox)
    if found is None:
        pytest.skip("no Kulti page with a kulti-config JSON to read the DSN from")
    return found


@contextmanager
def sdk(dsn: str, **options):
    """sentry_sdk set up for one block, in a scope of its own; flushed and put away after it. Of the
    default integrations only Stdlib's, which adds the `runtime` context."""
    sentry_sdk.init(dsn=dsn, default_integrations=False, integrations=[StdlibIntegration()],
                    auto_enabling_integrations=False, **options)
    client = sentry_sdk.get_client()
    try:
        with sentry_sdk.isolation_scope() as scope:
            yield client, scope
        assert sentry_sdk.flush(timeout=10) is None
    finally:
        client.close()
        sentry_sdk.get_global_scope().set_client(None)


def fail_deep(marker: str) -> None:
    raise ValueError(f"checkout failed {marker}")


def fail(marker: str) -> None:
    fail_deep(marker)


def send_errors(dsn: str, marker: str, compression: str | None, **options) -> tuple[str, str]:
    """An exception and a message, with a user and a breadcrumb, sent and flushed."""
    experiments = {"transport_compression_algo": compression} if compression else {}
    with sdk(dsn, release=RELEASE, environment="sdk-test", _experiments=experiments, **options) as (client, _):
        # what the SDK will do with the body: proof that the request is compressed
        assert client.transport._compression_algo == (compression or ("br" if brotli_importable() else "gzip"))
        sentry_sdk.set_user({"id": f"user-{marker}", "email": f"{marker}@example.com"})
        sentry_sdk.add_breadcrumb(category="ui.click", message=f"pressed pay {marker}", level="info")
        try:
            fail(marker)
        except ValueError:
            error_id = sentry_sdk.capture_exception()
        message_id = sentry_sdk.capture_message(f"payment retried {marker}", level="warning")
    return error_id, message_id


def brotli_importable() -> bool:
    try:
        import brotli  # noqa: F401
    except ImportError:
        return False
    return True


def listed(api, auth, marker: str, **params) -> list[dict]:
    r = api.get("", headers=auth, params={"query": marker, **params})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("compression", ["gzip", pytest.param("br", id="br"), None])
def test_compressed_envelopes_are_read_back_with_stack_trace_and_user(dsn, api, auth, compression):
    if compression == "br":
        pytest.importorskip("brotli")
    marker = uuid.uuid4().hex[:12]
    error_id, message_id = send_errors(dsn, marker, compression)
    assert {e["eventID"] for e in listed(api, auth, marker)} == {error_id, message_id}
    event = api.get(f"{error_id}/", headers=auth).json()
    assert event["title"] == f"ValueError: checkout failed {marker}" and event["platform"] == "python"
    assert event["user"]["id"] == f"user-{marker}" and event["user"]["email"] == f"{marker}@example.com"
    exception = next(e for e in event["entries"] if e["type"] == "exception")
    frames = exception["data"]["values"][0]["stacktrace"]["frames"]
    assert [f["function"] for f in frames][-2:] == ["fail", "fail_deep"]
    assert frames[-1]["module"] == "tests.emulations.test_sentry_sdk" and frames[-1]["inApp"]
    assert [line for _, line in frames[-1]["context"] if "raise ValueError" in line]
    assert event["culprit"] == "tests.emulations.test_sentry_sdk in fail_deep"


def test_derived_tags_breadcrumbs_and_the_release(dsn, api, auth):
    marker = uuid.uuid4().hex[:12]
    error_id, _ = send_errors(dsn, marker, "gzip", server_name="kulti-ci-1")
    event = api.get(f"{error_id}/", headers=auth).json()
    tags = {t["key"]: t for t in event["tags"]}
    assert tags["user"] == {"key": "user", "value": f"id:user-{marker}", "query": f'user.id:"user-{marker}"'}
    assert {k: tags[k]["value"] for k in ("level", "environment", "release", "server_name")} == {
        "level": "error", "environment": "sdk-test", "release": RELEASE, "server_name": "kulti-ci-1"}
    assert tags["runtime.name"]["value"] == "CPython" and tags["runtime"]["value"].startswith("CPython 3.")
    assert [e["type"] for e in event["entries"]] == ["exception", "breadcrumbs"]
    crumbs = next(e for e in event["entries"] if e["type"] == "breadcrumbs")["data"]["values"]
    assert [(c["category"], c["message"], c["level"]) for c in crumbs] == [("ui.click", f"pressed pay {marker}", "info")]
    release = event["release"]
    assert release["version"] == RELEASE and release["status"] == "open" and release["newGroups"] >= 1
    assert release["versionInfo"] == {
        "package": "kulti-smoke", "description": "1.2.3 (build.7)", "buildHash": None,
        "version": {"raw": "1.2.3+build.7", "major": 1, "minor": 2, "patch": 3, "pre": None,
                    "buildCode": "build.7", "components": 3}}
    assert release["firstEvent"] <= release["lastEvent"] and release["projects"][0]["slug"]


def test_a_nan_in_extra_reaches_the_api_as_the_sdk_writes_it(dsn, api, auth):
    """sentry-sdk writes NaN as the string "nan" (serializer.py safe_repr; json_dumps allow_nan=False),
    so the event is stored, and every page that shows it still answers."""
    marker = uuid.uuid4().hex[:12]
    with sdk(dsn) as (_, scope):
        scope.set_extra("conversion_rate", float("nan"))
        event_id = sentry_sdk.capture_message(f"rate missing {marker}")
    (full,) = listed(api, auth, marker, full="true")
    assert full["eventID"] == event_id and full["context"]["conversion_rate"] == "nan"
    assert api.get(f"{event_id}/", headers=auth).json()["context"] == {"conversion_rate": "nan"}


def test_list_filters_narrow_to_my_events(dsn, api, auth):
    marker = uuid.uuid4().hex[:12]
    error_id, message_id = send_errors(dsn, marker, "gzip")
    assert [e["eventID"] for e in listed(api, auth, f"CHECKOUT FAILED {marker}")] == [error_id]  # any case
    assert [e["eventID"] for e in listed(api, auth, f"payment retried {marker}")] == [message_id]
    assert len(listed(api, auth, marker, statsPeriod="1h")) == 2
    assert listed(api, auth, marker, start="2020-01-01T00:00:00", end="2020-01-02T00:00:00") == []
    # not search syntax: the endpoint looks for this text in the message, which holds none of it
    assert listed(api, auth, f'user.email:"{marker}@example.com"') == []
    r = api.get("", headers=auth, params={"statsPeriod": "an hour"})
    assert (r.status_code, r.json()) == (400, {"detail": "Invalid date range parameters provided"})
