"""The Sentry emulation: envelope intake as Relay answers it, and the project events API.

Intake and read-back are exercised end to end in process (the public key is known there);
the running `sandbox` is checked with the suite's own settings, taking the DSN from the
`kulti-config` JSON that every Kulti page embeds, exactly as the browser reporter does.
Body encodings, /store/ and NaN: test_sentry_intake.py; the list's filters and what Sentry derives
for an event: test_sentry_events_api.py; the official sentry-sdk: test_sentry_sdk.py.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid

import httpx
import pytest

from kulti_sandbox.config import REGISTERED_HOST_PHONE
from kulti_sandbox.emulations import sentry_events, sentry_serializers
from tests.emulations.sentry_clients import (  # fixtures among them, found by name
    api, auth, client, envelope, intake_url, js_event, page_dsn, sb, urls)
from tests.sandbox.kulti_client import sign_in

DRF_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$")
LINK = re.compile(r'<([^>]+)>; rel="(previous|next)"; results="(true|false)"; cursor="([^"]+)"')
SIMPLE_FIELDS = {"id", "event.type", "groupID", "eventID", "projectID", "message", "title", "location",
                 "culprit", "user", "tags", "platform", "dateCreated", "crashFile", "metadata"}


# ---- envelope format and derived fields ----------------------------------------------------------

def test_parse_envelope_with_and_without_length():
    ev = js_event()
    for body in (envelope(ev), envelope(ev, with_length=False), envelope(ev).rstrip(b"\n")):
        headers, items = sentry_events.parse_envelope(body)
        assert headers["event_id"] == ev["event_id"] and json.loads(items[0][1]) == ev
    with pytest.raises(sentry_events.EnvelopeError):
        sentry_events.parse_envelope(b'{}\n{"type":"event","length":999}\n{}')


def test_title_culprit_location_for_a_browser_error():
    ev = sentry_events.normalize_event(js_event(), "1", None, "10.0.0.1", time.time())
    simple = sentry_serializers.simple_event(ev)
    assert simple["title"] == "TypeError: x is undefined"
    assert simple["culprit"] == "render(room/app)"  # Sentry's "function(module)" for JS frames
    assert simple["location"] == "/static/room/app.js" and simple["message"] == ""


# ---- intake and read-back, in process -----------------------------------------------------------

def test_envelope_accepted_then_listed_with_user_and_frames(client, urls):
    ev = js_event(user_id="user-42")
    r = client.post(urls["intake"], content=envelope(ev), headers={"Origin": "https://kulti.club"})
    assert r.status_code == 200 and r.json() == {"id": ev["event_id"]}
    assert r.headers["access-control-allow-origin"] == "*"
    (listed,) = client.get(urls["events"], headers=urls["auth"]).json()
    assert set(listed) == SIMPLE_FIELDS
    assert listed["id"] == listed["eventID"] == ev["event_id"] and listed["groupID"].isdigit()
    assert listed["user"] == {"id": "user-42", "email": None, "username": "smoke_host", "ip_address": None,
                              "name": None, "data": None}
    assert {"key": "user", "value": "id:user-42", "query": 'user.id:"user-42"'} in listed["tags"]
    assert [t["key"] for t in listed["tags"]] == sorted(t["key"] for t in listed["tags"])
    assert DRF_TIME.match(listed["dateCreated"]) and listed["platform"] == "javascript"
    full = client.get(urls["events"], headers=urls["auth"], params={"full": "true"}).json()[0]
    frames = full["entries"][0]["data"]["values"][0]["stacktrace"]["frames"]
    assert [(f["function"], f["lineNo"], f["inApp"]) for f in frames] == [("onClick", 40, True), ("render", 12, True)]
    assert frames[0]["absPath"].startswith("http://") and frames[0]["filename"] == "/static/room/app.js"
    detail = client.get(f"{urls['events']}{ev['event_id']}/", headers=urls["auth"]).json()
    assert detail["eventID"] == ev["event_id"] and detail["release"]["version"] == "1.0.0"
    assert detail["previousEventID"] is None and detail["nextEventID"] is None


def test_other_ways_to_authenticate_and_the_legacy_store(client, urls, sb):
    c = sb.config.credentials
    base = f"/sentry/api/{c.sentry_project_id}/envelope/"
    by_header = js_event()
    auth = f"Sentry sentry_version=7, sentry_key={c.sentry_public_key}, sentry_client=test/1.0"
    assert client.post(base, content=envelope(by_header), headers={"X-Sentry-Auth": auth}).status_code == 200
    by_dsn = js_event()
    dsn_header = {"event_id": by_dsn["event_id"], "dsn": sb.config.sentry_dsn}
    assert client.post(base, content=envelope(by_dsn, header=dsn_header)).json() == {"id": by_dsn["event_id"]}
    legacy = js_event(user={"id": "7", "ip_address": "{{auto}}"})
    assert client.post(urls["store"], json=legacy).json() == {"id": legacy["event_id"]}
    events = client.get(urls["events"], headers=urls["auth"]).json()
    assert {e["eventID"] for e in events} == {by_header["event_id"], by_dsn["event_id"], legacy["event_id"]}
    assert next(e for e in events if e["eventID"] == legacy["event_id"])["user"]["ip_address"] == "testclient"


def test_same_event_twice_is_stored_once(client, urls):
    ev = js_event()
    for _ in range(2):
        assert client.post(urls["intake"], content=envelope(ev)).json() == {"id": ev["event_id"]}
    assert len(client.get(urls["events"], headers=urls["auth"]).json()) == 1


def test_cursor_paging_follows_the_link_header(client, urls):
    sent = []
    for i in range(5):
        ev = js_event(timestamp=1_700_000_000 + i, message=f"error {i}")
        client.post(urls["intake"], content=envelope(ev))
        sent.append(ev["event_id"])
    seen, url, pages = [], urls["events"] + "?per_page=2", 0
    while url:
        r = client.get(url, headers=urls["auth"])
        links = {rel: (href, results == "true", cursor)
                 for href, rel, results, cursor in LINK.findall(r.headers["link"])}
        assert links["next"][0].endswith(f"per_page=2&cursor={links['next'][2]}")
        seen += [e["eventID"] for e in r.json()]
        pages += 1
        url = links["next"][0] if links["next"][1] else None
    assert seen == sent[::-1] and pages == 3  # newest first, 2 + 2 + 1
    assert links["previous"] == (links["previous"][0], True, "0:2:1")


def test_bad_paging_parameters(client, urls):
    cases = {"per_page=101": "Invalid per_page value. Cannot exceed 100.", "per_page=x": "Invalid per_page parameter.",
             "cursor=nonsense": "Invalid cursor parameter."}
    for query, detail in cases.items():
        r = client.get(f"{urls['events']}?{query}", headers=urls["auth"])
        assert (r.status_code, r.json()) == (400, {"detail": detail})
    r = client.get(f"{urls['events']}{'0' * 32}/", headers=urls["auth"])
    assert (r.status_code, r.json()) == (404, {"detail": "Event not found"})


def test_intake_errors_and_cors(client, urls, sb):
    c = sb.config.credentials
    base = f"/sentry/api/{c.sentry_project_id}/envelope/"
    ev = envelope(js_event())
    cases = [
        (client.post(urls["intake"], content=b""), 400, {"detail": "empty request body"}),
        (client.post(urls["intake"], content=b"not json\n"), 400,
         {"detail": "invalid event envelope", "causes": ["invalid envelope header"]}),
        (client.post(base + "?sentry_key=abc", content=ev), 400,
         {"detail": "bad sentry DSN public key", "causes": ["invalid project key"]}),
        (client.post(urls["intake"], content=ev, headers={"X-Sentry-Auth": f"Sentry sentry_key={c.sentry_public_key}"}),
         401, {"detail": "multiple authorization payloads detected"}),
    ]
    for r, status, body in cases:
        assert (r.status_code, r.json()) == (status, body)
        assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options(urls["intake"],
                         headers={"Origin": "https://kulti.club", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-methods"] == "POST"
    assert "x-sentry-auth" in pre.headers["access-control-allow-headers"]


# ---- against the running sandbox ----------------------------------------------------------------

def test_sandbox_accepts_the_page_dsn_and_lists_the_event(sandbox, api, auth):
    dsn = page_dsn(sandbox)
    if dsn is None:
        pytest.skip("no Kulti page with a kulti-config JSON to read the DSN from yet")
    ev = js_event(user_id=f"sandbox-{uuid.uuid4().hex[:8]}")
    r = httpx.post(intake_url(dsn), content=envelope(ev))
    assert r.status_code == 200 and r.json() == {"id": ev["event_id"]}
    listed = next(e for e in api.get("", headers=auth).json() if e["eventID"] == ev["event_id"])
    assert listed["user"]["id"] == ev["user"]["id"] and listed["title"] == "TypeError: x is undefined"
    detail = api.get(f"{ev['event_id']}/", headers=auth).json()
    frames = detail["entries"][0]["data"]["values"][0]["stacktrace"]["frames"]
    assert [f["function"] for f in frames] == ["onClick", "render"]


def test_sandbox_rejects_unknown_keys_and_projects(sandbox):
    base = f"{sandbox.url}/sentry/api/4508000000000001/envelope/"
    body = envelope(js_event())
    rejected = {"detail": "event submission rejected with_reason: ProjectId"}
    r = httpx.post(f"{base}?sentry_key={'0' * 32}", content=body)
    assert (r.status_code, r.json()) == (403, rejected)
    dsn = page_dsn(sandbox)
    if dsn is not None:  # the right key for the wrong project is refused the same way
        r = httpx.post(intake_url(dsn, project="4508000000000002"), content=body)
        assert (r.status_code, r.json()) == (403, rejected)
    r = httpx.post(base, content=body)
    assert (r.status_code, r.json()) == (401, {"detail": "missing authorization information"})


@pytest.mark.parametrize("header, detail", [
    (None, "Authentication credentials were not provided."),
    ("Bearer", "Invalid token header. No credentials provided."),
    ("Bearer a b", "Invalid token header. Token string should not contain spaces."),
    ("Bearer sntrys_not-the-token", "Invalid org token"),
    ("Bearer 0123456789abcdef", "Invalid token"),
])
def test_sandbox_token_errors(api, header, detail):
    r = api.get("", headers={"Authorization": header} if header else {})
    assert (r.status_code, r.json()) == (401, {"detail": detail})
    assert r.headers["www-authenticate"] == 'xBasic realm="api"'


def test_sandbox_unknown_org_or_project(sandbox, auth):
    root = sandbox.env["SENTRY_API_URL"]
    for org, project in (("not-kulti", sandbox.env["SENTRY_PROJECT"]), (sandbox.env["SENTRY_ORG"], "nope")):
        r = httpx.get(f"{root}/projects/{org}/{project}/events/", headers=auth)
        assert (r.status_code, r.json()) == (404, {"detail": "The requested resource does not exist"})


# ---- the browser reporter (static/error-reporter.js) in a real browser ------------------------

BOOM_JS = "function boomInner(){ throw new TypeError('boom from a file') }\n" \
          "function boomOuter(){ boomInner() }\nsetTimeout(boomOuter, 0);\n"


@pytest.fixture(scope="module")
def chromium(playwright):  # not "browser": pytest-playwright owns that name
    # pytest-playwright's own session: a second sync_playwright() in a process that already ran
    # one of its tests fails ("Sync API inside the asyncio loop"), and on two workers any may have.
    try:
        b = playwright.chromium.launch()
    except Exception:  # Playwright's own build not downloaded: use the system one if any
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            pytest.skip("no Chromium for Playwright on this machine")
        b = playwright.chromium.launch(executable_path=exe)
    yield b
    b.close()


def signed_in_page(chromium, sandbox):
    """A page whose Kulti session is the host test account's, signed in over HTTP."""
    context = chromium.new_context()
    http = sign_in(sandbox, REGISTERED_HOST_PHONE)
    try:
        context.add_cookies([{"name": c.name, "value": c.value, "url": sandbox.url} for c in http.cookies.jar])
    finally:
        http.close()
    page = context.new_page()
    # A same-origin script that throws, as app code would (CSP allows only 'self' scripts).
    page.route("**/static/test-boom.js", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=BOOM_JS))
    return page


