"""Facts and flags as of a day D use only what was known on D (the cache's as-of refresh)."""

from __future__ import annotations

import re
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import (
    Call,
    Filing,
    FollowUpDone,
    Order,
    Ticket,
    TicketEvent,
    Unit,
)
from specialist_tui.policies import load_policy

POLICY = load_policy("qinghai-2024")
CODE = make_credit_code("11630100", "00000001")
D = date(2024, 2, 20)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def the_unit() -> Unit:
    return Unit.model_validate(
        {
            "code": CODE,
            "name": "西宁市教育局",
            "level": "prefecture",
            "division_code": "630100",
            "area_code": "QH0101",
            "staff_count": 10,
        }
    )


def the_filing(**extra: Any) -> Filing:
    fields: dict[str, Any] = {
        "unit_code": CODE, "year": 2024, "status": "confirmed", "canteen_mode": "own",
        "union_mode": "none", "submitted_at": at(date(2024, 3, 1)),
        "confirmed_at": at(date(2024, 3, 5)), "canteen_total": 1_000_000,
        "canteen_reserved": 150_000,
    }  # fmt: skip
    fields.update(extra)
    return Filing.model_validate(fields)


def an_order(number: int, placed: date, **extra: Any) -> Order:
    fields: dict[str, Any] = {
        "id": f"832-{number}", "unit_code": CODE, "year": placed.year, "placed_at": at(placed),
        "amount": 10_000, "part": "canteen", "area_code": "QH0101", "status": "pending_payment",
    }  # fmt: skip
    fields.update(extra)
    return Order.model_validate(fields)


def a_call(day: date, outcome: str, follow_up_on: date | None = None) -> Call:
    return Call.model_validate(
        {
            "unit_code": CODE,
            "started_at": at(day),
            "outcome": outcome,
            "follow_up_on": follow_up_on,
        }
    )


def loaded(folder: Path, tables: dict[str, list[Any]]) -> Cache:
    cache = Cache.open(folder)
    cache.load({"units": [the_unit()], **tables}, POLICY, D)
    return cache


def facts_on(cache: Cache, day: date) -> UnitFacts:
    cache.ensure_current(POLICY, day, asof=day)
    found = cache.unit_facts(CODE)
    assert found is not None
    return found


def test_a_filing_submitted_after_d_is_not_submitted_on_d(tmp_path: Path) -> None:
    cache = loaded(tmp_path, {"filings": [the_filing()]})
    on_d = facts_on(cache, D)
    assert on_d.filing_status.value == "draft" and on_d.submitted_on is None
    between = facts_on(cache, date(2024, 3, 2))
    assert between.filing_status.value == "submitted" and between.confirmed_on is None
    assert between.submitted_on == date(2024, 3, 1)
    after = facts_on(cache, date(2024, 3, 5))
    assert after.filing_status.value == "confirmed" and after.confirmed_on == date(2024, 3, 5)
    cache.ensure_current(POLICY, D, asof=D)
    flags = {f.rule for f in cache.unit_rows([CODE], D)[0].flags}
    assert "R1" in flags  # who had not filed on 02-20


def test_orders_placed_after_d_do_not_exist_and_late_steps_have_not_happened(
    tmp_path: Path,
) -> None:
    orders = [
        an_order(1, date(2024, 1, 10), status="completed", paid_at=at(date(2024, 1, 12)),
                 completed_at=at(date(2024, 2, 21))),  # completed the day after D
        an_order(2, date(2024, 1, 15), status="paid", paid_at=at(date(2024, 2, 25))),
        an_order(3, date(2024, 2, 21)),  # placed the day after D
        an_order(4, date(2024, 2, 20), status="completed", paid_at=at(date(2024, 2, 20)),
                 completed_at=at(date(2024, 2, 20))),  # completed on D itself
    ]  # fmt: skip
    cache = loaded(tmp_path, {"filings": [the_filing()], "orders": orders})
    on_d = facts_on(cache, D)
    assert on_d.order_count == 3
    assert on_d.completed_canteen == 10_000  # order 4 only
    assert on_d.open_count == 2  # orders 1 and 2
    assert on_d.unpaid_count == 1 and on_d.unpaid_oldest_on == date(2024, 1, 15)  # order 2
    now = facts_on(cache, date(2024, 3, 1))
    assert now.order_count == 4 and now.completed_canteen == 20_000 and now.unpaid_count == 1


