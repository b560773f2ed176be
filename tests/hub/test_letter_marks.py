"""No-canteen letter marks through a real hub (SQLite and PostgreSQL) with two specialists and a
lead: scoped like calls, idempotent, a later platform import still lands, and the hub's v5
migration reads the platform's former "submitted" as "stamped"."""

from __future__ import annotations

import uuid
from pathlib import Path

from specialist_tui.client.cache import Cache
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.enums import LetterStatus
from specialist_tui.domain.models import Filing, Unit
from specialist_tui.hub.store import HubStore
from specialist_tui.wire import ChangesPage, PushResult
from tests.hub.conftest import World


def _provincial_without_canteen(world: World, serial: int, owner: str, letter: str) -> None:
    """Unit ``serial`` made a provincial unit that declared no canteen (a platform import)."""
    unit = world.unit(serial, owner).model_dump()
    world.store.upsert_units([Unit.model_validate({**unit, "level": "provincial"})])
    world.store.upsert_records(
        "filing",
        [
            Filing.model_validate(
                {
                    "unit_code": world.code(serial),
                    "year": 2024,
                    "status": "submitted",
                    "canteen_mode": "none",
                    "union_mode": "none",
                    "submitted_at": "2024-02-01T10:00:00",
                    "no_canteen_letter": letter,
                }
            )
        ],
    )


def _mark(world: World, serial: int, state: str = "sent") -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "unit_code": world.code(serial),
        "year": 2024,
        "state": state,
        "seen": "missing",
        "at": "2024-03-05T09:30:00+08:00",
    }


def _push(world: World, who: str, marks: list[dict[str, object]]) -> PushResult:
    with world.http(who) as http:
        response = http.post("/api/v1/push", json={"letter_marks": marks})
    assert response.status_code == 200, response.text
    return PushResult.model_validate(response.json())


def _marks(world: World, who: str) -> dict[str, dict[str, object]]:
    with world.http(who) as http:
        page = ChangesPage.model_validate_json(
            http.get("/api/v1/changes", params={"limit": 10_000}).content
        )
    return {
        c.key: c.record.model_dump(mode="json")
        for c in page.changes
        if c.kind == "letter_mark" and c.op == "upsert" and c.record is not None
    }


def test_marks_are_scoped_like_calls_and_stored_once(world: World) -> None:
    a_mark, b_mark = _mark(world, 1), _mark(world, 4, "stamped")
    first = _push(world, "a", [a_mark])
    again = _push(world, "a", [a_mark])
    assert [(i.kind, i.status) for i in first.items] == [("letter_mark", "accepted")]
    assert [(i.kind, i.status) for i in again.items] == [("letter_mark", "duplicate")]
    assert [i.status for i in _push(world, "b", [b_mark]).items] == ["accepted"]
    # Someone else's unit answers like an unknown one.
    [foreign] = _push(world, "a", [_mark(world, 4)]).items
    assert (foreign.status, foreign.reason) == ("rejected", "not found")
    mine, theirs, everything = _marks(world, "a"), _marks(world, "b"), _marks(world, "lead")
    assert list(mine) == [a_mark["id"]] and mine[str(a_mark["id"])]["author"] == "a"
    assert list(theirs) == [b_mark["id"]] and theirs[str(b_mark["id"])]["state"] == "stamped"
    assert set(everything) == {a_mark["id"], b_mark["id"]}
    assert world.store.count("letter_mark") == 2


def test_a_mark_whose_id_is_reused_for_other_content_is_rejected(world: World) -> None:
    mark = _mark(world, 1)
    _push(world, "a", [mark])
    [item] = _push(world, "a", [{**mark, "state": "verified"}]).items
    assert item.status == "rejected" and "id" in item.reason


def test_a_bad_state_gets_422_naming_the_field(world: World) -> None:
    with world.http("a") as http:
        response = http.post("/api/v1/push", json={"letter_marks": [_mark(world, 1, "missing")]})
    assert response.status_code == 422 and "state" in response.text


def test_marked_offline_synced_once_and_a_later_platform_import_still_lands(
    world: World, tmp_path: Path
) -> None:
    _provincial_without_canteen(world, 1, "a", "missing")
    a_cache, lead_cache = Cache.open(tmp_path / "a"), Cache.open(tmp_path / "lead")
    try:
        world.client("a", a_cache).sync()
        service = Service(world.settings("a", a_cache.path.parent, today=world.today), a_cache)
        mark = Worklog(service).mark_letter(world.code(1), "sent")
        first = world.client("a", a_cache).sync()
        assert (first.pushed, first.errors, a_cache.outbox_count()) == (1, 0, 0)
        assert world.client("a", a_cache).sync().pushed == 0
        assert world.store.count("letter_mark") == 1
        facts = a_cache.unit_facts(world.code(1))
        assert facts is not None and facts.letter is LetterStatus.SENT

        world.client("lead", lead_cache).sync()
        lead_facts = lead_cache.unit_facts(world.code(1))
        assert lead_facts is not None and lead_facts.letter is LetterStatus.SENT
        assert lead_cache.rows("SELECT id, author FROM letter_marks") == [
            {"id": str(mark.id), "author": "a"}
        ]

        # The platform's next export says the letter was handed in and verified.
        _provincial_without_canteen(world, 1, "a", "verified")
        world.client("a", a_cache).sync()
        facts = a_cache.unit_facts(world.code(1))
        assert facts is not None and facts.letter is LetterStatus.VERIFIED
        assert facts.letter_mark is LetterStatus.SENT  # the mark stays, overridden
        assert "R6" not in {
            f.rule for f in a_cache.unit_rows([world.code(1)], world.today)[0].flags
        }
    finally:
        a_cache.close()
        lead_cache.close()


def test_the_hub_migration_reads_submitted_as_stamped(world: World) -> None:
    _provincial_without_canteen(world, 1, "a", "stamped")
    key = f"{world.code(1)}:2024"
    with world.store.transaction() as db:
        db.execute(
            "UPDATE changes SET body = replace(body, '\"stamped\"', '\"submitted\"') "
            "WHERE kind = 'filing'"
        )
        if world.store.engine == "sqlite":
            db.execute("PRAGMA user_version = 4")
        else:
            db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    assert '"submitted"' in (world.store.record_json("filing", key) or "")
    reopened = HubStore(world.db, create=False)
    try:
        body = reopened.record_json("filing", key) or ""
        assert '"no_canteen_letter":"stamped"' in body
        assert '"no_canteen_letter":"submitted"' not in body
        assert reopened.schema_version == 5
    finally:
        reopened.close()