def wait_for_event(page, api, auth, title: str, timeout_s: float = 5.0) -> dict | None:
    deadline = time.monotonic() + timeout_s
    # `full` pages hold 10 events: `query` narrows them to the exception's value (the search
    # message holds type and value, not the title's "Type: value").
    value = title.partition(": ")[2]
    while time.monotonic() < deadline:
        found = [e for e in api.get("", headers=auth, params={"full": "true", "query": value}).json()
                 if e["title"] == title]
        if found:
            return found[0]
        page.wait_for_timeout(100)  # not time.sleep: Playwright's sync API only works while called
    return None


def throw_from_file(page) -> None:
    # Waiting on the page error matters: the route that serves the script is answered by this
    # (sync) Playwright client, which only dispatches while one of its calls is in progress.
    with page.expect_event("pageerror"):
        page.evaluate("var s = document.createElement('script'); s.src = '/static/test-boom.js'; "
                      "document.head.appendChild(s)")


def test_browser_reports_an_uncaught_error_with_user_and_frames(chromium, sandbox, api, auth):
    page = signed_in_page(chromium, sandbox)
    page.goto(sandbox.url + "/dashboard")
    config = json.loads(page.text_content("#kulti-config"))
    throw_from_file(page)
    event = wait_for_event(page, api, auth, "TypeError: boom from a file")
    page.context.close()
    assert event is not None, "the page sent no envelope to the Sentry emulation"
    assert event["user"]["id"] == config["user"]["id"] and event["user"]["username"] == "smoke_host"
    frames = event["entries"][0]["data"]["values"][0]["stacktrace"]["frames"]
    assert [(f["function"], f["filename"], f["inApp"]) for f in frames] == [
        ("boomOuter", "/static/test-boom.js", True), ("boomInner", "/static/test-boom.js", True)]
    assert event["culprit"] == "boomInner(test-boom)" and event["platform"] == "javascript"
    tags = {t["key"]: t["value"] for t in event["tags"]}
    assert tags["mechanism"] == "onerror" and tags["handled"] == "no" and tags["url"].endswith("/dashboard")
    assert tags["environment"] == config["sentry"]["environment"] and tags["release"] == config["sentry"]["release"]


def test_browser_reports_nothing_with_sentry_not_reported(chromium, sandbox, api, auth):
    before = len(api.get("", headers=auth).json())
    sandbox.set_fault("sentry_not_reported")
    page = signed_in_page(chromium, sandbox)
    page.goto(sandbox.url + "/dashboard")
    assert page.evaluate("window.kultiReportError(new Error('reported by hand'))") is None
    page.evaluate("setTimeout(function () { Promise.reject(new RangeError('rejected, not reported')) }, 0)")
    throw_from_file(page)
    page.wait_for_timeout(500)
    page.context.close()
    assert len(api.get("", headers=auth).json()) == before  # nothing at all was sent
