"""The cache keeps per-unit facts and flags current as data changes, and answers the views."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from specialist_tui.client.cache import Cache, CacheError, UnknownKey
from specialist_tui.client.cache.schema import SCHEMA_VERSION
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import (
    make_credit_code,
)
from specialist_tui.domain.models import Call, Filing, Order, Ticket, Unit
from specialist_tui.policies import load_policy

POLICY = load_policy("qinghai-2024")
TODAY = date(2024, 6, 30)


def make_code(serial: int, division: str = "630100") -> str:
    return make_credit_code(f"11{division}", f"{serial:08d}")


def unit(serial: int, name: str, **extra: object) -> Unit:
    fields: dict[str, object] = {
        "code": make_code(serial),
        "name": name,
        "level": "prefecture",
        "division_code": "630100",
        "area_code": "QH0101",
        "staff_count": 100,
        "contacts": [{"name": "张伟", "role": "finance", "phone": "13909710001"}],
    }
    fields.update(extra)
    return Unit.model_validate(fields)


def filing(serial: int, **extra: object) -> Filing:
    fields: dict[str, object] = {
        "unit_code": make_code(serial),
        "year": 2024,
        "status": "confirmed",
        "canteen_mode": "own",
        "union_mode": "none",
        "submitted_at": "2024-02-01T10:00:00",
        "confirmed_at": "2024-02-10T10:00:00",
        "canteen_total": 1_000_000_00,
        "canteen_reserved": 150_000_00,
    }
    fields.update(extra)
    return Filing.model_validate(fields)


def order(serial: int, number: int, **extra: object) -> Order:
    fields: dict[str, object] = {
        "id": f"832-{serial}-{number}",
        "unit_code": make_code(serial),
        "year": 2024,
        "placed_at": "2024-03-01T09:00:00",
        "amount": 100_000_00,
        "part": "canteen",
        "area_code": "QH0101",
        "status": "completed",
        "completed_at": "2024-03-10T09:00:00",
    }
    fields.update(extra)
    return Order.model_validate(fields)


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    c = Cache.open(tmp_path)
    c.write_rows(
        "units",
        [
            unit(1, "西宁市教育局"),
            unit(2, "西宁市第一中学", supervisor_code=make_code(1), supervisor_name="西宁市教育局"),
            unit(3, "海东市乐都区人民医院", area_code="QH0201"),
        ],
    )
    c.write_rows("filings", [filing(1), filing(2)])
    c.write_rows("orders", [order(1, 1), order(2, 1, status="pending_payment", completed_at=None)])
    c.refresh_facts(POLICY.year)
    c.evaluate(POLICY, TODAY)
    yield c
    c.close()


def codes(cache: Cache, view: str, text: str = "") -> list[str]:
    return cache.view_codes(view, text)


def test_fresh_cache_is_wal_at_current_schema(tmp_path: Path) -> None:
    c = Cache.open(tmp_path)
    assert c.schema_version == SCHEMA_VERSION
    assert c.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused_with_a_message(tmp_path: Path) -> None:
    Cache.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "specialist.sqlite")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(CacheError, match="更新版本"):
        Cache.open(tmp_path)


def test_not_a_database_is_refused_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "specialist.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CacheError, match="不是可用的缓存数据库"):
        Cache.open(tmp_path)


def test_unfiled_unit_is_flagged_and_views_split_units(cache: Cache) -> None:
    third = make_code(3)
    assert codes(cache, "not_filed") == [third]
    assert third in codes(cache, "follow_up")
    assert sorted(codes(cache, "all")) == sorted([make_code(1), make_code(2), third])
    assert codes(cache, "unpaid") == [make_code(2)]
    counts = cache.view_counts()
    assert counts["all"] == 3 and counts["not_filed"] == 1 and counts["unpaid"] == 1


def test_aggregates_follow_each_write(cache: Cache) -> None:
    first = make_code(1)
    (row,) = cache.unit_rows([first], TODAY)
    assert row.completed_fen == 100_000_00 and row.unpaid_count == 0
    cache.upsert(
        "orders", [order(1, 2, status="pending_payment", completed_at=None)], POLICY, TODAY
    )
    (row,) = cache.unit_rows([first], TODAY)
    assert row.unpaid_count == 1 and row.unpaid_fen == 100_000_00
    assert row.unpaid_oldest_days == (TODAY - date(2024, 3, 1)).days
    assert any(f.rule == "R10" for f in row.flags)  # 121 days > 30
    assert first in codes(cache, "unpaid")


def test_ratio_drop_moves_unit_into_below_ratio(cache: Cache) -> None:
    assert codes(cache, "below_ratio") == []
    cache.upsert("filings", [filing(1, canteen_reserved=149_999_99)], POLICY, TODAY)
    assert codes(cache, "below_ratio") == [make_code(1)]
    (row,) = cache.unit_rows([make_code(1)], TODAY)
    (r3,) = [f for f in row.flags if f.rule == "R3"]
    assert "14.9%" in r3.reason and "15%" in r3.reason


def test_call_follow_up_and_a_later_call_settles_it(cache: Cache) -> None:
    second = make_code(2)
    call = Call(
        unit_code=second,
        started_at=datetime(2024, 6, 25, 10, 0, tzinfo=BEIJING),
        outcome="reached",
        follow_up_on=date(2024, 6, 28),
    )
    cache.upsert("calls", [call], POLICY, TODAY)
    assert second in codes(cache, "due")
    (row,) = cache.unit_rows([second], TODAY)
    assert row.next_follow_up == date(2024, 6, 28)
    later = Call(
        unit_code=second, started_at=datetime(2024, 6, 29, 9, 0, tzinfo=BEIJING), outcome="resolved"
    )
    cache.upsert("calls", [later], POLICY, TODAY)
    assert second not in codes(cache, "due")


def test_overdue_ticket_raises_r14(cache: Cache) -> None:
    ticket = Ticket(
        unit_code=make_code(1),
        category="payment",
        subject="发票未收到",
        created_at=datetime(2024, 6, 1, 9, 0, tzinfo=BEIJING),
        due_at=datetime(2024, 6, 4, 9, 0, tzinfo=BEIJING),
    )
    cache.upsert("tickets", [ticket], POLICY, TODAY)
    assert make_code(1) in codes(cache, "due")


def test_representative_filing_updates_the_group(cache: Cache) -> None:
    member = filing(2, canteen_mode="shared", representative_code=make_code(3))
    cache.upsert("filings", [member], POLICY, TODAY)
    (row,) = cache.unit_rows([make_code(2)], TODAY)
    assert any(f.rule == "R5" for f in row.flags)
    # The representative files: the member's R5 goes away without touching the member.
    cache.upsert(
        "filings",
        [filing(3, canteen_mode="shared", representative_code=make_code(3))],
        POLICY,
        TODAY,
    )
    (row,) = cache.unit_rows([make_code(2)], TODAY)
    assert not any(f.rule == "R5" for f in row.flags)


@pytest.mark.parametrize(
    "text",
    ["西宁市教育局", "xnsjyj", "xiningshijiaoyuju", "XNSJYJ", "教育", "qh0101 jiaoyu"],
)
def test_filter_finds_by_name_pinyin_initials_and_area(cache: Cache, text: str) -> None:
    assert make_code(1) in codes(cache, "all", text)
    assert make_code(3) not in codes(cache, "all", text)


def test_filter_by_credit_code_and_supervisor(cache: Cache) -> None:
    assert codes(cache, "all", make_code(3).lower()) == [make_code(3)]
    # The school's supervisor is the education bureau: supervisor text finds the school too.
    assert set(codes(cache, "all", "西宁市教育局")) == {make_code(1), make_code(2)}


def test_sorts_and_unknown_keys(cache: Cache) -> None:
    by_name = cache.view_codes("all", sort="name")
    assert by_name == list(reversed(cache.view_codes("all", sort="-name")))
    rows = cache.unit_rows(cache.view_codes("all", sort="-score"), TODAY)
    scores = [r.score for r in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    with pytest.raises(UnknownKey):
        cache.view_codes("all", sort="colour")
    with pytest.raises(UnknownKey):
        cache.view_codes("nope")


def test_ensure_current_reevaluates_only_for_a_new_date(cache: Cache) -> None:
    assert cache.ensure_current(POLICY, TODAY) is None
    result = cache.ensure_current(POLICY, date(2024, 12, 20))
    assert result is not None and result.units == 3
    assert cache.get_meta("evaluated_on") == "2024-12-20"


def test_failed_write_leaves_nothing_behind(cache: Cache) -> None:
    before = cache.count("orders")
    bad = order(1, 9).model_dump(mode="json")
    with pytest.raises(sqlite3.Error), cache.transaction():
        cache.write_rows("orders", [bad])
        cache.db.execute("INSERT INTO no_such_table VALUES (1)")
    assert cache.count("orders") == before


def test_v1_cache_is_migrated_forward(tmp_path: Path) -> None:
    import sqlite_utils

    from specialist_tui.client.cache.schema import MIGRATIONS

    db = sqlite_utils.Database(tmp_path / "specialist.sqlite")
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.close()
    c = Cache.open(tmp_path)
    assert c.schema_version == SCHEMA_VERSION
    assert c.outbox_count() == 0


def test_saved_call_is_queued_in_the_same_transaction(cache: Cache) -> None:
    call = Call(
        unit_code=make_code(1),
        started_at=datetime(2024, 6, 29, 9, 0, tzinfo=BEIJING),
        outcome="reached",
    )
    cache.save_local("call", "calls", [call], POLICY, TODAY)
    (queued,) = cache.rows("SELECT * FROM outbox WHERE pushed_at IS NULL")
    assert queued["kind"] == "call" and queued["item_id"] == str(call.id)
    assert cache.outbox_count() == 1
    with pytest.raises(CacheError, match="尚未同步"):
        cache.clear()
    cache.outbox_done([queued["seq"]], "2024-06-30T10:00:00+08:00")
    assert cache.outbox_count() == 0
    cache.clear()
    assert cache.count("units") == 0
