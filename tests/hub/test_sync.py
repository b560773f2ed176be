"""The client's sync against a real hub: full and incremental pulls, push, conflicts, failures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.client.cache import sync_state as state
from specialist_tui.client.sync import KILL_HOOK_ENV, SyncClient, SyncError
from specialist_tui.domain.enums import CallOutcome, TicketPriority, TicketStatus
from specialist_tui.domain.fields import BEIJING, now_beijing
from specialist_tui.domain.models import Call
from specialist_tui.wire import PushResult
from tests.hub.conftest import World

ROOT = Path(__file__).resolve().parents[2]


def _codes(cache: Cache, table: str, key: str = "id") -> list[str]:
    return sorted(str(r[key]) for r in cache.rows(f"SELECT {key} FROM {table}"))


def _assert_mirrors(cache: Cache, world: World, who: str) -> None:
    """The cache holds exactly what the hub shows this specialist: nothing lost, nothing twice."""
    assert _codes(cache, "units", "code") == world.codes(who)
    assert _codes(cache, "orders") == world.order_keys(who)
    assert _codes(cache, "filings", "unit_code") == world.codes(who)
    assert _codes(cache, "unit_stats", "code") == world.codes(who)


def _local_call(world: World, serial: int) -> Call:
    return Call(
        unit_code=world.code(serial),
        started_at=datetime(2024, 6, 20, 10, 0, tzinfo=BEIJING),
        outcome=CallOutcome.REACHED,
        notes="催缴未付款订单",
    )


def _save_calls(cache: Cache, world: World, serials: list[int]) -> list[Call]:
    calls = [_local_call(world, s) for s in serials]
    cache.save_local("call", "calls", calls, world.policy, world.today)
    return calls


def test_first_full_sync(world: World, cache: Cache) -> None:
    client = world.client("a", cache, sync_page_size=4)
    seen: list[tuple[str, int]] = []
    result = client.sync(lambda stage, done: seen.append((stage, done)))
    _assert_mirrors(cache, world, "a")
    # center + 3 specialists + the unit, filing and orders of each of a's 3 units
    assert result.pulled == 1 + 3 + 3 * (2 + 4)
    assert (result.pushed, result.conflicts, result.errors) == (0, 0, 0)
    assert [s for s, _ in seen].count("pull") > 1 and seen[-1][0] == "refresh"
    stats = cache.rows("SELECT order_count, completed_canteen FROM unit_stats")
    assert {(r["order_count"], r["completed_canteen"]) for r in stats} == {(4, 40_000_00)}
    assert cache.get_meta("user_id") == "a"
    assert cache.get_meta(state.LAST_SYNC_KEY)
    assert client.sync().pulled == 0


def test_incremental_sync_after_changes_on_the_hub(world: World, cache: Cache) -> None:
    world.client("a", cache).sync()
    moved = world.code(3)
    store = world.store
    store.upsert_records("order", [world.order(1, 9, status="pending_payment", completed_at=None)])
    store.delete_records("order", ["832-1-0"])
    store.upsert_units([world.unit(6, "a")])
    store.assign([moved], "b")
    world.units["a"] = [1, 2, 6]
    world.units["b"] = [3, 4, 5]

    result = world.client("a", cache).sync()

    # the new order, the deleted order, the new unit, the revoked unit
    assert result.pulled == 4
    assert _codes(cache, "units", "code") == world.codes("a")
    orders = _codes(cache, "orders")
    assert "832-1-9" in orders and "832-1-0" not in orders
    assert not [o for o in orders if o.startswith("832-3-")]  # the moved unit's data went too
    stats = {r["code"]: r for r in cache.rows("SELECT * FROM unit_stats")}
    assert moved not in stats
    assert (stats[world.code(1)]["order_count"], stats[world.code(1)]["unpaid_count"]) == (4, 1)
    # b gets the moved unit with all its data
    other = Cache.open(cache.path.parent.parent / "cache-b")
    world.client("b", other).sync()
    assert moved in _codes(other, "units", "code")
    assert len([o for o in _codes(other, "orders") if o.startswith("832-3-")]) == 4
    other.close()


def test_push_through_sync_and_a_second_sync_pushes_nothing(world: World, cache: Cache) -> None:
    world.client("a", cache).sync()
    calls = _save_calls(cache, world, [1, 2, 3])
    assert cache.outbox_count() == 3
    result = world.client("a", cache).sync()
    assert (result.pushed, result.errors) == (3, 0)
    assert cache.outbox_count() == 0
    assert world.store.count("call") == 3
    assert world.client("a", cache).sync().pushed == 0
    # The hub's copy of our call comes back on the next pull without doubling it.
    assert _codes(cache, "calls") == sorted(str(c.id) for c in calls)


def test_a_call_made_before_the_unit_moved_reaches_the_hub(world: World, cache: Cache) -> None:
    world.client("a", cache).sync()
    (call,) = _save_calls(cache, world, [3])  # logged offline, then the unit goes to b
    world.store.assign([world.code(3)], "b")
    result = world.client("a", cache).sync()
    assert (result.pushed, result.errors, result.unpushed) == (1, 0, 0)
    assert cache.outbox_count() == 0
    stored = json.loads(world.store.record_json("call", str(call.id)) or "{}")
    assert stored["author"] == "a"
    # It is the unit's history now: the new owner sees it.
    other = Cache.open(cache.path.parent.parent / "cache-b")
    world.client("b", other).sync()
    assert str(call.id) in _codes(other, "calls")
    other.close()


def test_a_call_made_after_the_unit_moved_is_kept_and_said(world: World, cache: Cache) -> None:
    world.client("a", cache).sync()
    world.store.assign([world.code(3)], "b")
    late = _local_call(world, 3).model_copy(update={"started_at": now_beijing() + timedelta(1)})
    cache.save_local("call", "calls", [late], world.policy, world.today)
    result = world.client("a", cache).sync()
    assert (result.pushed, result.errors, result.unpushed) == (0, 1, 1)
    assert "1 条本地记录未推送" in result.line()
    assert cache.outbox_count() == 1  # not lost: still waiting, with the hub's reason
    pending = cache.rows("SELECT * FROM outbox WHERE pushed_at IS NULL ORDER BY seq")
    assert pending[0]["last_error"] == "not found"
    assert len(_codes(cache, "calls")) == 1  # the unit left the cache, our call did not


def _ticket_edited_on_both_sides(world: World, cache: Cache) -> str:
    ticket = world.ticket(1)
    with world.http("a") as http:
        http.post(
            "/api/v1/push",
            json={"tickets": [{"ticket": ticket.model_dump(mode="json"), "base_version": None}]},
        )
    world.client("a", cache).sync()
    assert cache.rows("SELECT version FROM tickets")[0]["version"] == 1
    by_lead = ticket.model_copy(update={"status": TicketStatus.IN_PROGRESS})
    with world.http("lead") as http:
        body = {"tickets": [{"ticket": by_lead.model_dump(mode="json"), "base_version": 1}]}
        assert http.post("/api/v1/push", json=body).json()["items"][0]["status"] == "accepted"
    mine = ticket.model_copy(update={"priority": TicketPriority.URGENT})
    cache.save_local(
        "ticket", "tickets", [mine], world.policy, world.today, payload={"base_version": 1}
    )
    result = world.client("a", cache).sync()
    assert result.conflicts == 1
    return str(ticket.id)


def test_a_ticket_changed_on_both_sides_keeps_both_until_one_is_kept(
    world: World, cache: Cache
) -> None:
    ticket_id = _ticket_edited_on_both_sides(world, cache)
    [conflict] = state.conflicts(cache)
    assert conflict["local_ticket"]["priority"] == "urgent"
    assert conflict["local_ticket"]["status"] == "open"
    assert conflict["hub_ticket"]["status"] == "in_progress"
    assert conflict["hub_ticket"]["version"] == 2
    # A sync while the conflict is open neither re-pushes nor overwrites our version.
    again = world.client("a", cache).sync()
    assert (again.pushed, again.conflicts) == (0, 0)
    assert cache.rows("SELECT priority FROM tickets")[0]["priority"] == "urgent"

    state.keep_mine(cache, ticket_id)
    result = world.client("a", cache).sync()
    assert (result.pushed, result.conflicts) == (1, 0)
    stored = json.loads(world.store.record_json("ticket", ticket_id) or "{}")
    assert (stored["version"], stored["priority"], stored["status"]) == (3, "urgent", "open")
    assert state.conflicts(cache) == [] and cache.outbox_count() == 0


def test_taking_the_hubs_ticket_replaces_ours(world: World, cache: Cache) -> None:
    ticket_id = _ticket_edited_on_both_sides(world, cache)
    state.take_theirs(cache, ticket_id, world.policy, world.today)
    local = cache.rows("SELECT * FROM tickets")[0]
    assert (local["status"], local["priority"], local["version"]) == ("in_progress", "normal", 2)
    assert cache.outbox_count() == 0 and state.conflicts(cache) == []
    assert world.client("a", cache).sync().pushed == 0
    stored = json.loads(world.store.record_json("ticket", ticket_id) or "{}")
    assert stored["version"] == 2


def _run_sync(world: World, cache_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SPECIALIST_TUI_HUB_URL": world.url,
        "SPECIALIST_TUI_TOKEN": world.tokens["a"],
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "specialist_tui", "sync", "--cache-dir", str(cache_dir),
         "--today", "2024-06-30"],
        env=full_env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_killed_between_two_pages_of_a_pull_then_a_rerun_completes(
    world: World, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "killed"
    killed = _run_sync(
        world, cache_dir, SPECIALIST_TUI_SYNC_PAGE_SIZE="5", **{KILL_HOOK_ENV: "pull-page:1"}
    )
    assert killed.returncode == -signal.SIGKILL
    cache = Cache.open(cache_dir)
    assert cache.get_meta(state.CURSOR_KEY)  # page 1 is committed with its cursor
    assert cache.count("units") + cache.count("orders") + cache.count("filings") <= 5
    cache.close()

    rerun = _run_sync(world, cache_dir, SPECIALIST_TUI_SYNC_PAGE_SIZE="5")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith("同步完成：拉取 ")
    cache = Cache.open(cache_dir)
    _assert_mirrors(cache, world, "a")
    assert cache.get_meta(state.STALE_KEY) is None
    cache.close()


def test_killed_during_a_push_then_a_rerun_stores_each_item_once(
    world: World, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "pushing"
    assert _run_sync(world, cache_dir).returncode == 0
    cache = Cache.open(cache_dir)
    calls = _save_calls(cache, world, [1, 2, 3, 1])
    cache.close()

    killed = _run_sync(world, cache_dir, **{KILL_HOOK_ENV: "push-sent"})
    assert killed.returncode == -signal.SIGKILL
    assert world.store.count("call") == 4  # the hub stored them; the client never heard back
    cache = Cache.open(cache_dir)
    assert cache.outbox_count() == 4
    cache.close()

    rerun = _run_sync(world, cache_dir)
    assert rerun.returncode == 0, rerun.stderr
    assert "推送 4 条" in rerun.stdout
    assert world.store.count("call") == 4
    cache = Cache.open(cache_dir)
    assert cache.outbox_count() == 0
    assert _codes(cache, "calls") == sorted(str(c.id) for c in calls)
    cache.close()


def test_the_hub_down_gives_a_clear_message_and_keeps_the_outbox(
    world: World, cache: Cache
) -> None:
    world.client("a", cache).sync()
    _save_calls(cache, world, [1, 2])
    world.running.stop()
    with pytest.raises(SyncError, match=r"无法连接同步中心.*2 条待推送记录已保留"):
        world.client("a", cache).sync()
    assert cache.outbox_count() == 2
    assert len(_codes(cache, "calls")) == 2


def test_the_hub_stopped_during_a_sync_then_a_rerun_completes(world: World, cache: Cache) -> None:
    def stop_after_first_page(stage: str, done: int) -> None:
        if stage == "pull" and world.running.server.started:
            world.running.stop()

    client = world.client("a", cache, sync_page_size=3)
    with pytest.raises(SyncError, match="无法连接同步中心"):
        client.sync(stop_after_first_page)
    assert 0 < cache.count("units") + cache.count("orders") + cache.count("filings") < 18
    world.restart()
    world.client("a", cache, sync_page_size=3).sync()
    _assert_mirrors(cache, world, "a")


def test_a_wrong_token_says_so(world: World, cache: Cache) -> None:
    world.tokens["a"] = "sth_0123456789abcdef_not-the-token"
    with pytest.raises(SyncError, match="令牌错误或已被撤销"):
        world.client("a", cache).sync()


def test_a_wrong_hub_address_says_so_in_chinese_only(world: World, cache: Cache) -> None:
    settings = world.settings("a", cache.path.parent)
    settings.hub_url = f"{world.url}/nonsense"
    client = SyncClient(settings, cache, world.policy, world.today, backoff=0.01, retries=2)
    with pytest.raises(SyncError) as info:
        client.sync()
    assert str(info.value) == (
        "同步中心拒绝了请求（HTTP 404）：这个地址上没有同步中心的接口，"
        "请检查地址（specialist-tui config set-hub）"
    )


def test_a_cache_from_elsewhere_is_not_mixed_with_the_hub(world: World, cache: Cache) -> None:
    cache.set_meta("source", "demo")
    with pytest.raises(SyncError, match="换一个 --cache-dir"):
        world.client("a", cache).sync()
    fresh = Cache.open(cache.path.parent.parent / "fresh")
    world.client("a", fresh).sync()
    with pytest.raises(SyncError, match="换一个 --cache-dir"):
        world.client("b", fresh).sync()
    fresh.close()


def test_push_result_ids_match_the_request(world: World) -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    calls = [
        {
            "id": i,
            "unit_code": world.code(1),
            "started_at": "2024-06-20T10:00:00",
            "outcome": "busy",
        }
        for i in ids
    ]
    with world.http("a") as http:
        result = PushResult.model_validate(http.post("/api/v1/push", json={"calls": calls}).json())
    assert [str(item.id) for item in result.items] == ids


def test_the_service_reports_sync_status_and_resolves_conflicts(world: World, cache: Cache) -> None:
    from specialist_tui.client.service import Service

    ticket_id = _ticket_edited_on_both_sides(world, cache)
    service = Service(world.settings("a", cache.path.parent), cache=cache)
    status = service.sync_status()
    assert (status.pending, status.conflicts) == (1, 1)
    assert status.last_sync_at and "待推送 1 · 冲突 1" in status.line()
    [conflict] = service.ticket_conflicts()
    assert conflict.ticket_id == ticket_id
    service.resolve_conflict(ticket_id, "theirs")
    assert (service.sync_status().pending, service.sync_status().conflicts) == (0, 0)


def test_rejected_items_never_hold_up_later_ones(
    world: World, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    import specialist_tui.client.sync.protocol

    monkeypatch.setattr(specialist_tui.client.sync.protocol, "PUSH_BATCH", 2)
    world.client("a", cache).sync()
    world.store.assign([world.code(3)], "b")
    late = now_beijing() + timedelta(1)
    calls = [_local_call(world, 3).model_copy(update={"started_at": late}) for _ in range(3)]
    # made after the unit left a: rejected, kept locally
    cache.save_local("call", "calls", calls, world.policy, world.today)
    _save_calls(cache, world, [1, 2, 1, 2, 1])
    result = world.client("a", cache).push()
    assert (result.pushed, result.errors) == (5, 3)
    assert cache.outbox_count() == 3 and world.store.count("call") == 5


def test_a_unit_moved_on_twice_or_deleted_still_leaves_a_late_syncing_owner(
    world: World, cache: Cache
) -> None:
    world.client("a", cache).sync()
    world.store.assign([world.code(3)], "b")
    world.store.assign([world.code(3)], "lead")  # on again before a syncs
    world.store.assign([world.code(2)], "b")
    world.store.delete_records("unit", [world.code(2)])  # then gone for good
    world.client("a", cache).sync()
    assert _codes(cache, "units", "code") == [world.code(1)]
    assert not [o for o in _codes(cache, "orders") if not o.startswith("832-1-")]
    # and a unit that comes back to a is theirs again, with its data
    world.store.assign([world.code(3)], "a")
    world.client("a", cache).sync()
    assert _codes(cache, "units", "code") == sorted([world.code(1), world.code(3)])
    assert len([o for o in _codes(cache, "orders") if o.startswith("832-3-")]) == 4


class _Flaky(httpx.BaseTransport):
    """Answers 503 to the first ``failures`` requests, then passes through to the real hub."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen = 0
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        if self.seen <= self.failures:
            return httpx.Response(503, json={"detail": "busy"})
        return self.real.handle_request(request)


