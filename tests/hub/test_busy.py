"""A database too busy to take a request in time: the hub answers 503 with Retry-After (never
500), and the sync client waits as long as it is asked before trying again."""

from __future__ import annotations

import sqlite3
import uuid

import httpx
import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.client.sync import SyncClient, protocol
from specialist_tui.hub import backend_sqlite
from tests.hub.conftest import World


@pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)
def test_a_push_waiting_too_long_for_the_writer_lock_is_answered_503(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backend_sqlite, "BUSY_TIMEOUT", 0.2)
    world.restart()  # its connections are opened with the short wait
    other = sqlite3.connect(world.db, isolation_level=None)  # an admin command's long write
    other.execute("BEGIN IMMEDIATE")
    call = {
        "id": str(uuid.uuid4()),
        "unit_code": world.code(1),
        "started_at": "2024-06-20T10:00:00+08:00",
        "outcome": "reached",
    }
    try:
        with world.http("a") as http:
            answer = http.post("/api/v1/push", json={"calls": [call]})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert answer.status_code == 503
    assert answer.headers["retry-after"].isdigit()
    assert "busy" in answer.json()["detail"]
    with world.http("a") as http:  # once the lock is free, the same push goes through
        assert (
            http.post("/api/v1/push", json={"calls": [call]}).json()["items"][0]["status"]
            == "accepted"
        )


class _Busy(httpx.BaseTransport):
    """Answers 503 with Retry-After to the first request, then passes through to the hub."""

    def __init__(self) -> None:
        self.seen = 0
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        if self.seen == 1:
            return httpx.Response(503, headers={"Retry-After": "7"}, json={"detail": "busy"})
        return self.real.handle_request(request)


def test_the_client_waits_as_long_as_a_busy_hub_asks(
    world: World, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(protocol.time, "sleep", waits.append)
    settings = world.settings("a", cache.path.parent)
    busy = _Busy()
    client = SyncClient(settings, cache, world.policy, world.today, backoff=0.01, transport=busy)
    assert client.sync().pulled > 0
    assert waits[0] == 7  # Retry-After, not the 0.01 s backoff


def test_a_huge_retry_after_is_bounded() -> None:
    answer = httpx.Response(503, headers={"Retry-After": "86400"})
    assert protocol._retry_after(answer) == protocol.MAX_RETRY_AFTER
    assert protocol._retry_after(httpx.Response(500, headers={"Retry-After": "5"})) == 0
    assert protocol._retry_after(httpx.Response(503, headers={"Retry-After": "soon"})) == 0