def test_an_order_completed_on_01_01_counts_for_the_new_year(tmp_path: Path) -> None:
    orders = [
        an_order(1, date(2024, 12, 28), status="completed", paid_at=at(date(2024, 12, 28)),
                 completed_at=at(date(2025, 1, 1))),
        an_order(2, date(2024, 12, 30), status="completed", paid_at=at(date(2024, 12, 30)),
                 completed_at=at(date(2024, 12, 31))),
    ]  # fmt: skip
    cache = loaded(tmp_path, {"filings": [the_filing()], "orders": orders})
    last_day = facts_on(cache, date(2024, 12, 31))
    assert last_day.completed_canteen == 10_000 and last_day.open_count == 1
    flags = {f.rule for f in cache.unit_rows([CODE], date(2024, 12, 31))[0].flags}
    assert "R13" in flags  # still open on the last day: it will not count
    next_day = facts_on(cache, date(2025, 1, 1))
    assert next_day.completed_canteen == 10_000  # completed in 2025: not 2024's spend
    assert next_day.open_count == 0


def test_calls_and_tickets_after_d_do_not_exist(tmp_path: Path) -> None:
    ticket = Ticket.model_validate(
        {
            "unit_code": CODE,
            "category": "account",
            "subject": "账号",
            "status": "resolved",
            "created_at": at(date(2024, 2, 1)),
            "due_at": at(date(2024, 2, 4)),
        }
    )
    events = [
        TicketEvent(
            ticket_id=ticket.id,
            at=at(date(2024, 2, 25)),
            kind="status",
            from_status="open",
            to_status="resolved",
        ),
    ]
    later = Ticket.model_validate(
        {
            "unit_code": CODE,
            "category": "payment",
            "subject": "付款",
            "created_at": at(date(2024, 2, 22)),
            "due_at": at(date(2024, 2, 23)),
        }
    )
    calls = [a_call(date(2024, 2, 10), "no_answer", date(2024, 2, 15)),
             a_call(date(2024, 2, 22), "reached")]  # fmt: skip
    cache = loaded(
        tmp_path,
        {"calls": calls, "tickets": [ticket, later], "ticket_events": events},
    )
    on_d = facts_on(cache, D)
    assert on_d.next_follow_up == date(2024, 2, 15)  # the reached call came later
    assert on_d.active_tickets == 1 and on_d.ticket_due_on == date(2024, 2, 4)
    now = facts_on(cache, date(2024, 3, 1))
    assert now.next_follow_up is None
    assert now.active_tickets == 1 and now.ticket_due_on == date(2024, 2, 23)


def test_a_later_call_without_a_date_never_drops_a_promise(tmp_path: Path) -> None:
    calls = [
        a_call(date(2024, 6, 1), "reached", date(2024, 6, 4)),
        a_call(date(2024, 6, 2), "callback_requested"),
        a_call(date(2024, 6, 3), "no_answer", date(2024, 6, 10)),
    ]
    cache = loaded(tmp_path, {"calls": calls})
    kept = facts_on(cache, date(2024, 6, 5))
    assert kept.next_follow_up == date(2024, 6, 4) and kept.open_promises == 2
    cache.upsert("calls", [a_call(date(2024, 6, 5), "resolved")], POLICY, date(2024, 6, 5))
    settled = cache.unit_facts(CODE)
    assert settled is not None and settled.next_follow_up is None


def test_a_promise_marked_done_is_open_until_the_day_of_the_mark(tmp_path: Path) -> None:
    first = a_call(date(2024, 6, 1), "no_answer", date(2024, 6, 4))
    second = a_call(date(2024, 6, 2), "no_answer", date(2024, 6, 8))
    mark = FollowUpDone(call_id=first.id, unit_code=CODE, at=at(date(2024, 6, 6), hour=16))
    cache = loaded(tmp_path, {"calls": [first, second], "follow_ups_done": [mark]})
    before = facts_on(cache, date(2024, 6, 5))
    assert (before.next_follow_up, before.open_promises) == (date(2024, 6, 4), 2)
    cache.ensure_current(POLICY, date(2024, 6, 5), asof=date(2024, 6, 5))
    r14 = [f for f in cache.unit_rows([CODE], date(2024, 6, 5))[0].flags if f.rule == "R14"]
    assert r14 and "约定 2024-06-04 跟进，已逾期 1 天" in r14[0].reason
    on_the_day = facts_on(cache, date(2024, 6, 6))
    assert (on_the_day.next_follow_up, on_the_day.open_promises) == (date(2024, 6, 8), 1)
    cache.ensure_current(POLICY, date(2024, 6, 6), asof=date(2024, 6, 6))
    assert not any(f.rule == "R14" for f in cache.unit_rows([CODE], date(2024, 6, 6))[0].flags)


