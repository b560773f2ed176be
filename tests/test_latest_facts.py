"""Coming back to today after a look back: the latest facts kept aside are put back, and are
the same as computing them again; any write meanwhile makes them be computed again."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from specialist_tui.client.cache import Cache, latest_facts
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.commands.client.demo import write_demo
from specialist_tui.policies import load_policy

POLICY = load_policy("qinghai-2024")
TODAY = date(2024, 6, 30)
BACK = date(2024, 2, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo(Service(Settings(cache_dir=folder, today=TODAY)), 200, TODAY, seed=832)
    return folder


@pytest.fixture
def cache(demo: Path, tmp_path: Path) -> Cache:
    folder = tmp_path / "cache"
    shutil.copytree(demo, folder)
    return Cache.open(folder)


def stats(cache: Cache) -> list[dict[str, Any]]:
    return cache.rows("SELECT * FROM unit_stats ORDER BY code")


def fresh(cache: Cache, today: date) -> list[dict[str, Any]]:
    """unit_stats as computed from every record for this day, without any copy."""
    cache.recompute(POLICY, today)
    return stats(cache)


def no_recompute(*args: object, **kwargs: object) -> None:
    raise AssertionError("the facts were computed again")


def test_back_from_a_look_back_is_the_copy_and_equals_computing_again(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.ensure_current(POLICY, TODAY)
    before = stats(cache)
    cache.ensure_current(POLICY, BACK, asof=BACK)
    assert stats(cache) != before  # the look back replaced them
    with monkeypatch.context() as patch:
        patch.setattr(Cache, "recompute", no_recompute)
        evaluation = cache.ensure_current(POLICY, TODAY)
    assert evaluation is not None and evaluation.units == len(before)
    assert stats(cache) == before
    assert cache.is_current(POLICY, TODAY)
    assert stats(cache) == fresh(cache, TODAY)


def test_back_on_a_later_day_runs_only_the_rules_and_matches_computing_again(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.ensure_current(POLICY, TODAY)
    cache.ensure_current(POLICY, BACK, asof=BACK)
    later = date(2024, 7, 1)
    with monkeypatch.context() as patch:
        patch.setattr(Cache, "recompute", no_recompute)
        cache.ensure_current(POLICY, later)
    assert cache.is_current(POLICY, later)
    kept = stats(cache)
    assert kept == fresh(cache, later)


@pytest.mark.parametrize("write", ["call", "sync_delete"])
def test_a_write_during_the_look_back_makes_coming_back_compute_again(
    cache: Cache, write: str
) -> None:
    cache.ensure_current(POLICY, TODAY)
    cache.ensure_current(POLICY, BACK, asof=BACK)
    assert cache.get_meta(latest_facts.KEY)
    code = str(cache.rows("SELECT code FROM units ORDER BY code LIMIT 1")[0]["code"])
    if write == "call":
        cache.upsert(
            "calls",
            [
                {
                    "id": "00000000-0000-4000-8000-000000000001",
                    "unit_code": code,
                    "contact_name": "张伟",
                    "direction": "out",
                    "started_at": "2024-06-29T10:00:00+08:00",
                    "duration_s": 60,
                    "topics": ["filing"],
                    "outcome": "callback_requested",
                    "notes": "月底前回电",
                    "follow_up_on": "2024-06-30",
                    "follow_up_action": "确认提交",
                    "author": "sp-01",
                }
            ],
            POLICY,
            BACK,
        )
    else:
        from specialist_tui.client.cache.sync_state import _delete

        with cache.transaction():
            _delete(cache, "units", code, set())
    assert not cache.get_meta(latest_facts.KEY)  # the copy is gone with the write
    cache.ensure_current(POLICY, TODAY)
    kept = stats(cache)
    assert kept == fresh(cache, TODAY)
    if write == "call":
        row = next(r for r in kept if r["code"] == code)
        assert row["last_call_at"] == "2024-06-29T10:00:00+08:00"


def test_no_copy_for_another_years_facts(cache: Cache) -> None:
    cache.ensure_current(POLICY, TODAY)
    cache.ensure_current(POLICY, BACK, asof=BACK)
    assert not latest_facts.bring_back(cache, POLICY.year + 1)
    assert cache.facts_as_of() == BACK  # nothing changed