def _flaky_client(world: World, cache: Cache, failures: int) -> tuple[SyncClient, _Flaky]:
    flaky = _Flaky(failures)
    settings = world.settings("a", cache.path.parent)
    client = SyncClient(settings, cache, world.policy, world.today, backoff=0.01, transport=flaky)
    return client, flaky


def test_5xx_answers_are_retried_with_backoff(world: World, cache: Cache) -> None:
    client, flaky = _flaky_client(world, cache, failures=3)
    assert client.sync().pulled == 22
    assert flaky.seen > 3
    _assert_mirrors(cache, world, "a")


def test_a_hub_failing_for_good_gives_up_and_keeps_the_outbox(world: World, cache: Cache) -> None:
    world.client("a", cache).sync()
    _save_calls(cache, world, [1])
    client, flaky = _flaky_client(world, cache, failures=1000)
    with pytest.raises(
        SyncError, match=r"同步中心繁忙 .*HTTP 503，共尝试 4 次.*1 条待推送记录已保留"
    ):
        client.sync()
    assert flaky.seen == 4 and cache.outbox_count() == 1


def test_tickets_made_and_changed_in_the_work_log_reach_the_hub(world: World, cache: Cache) -> None:
    from specialist_tui.client.service import Service
    from specialist_tui.client.worklog import Worklog

    world.client("a", cache).sync()
    service = Service(world.settings("a", cache.path.parent, today=world.today), cache=cache)
    log = Worklog(service)
    ticket = log.open_ticket(world.code(1), "payment", "订单未付款")
    log.comment_ticket(str(ticket.id), "已联系财务")
    log.change_ticket_status(str(ticket.id), "in_progress")
    # Three local edits, one ticket on the hub: created at version 1 with all three events.
    result = world.client("a", cache).sync()
    assert (result.pushed, result.conflicts, result.errors) == (4, 0, 0)
    stored = json.loads(world.store.record_json("ticket", str(ticket.id)) or "{}")
    assert (stored["version"], stored["status"]) == (1, "in_progress")
    assert world.store.count("ticket_event") == 3
    assert cache.outbox_count() == 0
    assert cache.rows("SELECT version FROM tickets")[0]["version"] == 1
    # The next edit is based on the hub's version and accepted as version 2.
    log.change_ticket_status(str(ticket.id), "waiting", "等财务回复")
    assert world.client("a", cache).sync().pushed == 2
    stored = json.loads(world.store.record_json("ticket", str(ticket.id)) or "{}")
    assert (stored["version"], stored["status"]) == (2, "waiting")
    assert world.store.count("ticket_event") == 4
