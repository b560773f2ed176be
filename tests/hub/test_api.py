"""The hub's HTTP answers: auth, visibility, limits, validation, idempotent push, errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from specialist_tui.domain.enums import TicketPriority, TicketStatus
from specialist_tui.hub import admin
from specialist_tui.wire import ChangesPage, PushResult
from tests.hub.conftest import World


def _call(world: World, serial: int, **extra: object) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "unit_code": world.code(serial),
        "started_at": "2024-06-20T10:00:00+08:00",
        "outcome": "reached",
        "topics": ["payment"],
        **extra,
    }


def _pull_all(world: World, who: str) -> ChangesPage:
    with world.http(who) as http:
        page = ChangesPage.model_validate_json(
            http.get("/api/v1/changes", params={"limit": 10_000}).content
        )
    assert not page.has_more
    return page


def _keys(page: ChangesPage, kind: str) -> list[str]:
    return sorted(c.key for c in page.changes if c.kind == kind and c.op == "upsert")


def test_health_me_and_openapi(world: World) -> None:
    with world.http(None) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        schema = http.get("/openapi.json").json()
    for name in ("ChangesPage", "PushRequest", "PushResult", "Me", "Ticket", "Order"):
        assert name in schema["components"]["schemas"]
    assert "bearerAuth" in str(schema) or "HTTPBearer" in str(schema)
    with world.http("lead") as http:
        me = http.get("/api/v1/me").json()
    assert (me["specialist_id"], me["role"], me["center_code"]) == ("lead", "lead", "QH01")


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer nonsense", "Bearer sth_0123456789abcdef_wrongsecret", "Basic dXNlcjpwYXNz"],
)
def test_every_api_call_needs_a_valid_token(world: World, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with world.http(None) as http:
        for method, path in (("GET", "/api/v1/me"), ("GET", "/api/v1/changes")):
            response = http.request(method, path, headers=headers)
            assert response.status_code == 401
            assert response.json()["detail"] == "token wrong or revoked"
        assert http.post("/api/v1/push", json={}, headers=headers).status_code == 401


def test_a_rotated_token_stops_working_at_once(world: World) -> None:
    old = world.tokens["a"]
    world.tokens["a"] = admin.rotate_token(world.store, "a")
    with world.http("a") as http:
        assert http.get("/api/v1/me").status_code == 200
        assert http.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_two_specialists_never_see_each_others_units_and_a_lead_sees_both(world: World) -> None:
    a, b, lead = (_pull_all(world, who) for who in ("a", "b", "lead"))
    assert _keys(a, "unit") == world.codes("a")
    assert _keys(b, "unit") == world.codes("b")
    assert _keys(lead, "unit") == sorted(world.codes("a") + world.codes("b"))
    assert _keys(a, "order") == world.order_keys("a")
    assert _keys(b, "order") == world.order_keys("b")
    assert len(_keys(lead, "order")) == len(world.order_keys("a") + world.order_keys("b"))
    assert {c.split(":")[0] for c in _keys(a, "filing")} == set(world.codes("a"))
    # Everyone sees their center and its specialists (names only: no token material).
    assert _keys(a, "center") == ["QH01"]
    assert "token" not in a.model_dump_json()


def test_a_foreign_unit_is_not_found_whether_or_not_it_exists(world: World) -> None:
    with world.http("a") as http:
        own = http.get(f"/api/v1/units/{world.codes('a')[0]}")
        foreign = http.get(f"/api/v1/units/{world.codes('b')[0]}")
        missing = http.get(f"/api/v1/units/{world.code(999)}")
    assert own.status_code == 200
    assert {r["kind"] for r in own.json()["records"]} == {"unit", "filing", "order"}
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "not found", "fields": []}
    with world.http("lead") as http:
        assert http.get(f"/api/v1/units/{world.codes('b')[0]}").status_code == 200


def test_a_specialist_cannot_write_to_a_foreign_unit(world: World) -> None:
    foreign = _call(world, world.units["b"][0])
    missing = _call(world, 999)
    with world.http("a") as http:
        result = PushResult.model_validate(
            http.post("/api/v1/push", json={"calls": [foreign, missing]}).json()
        )
    assert [(i.status, i.reason) for i in result.items] == [("rejected", "not found")] * 2
    assert world.store.count("call") == 0


def test_the_same_push_twice_is_stored_once(world: World) -> None:
    ticket = world.ticket(1).model_dump(mode="json")
    event = {
        "ticket_id": ticket["id"],
        "at": "2024-06-01T09:00:00+08:00",
        "kind": "comment",
        "comment": "已联系财务",
        "id": str(uuid.uuid4()),
    }
    body = {
        "calls": [_call(world, 1), _call(world, 2)],
        "tickets": [{"ticket": ticket, "base_version": None}],
        "ticket_events": [event],
    }
    with world.http("a") as http:
        first = PushResult.model_validate(http.post("/api/v1/push", json=body).json())
        second = PushResult.model_validate(http.post("/api/v1/push", json=body).json())
    assert [i.status for i in first.items] == ["accepted"] * 4
    assert [i.status for i in second.items] == ["duplicate"] * 4
    assert [i.id for i in first.items] == [i.id for i in second.items]
    assert (world.store.count("call"), world.store.count("ticket")) == (2, 1)
    assert world.store.count("ticket_event") == 1
    # The author is whoever holds the token.
    stored = world.store.record_json("call", body["calls"][0]["id"])  # type: ignore[index]
    assert stored is not None and '"author":"a"' in stored


def test_a_stale_ticket_update_is_a_conflict_carrying_the_hubs_ticket(world: World) -> None:
    ticket = world.ticket(1)
    new = {"ticket": ticket.model_dump(mode="json"), "base_version": None}
    with world.http("a") as a, world.http("lead") as lead:
        a.post("/api/v1/push", json={"tickets": [new]})
        by_lead = ticket.model_copy(update={"status": TicketStatus.IN_PROGRESS}).model_dump(
            mode="json"
        )
        accepted = lead.post(
            "/api/v1/push", json={"tickets": [{"ticket": by_lead, "base_version": 1}]}
        ).json()["items"][0]
        by_a = ticket.model_copy(update={"priority": TicketPriority.URGENT}).model_dump(mode="json")
        stale = a.post(
            "/api/v1/push", json={"tickets": [{"ticket": by_a, "base_version": 1}]}
        ).json()["items"][0]
    assert (accepted["status"], accepted["ticket"]["version"]) == ("accepted", 2)
    assert stale["status"] == "conflict"
    assert stale["ticket"]["version"] == 2
    assert stale["ticket"]["status"] == "in_progress"
    assert stale["ticket"]["priority"] == "normal"


def test_a_body_over_the_limit_gets_413(world: World) -> None:
    big = b"x" * (world.max_body + 1)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit applies as it streams in
        for _ in range(world.max_body // 1024 + 2):
            yield b"y" * 1024

    with world.http("a") as http:
        declared = http.post("/api/v1/push", content=big)
        streamed = http.post("/api/v1/push", content=chunks())
    for response in (declared, streamed):
        assert response.status_code == 413
        assert "larger than" in response.json()["detail"]


def test_malformed_json_and_invalid_fields_get_422_naming_the_field(world: World) -> None:
    bad_call = _call(world, 1, started_at="yesterday")
    with world.http("a") as http:
        syntax = http.post(
            "/api/v1/push", content=b'{"calls": [', headers={"Content-Type": "application/json"}
        )
        field = http.post("/api/v1/push", json={"calls": [bad_call]})
        extra = http.post("/api/v1/push", json={"calls": [], "hack": 1})
        cursor = http.get("/api/v1/changes", params={"since": "not-a-cursor"})
        limit = http.get("/api/v1/changes", params={"limit": 0})
    assert {r.status_code for r in (syntax, field, extra, cursor, limit)} == {422}
    assert syntax.json()["fields"] == ["body"]
    assert field.json()["fields"] == ["calls.0.started_at"]
    assert "calls.0.started_at" in field.json()["detail"]
    assert extra.json()["fields"] == ["hack"]
    assert cursor.json()["fields"] == ["since"]
    assert limit.json()["fields"] == ["limit"]


def test_an_unexpected_error_is_a_500_without_a_stack_trace(world: World) -> None:
    # Break the database behind the hub's back: a real failure, not a planted one.
    with world.store.transaction() as db:
        db.execute("DROP TABLE changes")
    with world.http("a") as http:
        response = http.get("/api/v1/changes")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error", "fields": []}
    for leak in ("Traceback", "File ", "sqlite", "psycopg", "changes"):
        assert leak not in response.text