def test_no_age_is_negative(tmp_path: Path) -> None:
    cache = loaded(tmp_path, {"orders": [an_order(1, date(2024, 3, 1))]})
    cache.ensure_current(POLICY, date(2024, 1, 15))  # every record, judged on an earlier day
    row = cache.unit_rows([CODE], date(2024, 1, 15))[0]
    assert row.unpaid_oldest_days == 0
    assert not any(re.search(r"(?<!\d)-\d", f.reason) for f in row.flags)


def test_the_service_looks_back_only_when_records_are_dated_after_today(tmp_path: Path) -> None:
    cache = loaded(tmp_path, {"filings": [the_filing()]})
    cache.close()
    later = Service(Settings(cache_dir=tmp_path, today=date(2024, 6, 30)))
    assert later.as_of is None  # nothing is dated after 06-30: every record counts
    later.close()
    earlier = Service(Settings(cache_dir=tmp_path, today=D))
    assert earlier.as_of == D and earlier.needs_preparing()
    seen: list[tuple[int, int]] = []
    earlier.prepare(lambda done, total: seen.append((done, total)))
    assert earlier.cache.unit_facts(CODE).filing_status.value == "draft"  # type: ignore[union-attr]
    assert not earlier.needs_preparing()
    earlier.close()


# -- the property: records dated after D change nothing about D ---------------------------

DAYS = st.integers(min_value=0, max_value=120).map(lambda n: date(2024, 1, 10) + timedelta(n))
# Filed before any D drawn: the filing is known the same way to both caches.
EARLY_FILING = {"submitted_at": at(date(2024, 1, 5)), "confirmed_at": at(date(2024, 1, 8))}


@st.composite
def histories(draw: st.DrawFn) -> tuple[date, list[Order], list[Call], list[Order], list[Any]]:
    """A day D, records up to D, and records (or later steps of the same orders, or promises
    marked done) after D."""
    day = draw(DAYS)
    before, after, calls, later_calls = [], [], [], []
    for n in range(draw(st.integers(0, 6))):
        placed = day - timedelta(draw(st.integers(0, 40)))
        step = draw(st.sampled_from(["open", "paid", "completed", "cancelled"]))
        later = day + timedelta(draw(st.integers(1, 30)))
        extra: dict[str, Any] = {"part": draw(st.sampled_from(["canteen", "union", "staff"]))}
        if draw(st.booleans()):
            extra["area_code"] = ""
        if step == "open":
            before.append(an_order(n, placed, **extra))
            # Later the same order is paid and completed: nothing of that was known on D.
            after.append(an_order(n, placed, status="completed", paid_at=at(later),
                                  completed_at=at(later), **extra))  # fmt: skip
        elif step == "paid":
            before.append(an_order(n, placed, status="paid", paid_at=at(placed), **extra))
            after.append(an_order(n, placed, status="completed", paid_at=at(placed),
                                  completed_at=at(later), **extra))  # fmt: skip
        else:
            status = "completed" if step == "completed" else "cancelled"
            stamp = {"completed_at": at(placed)} if step == "completed" else {}
            order = an_order(n, placed, status=status, paid_at=at(placed), **stamp, **extra)
            before.append(order)
            after.append(order)
    for n in range(draw(st.integers(0, 3))):
        after.append(an_order(100 + n, day + timedelta(draw(st.integers(1, 30)))))
    for _ in range(draw(st.integers(0, 3))):
        when = day - timedelta(draw(st.integers(0, 20)))
        outcome = draw(st.sampled_from(["reached", "no_answer", "resolved", "callback_requested"]))
        promise = when + timedelta(draw(st.integers(0, 10))) if draw(st.booleans()) else None
        calls.append(a_call(when, outcome, promise))
    for _ in range(draw(st.integers(0, 2))):
        when = day + timedelta(draw(st.integers(1, 20)))
        later_calls.append(a_call(when, draw(st.sampled_from(["reached", "resolved"]))))
    later_marks = [
        FollowUpDone(call_id=c.id, unit_code=CODE, at=at(day + timedelta(draw(st.integers(1, 9)))))
        for c in calls
        if c.follow_up_on is not None and draw(st.booleans())
    ]
    return day, before, calls, after, [*later_calls, *later_marks]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_evaluating_as_of_d_ignores_every_record_dated_after_d(
    history: tuple[date, list[Order], list[Call], list[Order], list[Any]],
) -> None:
    day, before, calls, after, later = history
    later_calls = [c for c in later if isinstance(c, Call)]
    marks = [m for m in later if isinstance(m, FollowUpDone)]
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        filing = the_filing(**EARLY_FILING)
        known = loaded(Path(first), {"filings": [filing], "orders": before, "calls": calls})
        known.ensure_current(POLICY, day)  # every record known is dated on or before D
        everything = loaded(
            Path(second),
            {
                "filings": [filing],
                "orders": after,
                "calls": calls + later_calls,
                "follow_ups_done": marks,
            },
        )
        everything.ensure_current(POLICY, day, asof=day)
        try:
            assert everything.unit_facts(CODE) == known.unit_facts(CODE)
            assert everything.unit_rows([CODE], day)[0].flags == (
                known.unit_rows([CODE], day)[0].flags
            )
        finally:
            known.close()
            everything.close()


