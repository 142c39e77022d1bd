"""The services' client sends an idempotent request once more when the server closed the kept-alive
connection without answering, and never a request the server may have acted on
(fixtures/services/http_client.py)."""

from __future__ import annotations

import httpx
import pytest

from fixtures.services.http_client import RetryOnClosedConnection


class ClosesFirst(httpx.BaseTransport):
    """Answers 200, after dropping the first `drops` requests as a stale keep-alive connection does."""

    def __init__(self, drops: int):
        self.drops = drops
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.method)
        if len(self.sent) <= self.drops:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.Response(200, json={"ok": True})


def client(inner: ClosesFirst) -> httpx.Client:
    return httpx.Client(base_url="http://service.test", transport=RetryOnClosedConnection(inner))


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_idempotent_request_on_a_closed_connection_is_sent_once_more(method):
    inner = ClosesFirst(drops=1)
    assert client(inner).request(method, "/rows").status_code == 200
    assert inner.sent == [method, method]


def test_a_post_on_a_closed_connection_is_not_sent_again():
    inner = ClosesFirst(drops=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client(inner).post("/rows", json={})
    assert inner.sent == ["POST"]


def test_a_service_that_drops_twice_is_an_error():
    inner = ClosesFirst(drops=2)
    with pytest.raises(httpx.RemoteProtocolError):
        client(inner).get("/rows")
    assert inner.sent == ["GET", "GET"]
