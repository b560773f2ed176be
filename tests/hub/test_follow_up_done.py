"""A promise marked done syncs: the specialist's other machine and the lead see it done; the hub
takes a mark only for a call of the same unit, and a mark pushed twice is stored once."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from specialist_tui.client.cache import Cache
from specialist_tui.domain.enums import CallOutcome
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.models import Call, FollowUpDone
from specialist_tui.wire import ItemStatus, PushResult
from tests.hub.conftest import World

PROMISED = date(2024, 6, 25)


def _promise(world: World, serial: int) -> Call:
    return Call(
        unit_code=world.code(serial),
        started_at=datetime(2024, 6, 20, 10, 0, tzinfo=BEIJING),
        outcome=CallOutcome.CALLBACK_REQUESTED,
        follow_up_on=PROMISED,
        follow_up_action="回电确认付款",
    )


def _mark(call: Call) -> FollowUpDone:
    return FollowUpDone(
        call_id=call.id, unit_code=call.unit_code, at=datetime(2024, 6, 28, 15, tzinfo=BEIJING)
    )


def _next_follow_up(cache: Cache, code: str) -> str | None:
    rows = cache.rows("SELECT next_follow_up FROM unit_stats WHERE code = ?", [code])
    return rows[0]["next_follow_up"] if rows else "(no unit)"


def test_a_mark_reaches_the_other_machine_and_the_lead(
    world: World, cache: Cache, tmp_path: Path
) -> None:
    code = world.code(1)
    laptop, lead = Cache.open(tmp_path / "laptop"), Cache.open(tmp_path / "lead")
    try:
        world.client("a", cache).sync()
        call = _promise(world, 1)
        cache.save_local("call", "calls", [call], world.policy, world.today)
        world.client("a", cache).sync()
        world.client("a", laptop).sync()
        assert _next_follow_up(laptop, code) == str(PROMISED)

        mark = _mark(call)
        cache.save_local("follow_up_done", "follow_ups_done", [mark], world.policy, world.today)
        assert _next_follow_up(cache, code) is None  # at once on this machine
        result = world.client("a", cache).sync()
        assert (result.pushed, result.errors, cache.outbox_count()) == (1, 0, 0)

        assert world.client("a", laptop).sync().pulled == 1
        assert _next_follow_up(laptop, code) is None
        world.client("lead", lead).sync()
        assert _next_follow_up(lead, code) is None
        stored = lead.rows("SELECT call_id, author, at FROM follow_ups_done")
        assert stored == [
            {"call_id": str(call.id), "author": "a", "at": "2024-06-28T15:00:00+08:00"}
        ]
        # Looking back to a day before the mark, the promise is open again.
        lead.ensure_current(world.policy, date(2024, 6, 27), asof=date(2024, 6, 27))
        assert _next_follow_up(lead, code) == str(PROMISED)
        # Another specialist never receives it.
        other = Cache.open(tmp_path / "b")
        world.client("b", other).sync()
        assert other.count("follow_ups_done") == 0
        other.close()
    finally:
        laptop.close()
        lead.close()


def test_the_hub_takes_a_mark_only_for_a_call_of_its_unit_and_once(
    world: World, cache: Cache
) -> None:
    call = _promise(world, 1)
    mine, twice = _mark(call), _mark(call)
    twice = twice.model_copy(update={"id": mine.id})
    elsewhere = FollowUpDone(call_id=call.id, unit_code=world.code(2), at=mine.at)
    unknown = _mark(_promise(world, 2))  # its call never reached the hub
    body = {
        "calls": [call.model_dump(mode="json")],
        "follow_ups_done": [m.model_dump(mode="json") for m in (mine, twice, elsewhere, unknown)],
    }
    with world.http("a") as http:
        result = PushResult.model_validate(http.post("/api/v1/push", json=body).json())
    assert [(i.kind, i.status) for i in result.items] == [
        ("call", ItemStatus.ACCEPTED),
        ("follow_up_done", ItemStatus.ACCEPTED),
        ("follow_up_done", ItemStatus.DUPLICATE),
        ("follow_up_done", ItemStatus.REJECTED),
        ("follow_up_done", ItemStatus.REJECTED),
    ]
    assert result.items[3].reason == result.items[4].reason == "call_id 该单位没有这次通话"
    assert world.store.count("follow_up_done") == 1
    # b cannot mark a's call done.
    with world.http("b") as http:
        answer = http.post("/api/v1/push", json={"follow_ups_done": [body["follow_ups_done"][0]]})
    assert PushResult.model_validate(answer.json()).items[0].status is ItemStatus.REJECTED
