"""Events (座谈会 / 培训会 / 上门走访) through a real hub with two specialists and a lead:
each specialist sees only their own units' part, a replay is stored once, a foreign unit
rejects the whole event, and a unit that changes hands takes its part with it."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.fields import BEIJING
from specialist_tui.wire import ChangesPage, PushResult
from tests.hub.conftest import World


def _event(world: World, serials: list[int], **extra: object) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "training",
        "starts_at": "2024-03-05T09:30:00+08:00",
        "place": "西宁市政务服务中心三楼",
        "topic": "832平台采购与预留份额填报培训",
        "specialists": ["a", "b"],
        "attendees": [{"unit_code": world.code(s), "people": 2} for s in serials],
        **extra,
    }


def _push(world: World, who: str, events: list[dict[str, object]]) -> PushResult:
    with world.http(who) as http:
        response = http.post("/api/v1/push", json={"events": events})
    assert response.status_code == 200, response.text
    return PushResult.model_validate(response.json())


def _parts(world: World, who: str) -> dict[str, dict[str, object]]:
    with world.http(who) as http:
        page = ChangesPage.model_validate_json(
            http.get("/api/v1/changes", params={"limit": 10_000}).content
        )
    return {
        c.key: c.record.model_dump(mode="json")
        for c in page.changes
        if c.kind == "event" and c.op == "upsert" and c.record is not None
    }


def test_each_specialist_sees_their_own_units_part_and_the_lead_sees_all(world: World) -> None:
    a_event = _event(world, [1, 2, 3])
    b_event = _event(world, [4, 5], kind="seminar", topic="预留份额座谈会")
    assert [i.status for i in _push(world, "a", [a_event]).items] == ["accepted"]
    assert [i.status for i in _push(world, "b", [b_event]).items] == ["accepted"]
    mine = _parts(world, "a")
    assert sorted(p["unit_code"] for p in mine.values()) == world.codes("a")
    assert {p["topic"] for p in mine.values()} == {"832平台采购与预留份额填报培训"}
    assert all(p["author"] == "a" and p["people"] == 2 for p in mine.values())
    theirs = _parts(world, "b")
    assert sorted(p["unit_code"] for p in theirs.values()) == world.codes("b")
    assert {p["kind"] for p in theirs.values()} == {"seminar"}
    everything = _parts(world, "lead")
    assert set(everything) == set(mine) | set(theirs)
    assert world.store.count("event") == 5


def test_the_same_event_pushed_twice_is_stored_once(world: World) -> None:
    event = _event(world, [1, 2])
    first = _push(world, "a", [event])
    second = _push(world, "a", [event])
    assert [(i.kind, i.status) for i in first.items] == [("event", "accepted")]
    assert [(i.kind, i.status) for i in second.items] == [("event", "duplicate")]
    assert first.items[0].id == second.items[0].id == uuid.UUID(str(event["id"]))
    assert world.store.count("event") == 2


def test_an_event_with_a_foreign_unit_is_rejected_whole(world: World) -> None:
    result = _push(world, "a", [_event(world, [1, 4])])
    [item] = result.items
    assert item.status == "rejected" and world.code(4) in item.reason
    assert world.store.count("event") == 0
    assert _parts(world, "b") == {}


def test_a_unit_that_changes_hands_takes_its_part_along(world: World) -> None:
    _push(world, "a", [_event(world, [1, 2])])
    world.store.assign([world.code(2)], "b")
    assert [p["unit_code"] for p in _parts(world, "b").values()] == [world.code(2)]
    assert [p["unit_code"] for p in _parts(world, "a").values()] == [world.code(1)]


def test_bad_events_get_422_naming_the_field(world: World) -> None:
    with world.http("a") as http:
        empty = http.post("/api/v1/push", json={"events": [_event(world, [])]})
        twice = http.post("/api/v1/push", json={"events": [_event(world, [1, 1])]})
        backwards = http.post(
            "/api/v1/push",
            json={"events": [_event(world, [1], ends_at="2024-03-05T08:00:00+08:00")]},
        )
    for response in (empty, twice, backwards):
        assert response.status_code == 422
    assert "attendees" in empty.text and "单位重复" in twice.text and "ends_at" in backwards.text


def test_an_event_logged_offline_syncs_once_and_comes_back_to_its_specialist_only(
    world: World, tmp_path: Path
) -> None:
    """Logged with the work log (the shell's and app's path) while offline, pushed by sync,
    stored once although the sync runs again, and pulled back only where it belongs."""
    a_cache, b_cache = Cache.open(tmp_path / "cache-a"), Cache.open(tmp_path / "cache-b")
    try:
        world.client("a", a_cache).sync()
        world.client("b", b_cache).sync()
        service = Service(world.settings("a", a_cache.path.parent, today=world.today), a_cache)
        event = Worklog(service).log_event(
            "training",
            "预留份额填报培训",
            dict.fromkeys(world.codes("a"), 3),
            starts_at=datetime(2024, 3, 5, 9, 30, tzinfo=BEIJING),
            place="西宁市政务服务中心",
        )
        assert a_cache.outbox_count() == 3  # one row per attending unit, until the hub has it
        first = world.client("a", a_cache).sync()
        assert (first.pushed, first.errors, a_cache.outbox_count()) == (1, 0, 0)
        assert world.client("a", a_cache).sync().pushed == 0
        assert world.store.count("event") == 3
        listed = Worklog(service).events()
        assert [(r["id"], r["units"], r["people"], r["pushed"]) for r in listed] == [
            (str(event.id), 3, 9, True)
        ]
        assert a_cache.rows("SELECT COUNT(*) AS n FROM event_attendance")[0]["n"] == 3
        world.client("b", b_cache).sync()
        assert b_cache.rows("SELECT COUNT(*) AS n FROM event_attendance")[0]["n"] == 0
        lead = Cache.open(tmp_path / "cache-lead")
        world.client("lead", lead).sync()
        assert lead.rows("SELECT COUNT(*) AS n FROM event_attendance")[0]["n"] == 3
        lead.close()
    finally:
        a_cache.close()
        b_cache.close()


def _local_parts(cache: Cache) -> list[str]:
    return [r["unit_code"] for r in cache.rows("SELECT unit_code FROM event_attendance")]


def test_pushed_again_with_fewer_units_the_dropped_parts_leave_every_client(
    world: World, tmp_path: Path
) -> None:
    """The lead logs a training for two of a's units and two of b's, then pushes it again
    with one of each: the hub deletes the two dropped parts, and a's and b's caches lose
    them on their next sync; replaying the shorter event changes nothing more."""
    caches = {who: Cache.open(tmp_path / f"cache-{who}") for who in ("a", "b")}
    try:
        event = _event(world, [1, 2, 4, 5])
        assert [i.status for i in _push(world, "lead", [event]).items] == ["accepted"]
        for who, cache in caches.items():
            world.client(who, cache).sync()
        assert sorted(_local_parts(caches["a"])) == [world.code(1), world.code(2)]
        assert sorted(_local_parts(caches["b"])) == [world.code(4), world.code(5)]
        fewer = {**event, "attendees": [{"unit_code": world.code(s), "people": 2} for s in (1, 4)]}
        assert [i.status for i in _push(world, "lead", [fewer]).items] == ["accepted"]
        assert world.store.count("event") == 2
        assert sorted(_parts(world, "lead")) == sorted(
            f"{event['id']}:{world.code(s)}" for s in (1, 4)
        )
        for who, cache in caches.items():
            world.client(who, cache).sync()
        assert _local_parts(caches["a"]) == [world.code(1)]
        assert _local_parts(caches["b"]) == [world.code(4)]
        assert [i.status for i in _push(world, "lead", [fewer]).items] == ["duplicate"]
        # a cannot see b's unit: a's shorter copy (only a's unit 1, fewer people) leaves
        # b's part alone.
        mine = {**event, "attendees": [{"unit_code": world.code(1), "people": 1}]}
        assert [i.status for i in _push(world, "a", [mine]).items] == ["accepted"]
        assert sorted(_parts(world, "lead")) == sorted(
            f"{event['id']}:{world.code(s)}" for s in (1, 4)
        )
        assert _parts(world, "b")[f"{event['id']}:{world.code(4)}"]["people"] == 2
    finally:
        for cache in caches.values():
            cache.close()


def test_an_event_whose_parts_span_push_batches_reaches_the_hub_whole(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts are outbox rows, pushed a batch at a time; the hub drops the parts a push of an
    event leaves out, so each push carries the whole event, settling all its rows."""
    from specialist_tui.client.sync import protocol

    monkeypatch.setattr(protocol, "PUSH_BATCH", 2)
    cache = Cache.open(tmp_path / "cache-a")
    try:
        world.client("a", cache).sync()
        service = Service(world.settings("a", cache.path.parent, today=world.today), cache)
        log = Worklog(service)
        log.log_call(world.code(1), "reached", ["filing"])  # shares the first batch
        log.log_event("training", "培训", dict.fromkeys(world.codes("a"), 1))
        result = world.client("a", cache).sync()
        assert (result.errors, cache.outbox_count()) == (0, 0)
        assert sorted(p["unit_code"] for p in _parts(world, "a").values()) == world.codes("a")
    finally:
        cache.close()
