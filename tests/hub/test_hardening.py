"""What a stranger or a careless client can send the hub: refused cleanly, never stored to harm.

The probes of issue 9, as tests: the poison push, boundary values that a fresh client must still
take, the token read before the body, the contract's status codes, authorship from the token,
ids that belong to someone else, history accepted after a unit moves.
"""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.domain.enums import CallTopic
from specialist_tui.domain.fields import MAX_CALL_SECONDS, MAX_CONTACTS, MAX_FEN
from specialist_tui.hub.server import start_in_thread
from tests.hub.conftest import World


def _call(world: World, serial: int = 1, **extra: object) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "unit_code": world.code(serial),
        "started_at": "2024-06-20T10:00:00+08:00",
        "outcome": "reached",
        **extra,
    }


def _push(http: httpx.Client, **body: object) -> httpx.Response:
    return http.post("/api/v1/push", json=body)


def _fresh_sync(world: World, who: str, tmp_path: Path) -> None:
    """A client that has never synced takes everything the hub now holds for ``who``."""
    cache = Cache.open(tmp_path / f"fresh-{who}-{uuid.uuid4().hex[:6]}")
    try:
        result = world.client(who, cache).sync()
        assert result.skipped == 0, result.line()
    finally:
        cache.close()


def test_the_poison_push_is_refused_and_every_client_still_syncs(
    world: World, tmp_path: Path
) -> None:
    two_days = _call(world, ended_at="2024-06-22T10:00:00+08:00")  # no duration given
    with world.http("a") as http:
        response = _push(http, calls=[two_days])
    assert response.status_code == 422
    assert "ended_at" in response.json()["detail"] or "calls" in response.json()["fields"][0]
    assert world.store.count("call") == 0
    for who in ("a", "lead"):
        _fresh_sync(world, who, tmp_path)


# Each field at its bound: the hub takes it, and a client that has never synced takes it too.
BOUNDARY_CALLS: list[dict[str, object]] = [
    {"duration_s": MAX_CALL_SECONDS},
    {"started_at": "2024-06-20T00:00:00+08:00", "ended_at": "2024-06-21T00:00:00+08:00"},
    {"started_at": "2000-01-01T00:00:00+08:00"},
    {"started_at": "2100-12-31T23:59:59+08:00"},
    {"started_at": "2100-12-31T15:59:59+00:00"},
    {"contact_name": "张" * 200},
    {"notes": "记" * 4000},
    {"notes": "第一行\n第二行\t制表"},
    {"follow_up_on": "2100-12-31", "follow_up_action": "回" * 500},
    {"topics": [t.value for t in CallTopic]},
]


@pytest.mark.parametrize("extra", BOUNDARY_CALLS, ids=lambda e: ",".join(e))
def test_a_value_at_its_bound_is_stored_and_pulled_by_a_fresh_client(
    world: World, tmp_path: Path, extra: dict[str, object]
) -> None:
    with world.http("a") as http:
        response = _push(http, calls=[_call(world, **extra)])
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["status"] == "accepted"
    for who in ("a", "lead"):
        _fresh_sync(world, who, tmp_path)


OVER_THE_BOUND: list[dict[str, object]] = [
    {"duration_s": MAX_CALL_SECONDS + 1},
    {"started_at": "1999-12-31T23:59:59+08:00"},
    {"started_at": "2101-01-01T00:00:00+08:00"},
    {"started_at": "0001-01-01T00:00:00+14:00"},
    {"started_at": "9999-12-31T23:59:59-14:00"},
    {"ended_at": "9999-12-31T23:59:59-14:00"},
    {"follow_up_on": "9999-12-31"},
    {"contact_name": "张" * 201},
    {"contact_name": "a\x1b]0;x\x07"},
    {"contact_name": "换\n行"},
    {"notes": "记" * 4001},
    {"notes": "\x1b[2J"},
    {"author": "a" * 65},
    {"topics": ["other"] * 9},
    {"duration_s": 10**23},
    {"duration_s": -1},
]


@pytest.mark.parametrize("extra", OVER_THE_BOUND, ids=lambda e: ",".join(e))
def test_a_value_past_its_bound_is_a_422_and_nothing_is_stored(
    world: World, extra: dict[str, object]
) -> None:
    with world.http("a") as http:
        response = _push(http, calls=[_call(world, **extra)])
    assert response.status_code == 422, response.text
    assert response.json()["fields"], response.json()
    assert world.store.count("call") == 0


def test_unit_bounds_are_the_wire_contract() -> None:
    from specialist_tui.domain.models import Unit

    schema = Unit.model_json_schema()["properties"]
    assert schema["contacts"]["maxItems"] == MAX_CONTACTS
    assert schema["staff_count"]["maximum"] == 10**6
    from specialist_tui.domain.models import Order

    assert Order.model_json_schema()["properties"]["amount"]["maximum"] == MAX_FEN


