"""Sentry intake with hand-built bodies, in process: every Content-Encoding Relay decodes and how it
refuses the rest, the legacy /store/ encodings, NaN as Relay treats it, and the routes Relay lacks.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib

import pytest

from tests.emulations.sentry_clients import client, envelope, js_event, sb, urls  # fixtures among them

ENCODERS = {"gzip": gzip.compress, "deflate": zlib.compress, "identity": lambda b: b, "": lambda b: b,
            "UTF-8": lambda b: b}


def encoder(name: str):
    if name == "br":
        return pytest.importorskip("brotli").compress
    if name == "zstd":
        return pytest.importorskip("zstandard").ZstdCompressor().compress
    return ENCODERS[name]


def listed_ids(client, urls, **params) -> list[str]:
    r = client.get(urls["events"], headers=urls["auth"], params=params)
    assert r.status_code == 200, r.text
    return [e["eventID"] for e in r.json()]


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "identity", "", "UTF-8"])
def test_each_encoding_relay_decodes_is_accepted(client, urls, encoding):
    ev = js_event()
    r = client.post(urls["intake"], content=encoder(encoding)(envelope(ev)), headers={"Content-Encoding": encoding})
    assert (r.status_code, r.json()) == (200, {"id": ev["event_id"]})
    assert listed_ids(client, urls) == [ev["event_id"]]


@pytest.mark.parametrize("encoding", ["compress", "GZIP", "gzip, br"])
def test_other_encodings_get_tower_https_415(client, urls, encoding):
    r = client.post(urls["intake"], content=gzip.compress(envelope(js_event())), headers={"Content-Encoding": encoding})
    assert (r.status_code, r.content) == (415, b"")
    assert r.headers["accept-encoding"] == "zstd,gzip,deflate,br"
    assert "access-control-allow-origin" not in r.headers  # answered before the route's CORS layer


def test_a_body_that_does_not_decompress_fails_body_buffering(client, urls):
    r = client.post(urls["intake"], content=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("Failed to buffer the request body: ")
    assert r.headers["access-control-allow-origin"] == "*"


def test_store_reads_json_base64_zlib_and_envelopes(client, urls):
    plain, b64, packed, compressed, enveloped = (js_event() for _ in range(5))
    bodies = [
        (json.dumps(plain).encode(), {}),
        (base64.b64encode(json.dumps(b64).encode()), {}),
        (base64.b64encode(zlib.compress(json.dumps(packed).encode())), {}),
        (gzip.compress(json.dumps(compressed).encode()), {"Content-Encoding": "gzip"}),
        (envelope(enveloped), {"Content-Type": "application/x-sentry-envelope"}),
    ]
    for body, headers in bodies:
        assert client.post(urls["store"], content=body, headers=headers).status_code == 200
    sent = {e["event_id"] for e in (plain, b64, packed, compressed, enveloped)}
    assert set(listed_ids(client, urls)) == sent


@pytest.mark.parametrize("body, cause", [
    (b'  {"message": "leading blanks are not JSON to decode_bytes"}', "invalid symbol at 0"),
    (b"abcde", "invalid length at 4"),
    (base64.b64encode(b"neither JSON nor zlib"), "corrupt deflate stream"),
])
def test_store_bodies_that_do_not_decode(client, urls, body, cause):
    r = client.post(urls["store"], content=body)
    assert (r.status_code, r.json()) == (400, {"detail": "invalid request body", "causes": [cause]})


NAN_EVENT = b'{"message":"rate","extra":{"conversion_rate":NaN}}'


def test_store_refuses_nan_as_serde_json_does(client, urls):
    r = client.post(urls["store"], content=NAN_EVENT)
    assert (r.status_code, r.json()) == (400, {
        "detail": 'invalid JSON data: Error("expected value", line: 1, column: 46)',
        "causes": ["expected value at line 1 column 46"]})
    assert listed_ids(client, urls) == []


def test_a_number_beyond_f64_is_refused_not_stored_as_infinity(client, urls):
    r = client.post(urls["store"], content=b'{"message":"huge","extra":{"x":1e999}}')
    assert r.status_code == 400 and r.json()["causes"][0].startswith("number out of range at line 1")
    assert listed_ids(client, urls, full="true") == []


def test_store_forgives_nan_from_old_python_clients_only(client, urls):
    for client_name, status in (("sentry-python/0.14.0", 200), ("raven-python/6.10.0", 200), ("sentry.python/2.40.0", 400)):
        r = client.post(f"{urls['store']}&sentry_client={client_name}", content=NAN_EVENT)
        assert r.status_code == status, client_name
    events = client.get(urls["events"], headers=urls["auth"], params={"full": "true"}).json()
    assert [e["context"] for e in events] == [{"conversion_rate": 0}] * 2  # json-forensics writes NaN as 0


def test_an_envelope_event_with_nan_is_accepted_then_dropped(client, urls, sb):
    good = js_event()
    bad_id = "f" * 32
    body = b"\n".join([json.dumps({"event_id": bad_id}).encode(), b'{"type":"event"}',
                       b'{"event_id":"' + bad_id.encode() + b'","extra":{"x":NaN}}', b""])
    assert client.post(urls["intake"], content=body).json() == {"id": bad_id}  # Relay answers before processing
    client.post(urls["intake"], content=envelope(good))
    assert listed_ids(client, urls, full="true") == [good["event_id"]]
    r = client.get(f"{urls['events']}{bad_id}/", headers=urls["auth"])
    assert (r.status_code, r.json()) == (404, {"detail": "Event not found"})


def test_nan_in_the_envelope_header_is_an_invalid_envelope(client, urls):
    r = client.post(urls["intake"], content=b'{"event_id":"' + b"a" * 32 + b'","x":NaN}\n')
    assert (r.status_code, r.json()) == (400, {"detail": "invalid event envelope", "causes": ["invalid envelope header"]})


@pytest.mark.parametrize("path", ["envelope", "store"])
def test_no_trailing_slash_is_a_404_not_a_redirect(client, sb, path):
    c = sb.config.credentials
    r = client.post(f"/sentry/api/{c.sentry_project_id}/{path}?sentry_key={c.sentry_public_key}",
                    content=envelope(js_event()), follow_redirects=False)
    assert (r.status_code, r.content) == (404, b"") and "location" not in r.headers
