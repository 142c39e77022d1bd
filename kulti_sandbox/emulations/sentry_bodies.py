"""Intake request bodies as Relay reads them: Content-Encoding, the legacy store encodings, strict JSON.

Sources (getsentry/relay unless named):
- relay-server/src/services/server/mod.rs: every route sits behind tower-http's
  RequestDecompressionLayer, after `middlewares::remove_empty_encoding`
  (middlewares/decompression.rs), which drops an empty or "UTF-8" Content-Encoding (sentry-ruby
  and old sentry-java send those). getsentry/relay#4089 enabled zstd next to gzip, deflate, br.
- tower-rs/tower-http src/decompression/request/{service,future}.rs: the encoding is matched
  byte for byte ("gzip", "deflate", "br", "zstd", "identity"); anything else is answered
  415 with an empty body and `Accept-Encoding` listing what is accepted (compression_utils.rs
  orders it "zstd,gzip,deflate,br"). That answer comes from outside the route, so it carries
  none of the route's CORS headers. A body that fails to decompress fails axum's body
  buffering: 400 text/plain "Failed to buffer the request body: <error>".
- relay-server/src/endpoints/store.rs `decode_bytes`: a store body that does not start with
  "{" is base64 (strict), then zlib unless the decoded bytes start with "{"; failures are
  400 "invalid request body" with the decoder's message as the cause.
- store.rs `parse_event` + getsentry/rust-json-forensics src/lib.rs: only for a client
  (`sentry_client` of the auth) starting "raven-python/" or "sentry-python/", the bare tokens
  NaN and Infinity outside strings become 0 and integers too large for 64 bits become 0;
  everyone else's NaN (or a number beyond f64, which Python would read as inf) is invalid JSON,
  as serde_json reads it (endpoints/common.rs:
  `invalid JSON data: {serde error:?}`). Today's sentry-python identifies as
  "sentry.python/..." and never writes NaN (sentry_sdk/utils.py json_dumps allow_nan=False).

The error text after "Failed to buffer the request body:" is Python's decoder message, not the
Rust decoder's; Python's own JSON error messages are mapped to serde_json's for the common cases.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import math
import re
import zlib

try:  # optional decoders: without them the encoding is refused as an unsupported one
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None
try:
    from compression import zstd  # Python 3.14+
except ImportError:
    try:
        import zstandard as zstd
    except ImportError:  # pragma: no cover - depends on the environment
        zstd = None

BUFFER_ERROR = "Failed to buffer the request body"
PYTHON_CLIENTS = ("raven-python/", "sentry-python/")
NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")
# json-forensics' states, as one scan: a string (left alone), NaN, Infinity, or a digit run
FORENSICS_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*(?:"|$)|NaN|Infinity|[0-9]+', re.S)
U64_MAX = 2**64 - 1
# Python json's messages -> serde_json's (serde_json/src/error.rs ErrorCode Display)
SERDE_MESSAGES = {
    "Expecting value": "expected value",
    "Extra data": "trailing characters",
    "Expecting property name enclosed in double quotes": "key must be a string",
    "Expecting ',' delimiter": "expected `,` or `}`",
    "Expecting ':' delimiter": "expected `:`",
    "Unterminated string starting at": "EOF while parsing a string",
    "Invalid control character at": "control character (\\u0000-\\u001F) found while parsing a string",
}


class UnsupportedEncoding(Exception):
    """tower-http's 415: the Content-Encoding is not one Relay decodes."""


class UnreadableBody(Exception):
    """The body could not be read: (status, message), answered as plain text."""


class RelayJsonError(ValueError):
    """Invalid JSON as serde_json reports it: `detail` and `cause` of Relay's error body."""

    def __init__(self, message: str, line: int, column: int):
        self.detail = f'invalid JSON data: Error("{message}", line: {line}, column: {column})'
        self.cause = f"{message} at line {line} column {column}"
        super().__init__(self.cause)


class StoreBodyError(ValueError):
    """decode_bytes failed; the message is the cause Relay reports."""


def _zstd_decompress(raw: bytes) -> bytes:
    if zstd.__name__ == "zstandard":  # its one-shot decompress needs the size in the frame header
        return zstd.ZstdDecompressor().decompressobj().decompress(raw)
    return zstd.decompress(raw)