def test_the_token_is_checked_before_the_body_is_read(world: World) -> None:
    with world.http(None) as http:
        for body in (b"{not json", b"[]" * 10, json.dumps({"calls": "x"}).encode()):
            response = http.post(
                "/api/v1/push", content=body, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 401
            assert response.headers["www-authenticate"] == "Bearer"
        # A body over the limit is not even waited for.
        big = http.post("/api/v1/push", content=b"x" * (world.max_body * 4))
        assert big.status_code == 401


def test_docs_pages_are_off_unless_configured(world: World, tmp_path: Path) -> None:
    with world.http(None) as http:
        assert http.get("/docs").status_code == 404
        assert http.get("/redoc").status_code == 404
        assert http.get("/openapi.json").status_code == 200  # the published contract stays
    running = start_in_thread(tmp_path / "docs.sqlite", docs=True)
    try:
        assert httpx.get(running.url + "/docs").status_code == 200
    finally:
        running.stop()


def test_a_405_says_what_is_allowed(world: World) -> None:
    with world.http("a") as http:
        response = http.delete("/api/v1/push")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[]", b'{"calls": 1}', b'{"calls": [{}]}', b'{"nope": []}', b"\xff\xfe"],
)
def test_every_invalid_body_is_a_422(world: World, body: bytes) -> None:
    with world.http("a") as http:
        response = http.post(
            "/api/v1/push", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"detail", "fields"}


@pytest.mark.parametrize(
    "cursor", ["v1:" + "9" * 30, "v1:" + "9" * 19, "v2:" + "9" * 25 + ":1", "v1:-1", "v1:٣"]
)
def test_a_cursor_with_a_huge_or_odd_number_is_a_422(world: World, cursor: str) -> None:
    since = base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")
    with world.http("a") as http:
        response = http.get("/api/v1/changes", params={"since": since})
    assert response.status_code == 422


def test_authorship_comes_from_the_token(world: World) -> None:
    ticket = world.ticket(1, author="mallory").model_dump(mode="json")
    event = {
        "id": str(uuid.uuid4()),
        "ticket_id": ticket["id"],
        "at": "2024-06-02T09:00:00+08:00",
        "author": "mallory",
        "kind": "comment",
        "comment": "已联系",
    }
    with world.http("a") as http:
        _push(http, tickets=[{"ticket": ticket, "base_version": None}])
        _push(http, ticket_events=[event], calls=[_call(world, author="mallory")])
    stored_ticket = json.loads(world.store.record_json("ticket", ticket["id"]) or "{}")
    stored_event = json.loads(world.store.record_json("ticket_event", event["id"]) or "{}")
    assert (stored_ticket["author"], stored_event["author"]) == ("a", "a")
    # The lead's edit keeps the creator as the ticket's author.
    edited = {**ticket, "priority": "urgent", "updated_at": "2024-06-03T09:00:00+08:00"}
    with world.http("lead") as http:
        result = _push(http, tickets=[{"ticket": edited, "base_version": 1}]).json()
    assert result["items"][0]["status"] == "accepted"
    assert result["items"][0]["ticket"]["author"] == "a"


def test_the_same_id_for_two_different_calls_is_refused(world: World) -> None:
    same = str(uuid.uuid4())
    first, second = _call(world, id=same, notes="第一次"), _call(world, id=same, notes="第二次")
    with world.http("a") as http:
        items = _push(http, calls=[first, second, first]).json()["items"]
        again = _push(http, calls=[second]).json()["items"]
    assert [i["status"] for i in items] == ["accepted", "rejected", "duplicate"]
    assert again[0]["status"] == "rejected"
    assert json.loads(world.store.record_json("call", same) or "{}")["notes"] == "第一次"


def test_someone_elses_ids_answer_like_unknown_ones(world: World) -> None:
    ticket = world.ticket(1).model_dump(mode="json")
    call = _call(world, 1)
    with world.http("a") as http:
        _push(http, tickets=[{"ticket": ticket, "base_version": None}], calls=[call])
    unknown_unit = {**world.ticket(4).model_dump(mode="json"), "unit_code": world.code(99)}
    with world.http("b") as http:
        theirs = {**world.ticket(4).model_dump(mode="json"), "id": ticket["id"]}
        answers = [
            _push(http, tickets=[{"ticket": theirs, "base_version": None}]),
            _push(http, tickets=[{"ticket": unknown_unit, "base_version": None}]),
            _push(http, calls=[{**_call(world, 4), "id": call["id"]}]),
            _push(http, calls=[_call(world, 99)]),
        ]
    reasons = {(a.json()["items"][0]["status"], a.json()["items"][0]["reason"]) for a in answers}
    assert reasons == {("rejected", "not found")}


def test_history_made_while_the_unit_was_yours_is_accepted_after_it_moves(
    world: World,
) -> None:
    ticket = world.ticket(3).model_dump(mode="json")
    world.store.assign([world.code(3)], "b")
    with world.http("a") as http:
        items = _push(
            http, calls=[_call(world, 3)], tickets=[{"ticket": ticket, "base_version": None}]
        ).json()["items"]
    assert [i["status"] for i in items] == ["accepted", "accepted"]
    with world.http("b") as http:
        page = http.get("/api/v1/changes").json()
    kinds = {c["kind"] for c in page["changes"] if c["op"] == "upsert"}
    assert {"call", "ticket"} <= kinds  # the new owner sees the unit's history
    # a specialist who never held the unit gets nothing in
    with world.http("b") as http:
        other = _push(http, calls=[_call(world, 1)]).json()["items"][0]
    assert (other["status"], other["reason"]) == ("rejected", "not found")
