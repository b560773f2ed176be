"""A client killed (SIGKILL) at random points of sync, round after round, while both sides change:
in the end its cache equals the hub's view and every call it logged is on the hub exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.client.sync import KILL_HOOK_ENV
from specialist_tui.domain.enums import CallOutcome
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.models import Call
from tests.hub.conftest import World

ROOT = Path(__file__).resolve().parents[2]
# At least this many syncs die by SIGKILL (half at named points, half at random moments).
KILLS = 20
MAX_ROUNDS = 80


def _sync(world: World, cache_dir: Path, **env: str) -> subprocess.Popen[bytes]:
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SPECIALIST_TUI_HUB_URL": world.url,
        "SPECIALIST_TUI_TOKEN": world.tokens["a"],
        "SPECIALIST_TUI_SYNC_PAGE_SIZE": "3",  # many pages, many places to die
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "specialist_tui", "sync", "--cache-dir", str(cache_dir),
         "--today", "2024-06-30"],
        env=full_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _log_calls(world: World, cache_dir: Path, rng: random.Random, round_: int) -> list[str]:
    cache = Cache.open(cache_dir)
    try:
        calls = [
            Call(
                unit_code=world.code(rng.choice(world.units["a"])),
                started_at=datetime(2024, 6, 1, 9, tzinfo=BEIJING) + timedelta(hours=round_),
                outcome=CallOutcome.REACHED,
                notes=f"第 {round_} 轮",
            )
            for _ in range(rng.randrange(1, 4))
        ]
        cache.save_local("call", "calls", calls, world.policy, world.today)
    finally:
        cache.close()
    return [str(c.id) for c in calls]


def _change_the_hub(world: World, rng: random.Random, round_: int) -> None:
    serial = rng.choice(world.units["a"])
    world.store.upsert_records("order", [world.order(serial, 100 + round_)])
    if round_ % 5 == 4:
        world.store.delete_records("order", [f"832-{serial}-{100 + round_ - 1}"])


def test_killed_at_random_points_of_sync_nothing_is_lost_or_doubled(
    world: World, tmp_path: Path
) -> None:
    if not str(world.db).endswith(".sqlite"):
        pytest.skip("the crash loop runs once, on SQLite: the client is the same on both")
    rng = random.Random(832)
    cache_dir = tmp_path / "cache"
    logged: list[str] = []
    killed_by_hook = killed_by_timer = 0
    # How long a whole sync takes here, so the timer kills land inside one however fast or
    # loaded the machine is (a fixed 0.2-2.5 s outlasted every sync on an idle machine).
    whole = 2.0
    round_ = 0
    while killed_by_hook + killed_by_timer < KILLS and round_ < MAX_ROUNDS:
        if round_:  # the first round starts from an empty cache
            logged += _log_calls(world, cache_dir, rng, round_)
        _change_the_hub(world, rng, round_)
        started = time.monotonic()
        if round_ % 2:
            # Points every round reaches: calls were logged (a push) and the hub changed (a page).
            point = rng.choice(["push-sent", "pull-page:1"])
            process = _sync(world, cache_dir, **{KILL_HOOK_ENV: point})
            process.wait(timeout=120)
        else:
            process = _sync(world, cache_dir)
            try:  # a random moment: start-up, push, pull, refresh
                process.wait(timeout=rng.uniform(0.05, 1.0) * whole)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=120)
            else:
                whole = time.monotonic() - started  # it finished first: aim earlier next time
        assert process.stderr is not None
        assert b"Traceback" not in process.stderr.read()
        process.stderr.close()
        killed_by_hook += round_ % 2 == 1 and process.returncode == -signal.SIGKILL
        killed_by_timer += round_ % 2 == 0 and process.returncode == -signal.SIGKILL
        round_ += 1
    assert killed_by_hook + killed_by_timer >= KILLS, (killed_by_hook, killed_by_timer)
    assert killed_by_timer > 0 and killed_by_hook > 0, (killed_by_hook, killed_by_timer)

    final = _sync(world, cache_dir)
    assert final.wait(timeout=120) == 0, final.stderr.read() if final.stderr else ""
    if final.stderr:
        final.stderr.close()

    cache = Cache.open(cache_dir)
    try:
        assert cache.outbox_count() == 0
        with world.http("a") as http:
            page = http.get("/api/v1/changes", params={"limit": 10_000}).json()
        hub_view: dict[str, set[str]] = {}
        for change in page["changes"]:
            if change["op"] == "upsert":
                hub_view.setdefault(change["kind"], set()).add(change["key"])
        for kind, table, key in (
            ("unit", "units", "code"),
            ("order", "orders", "id"),
            ("call", "calls", "id"),
        ):
            local = {str(r[key]) for r in cache.rows(f"SELECT {key} FROM {table}")}
            assert local == hub_view.get(kind, set()), kind
        # Every call logged locally is on the hub, once: ids are the hub's keys, and each
        # stored record is the call we logged (not another one under its id).
        assert hub_view["call"] == set(logged)
        assert world.store.count("call") == len(logged) == len(set(logged))
        for call_id in logged:
            assert json.loads(world.store.record_json("call", call_id) or "{}")["author"] == "a"
    finally:
        cache.close()