def decoders() -> dict:
    """Encoding -> decoder, in the order tower-http lists them in Accept-Encoding."""
    found = {"zstd": _zstd_decompress if zstd else None, "gzip": gzip.decompress,
             "deflate": zlib.decompress,  # HTTP's "deflate" is the zlib format (RFC 9110 8.4.1.2)
             "br": brotli.decompress if brotli else None}
    return {name: fn for name, fn in found.items() if fn}


def accept_encoding() -> str:
    return ",".join(decoders()) or "identity"


def decoded_body(raw: bytes, content_encoding: str | None) -> bytes:
    """The body after Relay's decompression layer."""
    if content_encoding is None or content_encoding == "" or content_encoding.lower() == "utf-8":
        return raw
    if content_encoding == "identity":
        return raw
    decoder = decoders().get(content_encoding)
    if decoder is None:
        raise UnsupportedEncoding(content_encoding)
    try:
        return decoder(raw)
    except Exception as exc:  # each library raises its own error type
        raise UnreadableBody(400, f"{BUFFER_ERROR}: {exc}") from exc


def legacy_store_body(body: bytes) -> bytes:
    """store.rs decode_bytes: JSON as is, else base64, else base64 of zlib."""
    if not body or body.startswith(b"{"):
        return body
    if bad := NOT_BASE64.search(body):  # data_encoding's DecodeError wording
        raise StoreBodyError(f"invalid symbol at {bad.start()}")
    if len(body) % 4:
        raise StoreBodyError(f"invalid length at {len(body) - len(body) % 4}")
    try:
        binary = base64.b64decode(body, validate=True)
    except binascii.Error as exc:
        raise StoreBodyError(f"invalid padding at {body.find(b'=')}") from exc
    if binary.startswith(b"{"):
        return binary
    try:
        return zlib.decompress(binary)
    except zlib.error as exc:
        raise StoreBodyError("corrupt deflate stream") from exc  # flate2's io::Error text


def _forensics_replacement(match: re.Match) -> bytes:
    token = match.group(0)
    if token.startswith(b'"'):
        return token
    if token in (b"NaN", b"Infinity"):
        return b"0" + b" " * (len(token) - 1)
    following = match.string[match.end():match.end() + 1]
    if following in (b".", b"e", b"E") or int(token) <= U64_MAX:
        return token  # a float's digits, or an integer that fits
    return b"0" + b" " * (len(token) - 1)


def translate_python_json(raw: bytes) -> bytes:
    """json-forensics translate_slice: same length, the invalid tokens made parseable."""
    return FORENSICS_TOKEN.sub(_forensics_replacement, raw)


def _refuse_constant(name: str):
    raise ValueError(name)


class _OutOfRange(ValueError):
    """A number serde_json cannot hold in an f64 (Python would read it as inf)."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _OutOfRange(text)
    return value


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _first_bare_constant(text: str) -> tuple[str, int]:
    """serde_json's complaint about the first NaN/Infinity outside a string, and where."""
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|(-?)(NaN|Infinity)', text, re.S):
        if match.group(2):  # after a minus sign serde_json is reading a number already
            return ("invalid number" if match.group(1) else "expected value"), match.start(2)
    return "expected value", 0


def relay_json(raw: bytes):
    """JSON as serde_json accepts it: no NaN or Infinity; errors in serde_json's words."""
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        message = next((v for k, v in SERDE_MESSAGES.items() if exc.msg.startswith(k)), exc.msg)
        raise RelayJsonError(message, exc.lineno, exc.colno) from exc
    except _OutOfRange as exc:
        raise RelayJsonError("number out of range", *_position(text, max(text.find(str(exc)), 0))) from exc
    except ValueError as exc:  # a bare NaN / Infinity that Python would have taken
        message, index = _first_bare_constant(text)
        raise RelayJsonError(message, *_position(text, index)) from exc


def store_event_json(body: bytes, client: str | None):
    """The store endpoint's event: Python clients' NaN forgiven, everyone else's refused."""
    if client and client.startswith(PYTHON_CLIENTS):
        body = translate_python_json(body)
    return relay_json(body)
