"""The no-canteen letter's tracked state in the cache: marks, the outbox, R6 and R15 as of a day,
and the v6 migration of a cache that knew only the platform's "submitted"."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.domain.enums import LetterStatus
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import Filing, Order, Unit

TODAY = date(2024, 6, 30)
NOW = datetime(2024, 6, 30, 10, 30, tzinfo=BEIJING)
PROVINCIAL = make_credit_code("11630000", "00000001")
COUNTY = make_credit_code("11630102", "00000002")


def unit(code: str, level: str, name: str) -> Unit:
    division = "630000" if level == "provincial" else "630102"
    return Unit.model_validate(
        {"code": code, "name": name, "level": level, "division_code": division,
         "area_code": "QH0101", "supervisor_name": "青海省教育厅"}
    )  # fmt: skip


def filing(code: str, **extra: Any) -> Filing:
    fields: dict[str, Any] = {
        "unit_code": code, "year": 2024, "status": "submitted", "canteen_mode": "none",
        "union_mode": "none", "submitted_at": datetime(2024, 2, 1, 9, tzinfo=BEIJING),
        "no_canteen_letter": "missing",
    }  # fmt: skip
    fields.update(extra)
    return Filing.model_validate(fields)


def order(number: int, placed: date, part: str = "canteen", status: str = "completed") -> Order:
    at = datetime(placed.year, placed.month, placed.day, 11, tzinfo=BEIJING)
    return Order.model_validate(
        {"id": f"832-2024-{number:09d}", "unit_code": COUNTY, "year": 2024, "placed_at": at,
         "amount": 52_000, "part": part, "area_code": "QH0101", "status": status,
         "completed_at": at if status == "completed" else None}
    )  # fmt: skip


def make(folder: Path, orders: list[Order] | None = None, **letter: Any) -> Worklog:
    service = Service(Settings(cache_dir=folder, today=TODAY, user="sp-001"))
    tables: dict[str, list[Any]] = {
        "units": [
            unit(PROVINCIAL, "provincial", "青海省某厅"),
            unit(COUNTY, "county", "城东区某局"),
        ],
        "filings": [filing(PROVINCIAL, **letter), filing(COUNTY, no_canteen_letter="not_required")],
        "orders": orders or [],
    }
    service.cache.load(tables, service.policy, TODAY)
    return Worklog(service, clock=lambda: NOW)


def flags(worklog: Worklog, code: str) -> dict[str, dict[str, str]]:
    rows = worklog.service.cache.rows("SELECT flags FROM unit_stats WHERE code = ?", [code])
    return {f["rule"]: f for f in json.loads(rows[0]["flags"])}


def test_marking_saves_the_mark_and_its_outbox_row_and_moves_r6(tmp_path: Path) -> None:
    worklog = make(tmp_path)
    assert flags(worklog, PROVINCIAL)["R6"]["label"] == "缺无食堂承诺函"
    mark = worklog.mark_letter(PROVINCIAL, "sent", note="快递 SF123")
    cache = worklog.service.cache
    rows = cache.rows("SELECT * FROM letter_marks")
    assert [(r["id"], r["state"], r["seen"], r["year"], r["author"]) for r in rows] == [
        (str(mark.id), "sent", "missing", 2024, "sp-001")
    ]
    outbox = cache.rows("SELECT kind, item_id, pushed_at FROM outbox")
    assert outbox == [{"kind": "letter_mark", "item_id": str(mark.id), "pushed_at": None}]
    r6 = flags(worklog, PROVINCIAL)["R6"]
    assert r6["label"] == "承诺函已寄送待盖章" and "2024-06-30 标记" in r6["reason"]
    worklog.mark_letter(PROVINCIAL, "stamped")
    assert flags(worklog, PROVINCIAL)["R6"]["severity"] == "low"
    worklog.mark_letter(PROVINCIAL, "verified")
    assert "R6" not in flags(worklog, PROVINCIAL)
    [row] = worklog.service.letters()
    assert (row.state, row.platform, row.marked_on) == (
        LetterStatus.VERIFIED,
        LetterStatus.MISSING,
        TODAY,
    )


def test_a_backward_move_needs_consent_and_bad_input_names_the_field(tmp_path: Path) -> None:
    worklog = make(tmp_path)
    worklog.mark_letter(PROVINCIAL, "stamped")
    with pytest.raises(WorklogError, match="回退") as back:
        worklog.mark_letter(PROVINCIAL, "sent")
    assert back.value.field == "state"
    worklog.mark_letter(PROVINCIAL, "sent", backward_ok=True)
    with pytest.raises(WorklogError, match="已是") as same:
        worklog.mark_letter(PROVINCIAL, "sent")
    assert same.value.field == "state"
    with pytest.raises(WorklogError) as bad:
        worklog.mark_letter(PROVINCIAL, "lost")
    assert bad.value.field == "state" and "stamped" in str(bad.value)
    with pytest.raises(WorklogError, match="不需要无食堂承诺函") as county:
        worklog.mark_letter(COUNTY, "sent")
    assert county.value.field == "unit_code"
    assert worklog.service.cache.count("letter_marks") == 2


def test_the_platforms_newer_word_wins_over_an_older_mark(tmp_path: Path) -> None:
    worklog = make(tmp_path)
    worklog.mark_letter(PROVINCIAL, "sent")
    service = worklog.service
    # A later import from the platform: the letter was handed in and rejected.
    service.cache.upsert(
        "filings", [filing(PROVINCIAL, no_canteen_letter="rejected")], service.policy, TODAY
    )
    assert flags(worklog, PROVINCIAL)["R6"]["label"] == "承诺函被退回"
    # The specialist has it stamped again: the mark was made against "rejected", so it stands.
    worklog.mark_letter(PROVINCIAL, "stamped")
    assert flags(worklog, PROVINCIAL)["R6"]["label"] == "承诺函已盖章待核实"


def test_a_mark_made_after_the_day_is_not_known_on_it(tmp_path: Path) -> None:
    worklog = make(tmp_path)
    worklog.mark_letter(PROVINCIAL, "verified")
    cache, policy = worklog.service.cache, worklog.service.policy
    before = TODAY - timedelta(days=1)
    cache.ensure_current(policy, before, asof=before)
    facts = cache.unit_facts(PROVINCIAL)
    assert facts is not None and facts.letter_mark is None
    assert facts.letter is LetterStatus.MISSING
    cache.ensure_current(policy, TODAY, asof=TODAY)
    facts = cache.unit_facts(PROVINCIAL)
    assert facts is not None and facts.letter is LetterStatus.VERIFIED


def test_r15_reads_the_canteen_orders_of_a_unit_that_declared_none(tmp_path: Path) -> None:
    day = date(2024, 5, 10)
    orders = [
        order(1, day),
        order(2, date(2024, 5, 1), part="union"),  # not the canteen's
        order(3, date(2024, 4, 1), status="cancelled"),  # void: never bought
    ]
    worklog = make(tmp_path, orders)
    r15 = flags(worklog, COUNTY)["R15"]
    assert r15["label"] == "承诺不实风险" and r15["severity"] == "high"
    assert (
        "1 笔食堂订单" in r15["reason"]
        and "832-2024-000000001（2024-05-10，520.00 元）" in (r15["reason"])
    )
    cache, policy = worklog.service.cache, worklog.service.policy
    cache.ensure_current(policy, day, asof=day)
    assert "R15" in flags(worklog, COUNTY)
    before = day - timedelta(days=1)
    cache.ensure_current(policy, before, asof=before)
    assert "R15" not in flags(worklog, COUNTY)
    assert "R15" not in flags(worklog, PROVINCIAL)


def test_a_v5_cache_learns_the_letters_steps_on_opening(tmp_path: Path) -> None:
    worklog = make(tmp_path, no_canteen_letter="stamped")
    worklog.log_call(PROVINCIAL, "reached", ["filing"])  # an outbox row the migration must keep
    cache = worklog.service.cache
    # Back to what a v5 cache held: the platform's "submitted", no marks, the old outbox.
    cache.db.execute("UPDATE filings SET no_canteen_letter = 'submitted' WHERE year = 2024")
    cache.db.execute("DROP TABLE letter_marks")
    cache.db.execute("DROP TABLE follow_ups_done")  # v7's
    for column in ("letter_mark", "letter_mark_seen", "letter_marked_on", "canteen_orders"):
        cache.db.execute(f"ALTER TABLE unit_stats DROP COLUMN {column}")
    cache.db.execute("PRAGMA user_version = 5")
    worklog.service.close()
    reopened = Cache.open(tmp_path)
    try:
        letters = reopened.rows("SELECT no_canteen_letter FROM filings WHERE unit_code = ?",
                                [PROVINCIAL])  # fmt: skip
        assert letters == [{"no_canteen_letter": "stamped"}]
        assert reopened.count("letter_marks") == 0
        assert [r["kind"] for r in reopened.rows("SELECT kind FROM outbox")] == ["call"]
        assert reopened.get_meta("facts_year") is None  # facts are computed afresh
        service = Service(Settings(cache_dir=tmp_path, today=TODAY))
        service.prepare()
        try:
            facts = service.cache.unit_facts(PROVINCIAL)
            assert facts is not None and facts.letter is LetterStatus.STAMPED
        finally:
            service.close()
    finally:
        reopened.close()


def test_the_shell_lists_and_marks_like_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from specialist_tui.cli import main

    make(tmp_path).service.close()
    common = ["--cache-dir", str(tmp_path), "--today", "2024-06-30"]
    assert main(["letters", "mark", PROVINCIAL, "stamped", "--note", "已交省财政厅", *common]) == 0
    assert "已盖章待核实" in capsys.readouterr().err
    assert main(["letters", "mark", PROVINCIAL, "sent", *common]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["letters", "status", "--format", "json", *common]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["code"], row["state"], row["platform"]) == (PROVINCIAL, "stamped", "missing")
    assert "待省财政厅核实" in row["reason"]
    assert main(["letters", "status", "--state", "missing", "--format", "json", *common]) == 0
    assert json.loads(capsys.readouterr().out) == []
    cache = Cache.open(tmp_path)
    try:
        assert [r["note"] for r in cache.rows("SELECT note FROM letter_marks")] == ["已交省财政厅"]
        assert cache.outbox_count() == 1
    finally:
        cache.close()