@pytest.mark.parametrize("day", [date(2024, 2, 19), D, date(2024, 2, 21)])
def test_r1_around_the_deadline_as_of_the_day(tmp_path: Path, day: date) -> None:
    cache = loaded(tmp_path, {"filings": [the_filing(submitted_at=at(D), confirmed_at=None,
                                                     status="submitted")]})  # fmt: skip
    cache.ensure_current(POLICY, day, asof=day)
    rules = {f.rule for f in cache.unit_rows([CODE], day)[0].flags}
    assert ("R1" in rules) is (day < D)


def test_a_v4_cache_learns_its_records_latest_day_on_opening(tmp_path: Path) -> None:
    # A cache made before v5 (main's v4: events) has no data_until and the old unit_stats.
    cache = loaded(tmp_path, {"filings": [the_filing()], "orders": [an_order(1, date(2024, 4, 2))]})
    cache.db.execute(
        "INSERT INTO event_attendance (id, event_id, unit_code, kind, starts_at, topic) "
        "VALUES ('e1:u', 'e1', ?, 'seminar', '2024-05-01T09:00:00+08:00', '座谈')",
        [CODE],
    )
    cache.db.execute("DELETE FROM meta WHERE key = 'data_until'")
    cache.db.execute("DROP TABLE letter_marks")  # v6's
    cache.db.execute("DROP TABLE follow_ups_done")  # v7's
    cache.db.execute("PRAGMA user_version = 4")
    cache.close()
    reopened = Cache.open(tmp_path)
    try:
        assert reopened.data_until() == date(2024, 4, 2)  # the order, the latest stamp
        assert reopened.count("event_attendance") == 1  # v4's events kept
        reopened.ensure_current(POLICY, date(2024, 6, 30))
        facts = reopened.unit_facts(CODE)
        assert facts is not None and facts.submitted_on == date(2024, 3, 1)
        assert facts.confirmed_on == date(2024, 3, 5)
    finally:
        reopened.close()


def test_another_day_reports_the_units_judged_with_or_without_new_facts(tmp_path: Path) -> None:
    cache = loaded(tmp_path, {"filings": [the_filing()]})
    seen: list[tuple[int, int]] = []
    cache.ensure_current(POLICY, date(2024, 7, 1), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 1), (1, 1), (1, 1)]  # facts stand: only the rules run again
    seen.clear()
    cache.ensure_current(POLICY, D, asof=D, progress=lambda d, t: seen.append((d, t)))
    # Told before the first slice's rules are in, after each slice, and once all is saved.
    assert seen == [(0, 1), (1, 1), (1, 1)]
