"""Every rule and sentence under a policy whose every number differs from Qinghai's.

A number hard-coded in the domain (14 warning days, 02-26, a 15% floor, 30 days, 500 yuan, a
20-day window, the pace) or the canteen and union ratios swapped fails here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    Level,
    Severity,
    TicketPriority,
    UnionMode,
)
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.policy import parse_policy
from specialist_tui.domain.rules import (
    LATE_CONFIRMATION_BIT,
    LATE_FILING_BIT,
    RULES,
    Note,
    evaluate,
    record_mask,
)
from specialist_tui.domain.triage import next_due
from specialist_tui.domain.verdicts import Mark, verdicts

OTHER = parse_policy(
    (Path(__file__).parents[1] / "policies" / "other-2025.toml").read_text(encoding="utf-8")
)
SUMMER = date(2025, 6, 15)


def facts(**kw: object) -> UnitFacts:
    base: dict[str, object] = {"code": "X", "level": Level.COUNTY}
    base.update(kw)
    return UnitFacts(**base)  # type: ignore[arg-type]


def filed(**kw: object) -> UnitFacts:
    kw.setdefault("filing_status", FilingStatus.CONFIRMED)
    return facts(**kw)


def check(rule: str, f: UnitFacts, today: date) -> Flag | None:
    return RULES[rule].check(f, OTHER, today)


def flagged(rule: str, f: UnitFacts, today: date, severity: Severity, *needles: str) -> Flag:
    flag = check(rule, f, today)
    assert flag is not None, f"{rule} should flag on {today}"
    assert flag.severity is severity, (flag.severity, flag.reason)
    for needle in needles:
        assert needle in flag.reason, (needle, flag.reason)
    return flag


def test_the_policy_differs_from_qinghai_in_every_number() -> None:
    assert OTHER.year == 2025
    assert OTHER.deadlines.filing == date(2025, 3, 10)
    assert OTHER.min_canteen != OTHER.min_union
    assert OTHER.ticket_due(TicketPriority.URGENT) == timedelta(hours=2)


def test_r1_warning_days_and_deadline_come_from_the_policy() -> None:
    deadline = date(2025, 3, 10)
    flagged("R1", facts(), deadline - timedelta(days=10), Severity.LOW, "还有 10 天")
    flagged("R1", facts(), deadline - timedelta(days=9), Severity.MEDIUM, "还有 9 天")
    flagged("R1", facts(), deadline, Severity.HIGH, "今天（2025-03-10）截止")
    flagged("R1", facts(), deadline + timedelta(days=1), Severity.CRITICAL, "2025-03-10 1 天")


def test_r1_lateness_is_counted_from_the_policy_deadline() -> None:
    late = filed(submitted_on=date(2025, 3, 12))
    said = RULES["R1"].met(late, OTHER, SUMMER)
    assert isinstance(said, Note) and "逾期 2 天" in said.sentence
    on_time = filed(submitted_on=date(2025, 3, 10))
    assert RULES["R1"].met(on_time, OTHER, SUMMER) == (
        "预留份额填报已确认，2025-03-10 提交，截止日 2025-03-10"
    )
    assert record_mask(late, OTHER) == LATE_FILING_BIT
    assert record_mask(on_time, OTHER) == 0


def test_r2_confirmation_date_comes_from_the_policy() -> None:
    submitted = facts(filing_status=FilingStatus.SUBMITTED)
    assert check("R2", submitted, date(2025, 3, 18)) is None
    flagged("R2", submitted, date(2025, 3, 19), Severity.HIGH, "2025-03-18", "已过 1 天")
    late = filed(confirmed_on=date(2025, 3, 21))
    said = RULES["R2"].met(late, OTHER, SUMMER)
    assert isinstance(said, Note) and "逾期 3 天" in said.sentence
    assert record_mask(late, OTHER) == LATE_CONFIRMATION_BIT
    both = filed(submitted_on=date(2025, 3, 11), confirmed_on=date(2025, 3, 21))
    assert record_mask(both, OTHER) == LATE_FILING_BIT | LATE_CONFIRMATION_BIT
    unconfirmed = facts(filing_status=FilingStatus.SUBMITTED, confirmed_on=date(2025, 3, 21))
    assert record_mask(unconfirmed, OTHER) == 0


def test_r3_reads_the_canteen_floor_and_r7_the_union_floor() -> None:
    canteen = {"canteen_mode": CanteenMode.OWN, "canteen_total": 1_000_000}
    assert check("R3", filed(**canteen, canteen_reserved=200_000), SUMMER) is None
    flagged("R3", filed(**canteen, canteen_reserved=199_999), SUMMER, Severity.HIGH, "低于 20%")
    union = {"union_mode": UnionMode.INDEPENDENT, "union_total": 1_000_000}
    assert check("R7", filed(**union, union_reserved=120_000), SUMMER) is None
    flagged("R7", filed(**union, union_reserved=119_999), SUMMER, Severity.HIGH, "低于 12%")


def test_the_encouraged_ratio_is_a_note_not_a_flag() -> None:
    canteen = {"canteen_mode": CanteenMode.OWN, "canteen_total": 1_000_000}
    below = filed(**canteen, canteen_reserved=249_999)
    assert check("R3", below, SUMMER) is None
    said = RULES["R3"].met(below, OTHER, SUMMER)
    assert isinstance(said, Note)
    assert said.sentence == "食堂预留比例 24.9%，不低于 20%；低于鼓励比例 25%"
    assert RULES["R3"].met(filed(**canteen, canteen_reserved=250_000), OTHER, SUMMER) == (
        "食堂预留比例 25.0%，不低于 20%"
    )


def test_r4_names_the_policy_ratio() -> None:
    f = filed(canteen_mode=CanteenMode.OUTSOURCED, executor="X", executor_account_opened=True)
    flagged("R4", f, SUMMER, Severity.HIGH, "不低于 20% 的预留比例")
    flagged("R4", f, date(2025, 3, 10), Severity.MEDIUM)


def test_r9_pace_follows_the_policy_checkpoints() -> None:
    base = {"canteen_mode": CanteenMode.OWN, "canteen_total": 5_000_000}
    reserved = {"canteen_reserved": 1_000_000}
    may31 = date(2025, 5, 31)
    assert check("R9", filed(**base, **reserved, completed_canteen=300_000), may31) is None
    flagged(
        "R9",
        filed(**base, **reserved, completed_canteen=299_999),
        may31,
        Severity.MEDIUM,
        "测算进度 30%",
    )
    # The year-end window is 12 days: from 12-20 the flag is high.
    behind = filed(**base, **reserved)
    flagged("R9", behind, date(2025, 12, 19), Severity.MEDIUM)
    flagged("R9", behind, date(2025, 12, 20), Severity.HIGH)
    flagged("R9", behind, date(2026, 1, 1), Severity.CRITICAL, "年度已结束")


def test_r10_limit_comes_from_the_policy() -> None:
    oldest = date(2025, 5, 25)
    f = facts(unpaid_count=1, unpaid_fen=100, unpaid_oldest_on=oldest)
    assert check("R10", f, oldest + timedelta(days=21)) is None
    flagged("R10", f, oldest + timedelta(days=22), Severity.HIGH, "超过 21 天")
    flagged("R10", f, oldest + timedelta(days=63), Severity.HIGH)
    flagged("R10", f, oldest + timedelta(days=64), Severity.CRITICAL)


def test_r12_allowance_comes_from_the_policy() -> None:
    assert check("R12", facts(staff_count=10, union_spend=650_000), SUMMER) is None
    flagged(
        "R12",
        facts(staff_count=10, union_spend=650_001),
        SUMMER,
        Severity.MEDIUM,
        "每人 650 元 × 10 人 = 6,500.00 元",
    )


def test_r13_window_comes_from_the_policy() -> None:
    f = facts(open_count=1, open_fen=100)
    assert check("R13", f, date(2025, 12, 19)) is None
    flagged("R13", f, date(2025, 12, 20), Severity.HIGH, "还有 11 天")


def test_next_due_reads_the_policy_dates() -> None:
    assert next_due(facts(), OTHER, SUMMER) == date(2025, 3, 10)
    submitted = facts(filing_status=FilingStatus.SUBMITTED)
    assert next_due(submitted, OTHER, SUMMER) == date(2025, 3, 18)


def test_verdicts_come_flags_worst_first_then_notes_then_met_in_rule_order() -> None:
    unit = facts(
        filing_status=FilingStatus.DRAFT,  # R1 critical after 03-10
        canteen_mode=CanteenMode.OWN,
        canteen_total=1_000_000,
        canteen_reserved=100_000,  # R3 high
        area_missing_count=1,  # R11 medium
        order_count=1,
        staff_count=10,
        union_spend=700_000,  # R12 medium
        unpaid_count=1,
        unpaid_fen=100,
        unpaid_oldest_on=SUMMER,  # R10 met
    )
    said = verdicts(unit, OTHER, SUMMER)
    assert [(v.rule, v.mark, v.severity) for v in said] == [
        ("R1", Mark.FLAG, Severity.CRITICAL),
        ("R3", Mark.FLAG, Severity.HIGH),
        ("R11", Mark.FLAG, Severity.MEDIUM),
        ("R12", Mark.FLAG, Severity.MEDIUM),
        ("R9", Mark.NOTE, None),
        ("R10", Mark.MET, None),
        ("R14", Mark.MET, None),
    ]
    assert [f.rule for f in evaluate(unit, OTHER, SUMMER)] == ["R1", "R3", "R11", "R12"]
    r10 = said[5]
    assert (r10.label, r10.ok) == ("及时付款", True)
    assert r10.sentence == "1 笔订单待付款，最久 0 天，未超过 21 天"


@pytest.mark.parametrize("today", [date(2025, 1, 1), SUMMER, date(2025, 12, 31), date(2026, 1, 2)])
def test_no_sentence_prints_none_or_a_negative_age(today: date) -> None:
    units = [
        facts(),
        filed(canteen_mode=CanteenMode.SHARED, representative_code="X"),
        filed(canteen_mode=CanteenMode.SHARED, representative_code=None),
        filed(canteen_mode=CanteenMode.OUTSOURCED, contract_clause=True, executor="E",
              executor_account_opened=True, canteen_total=100, canteen_reserved=30),
        filed(union_mode=UnionMode.INDEPENDENT, union_total=100, union_reserved=30,
              prev_canteen_total=0, prev_canteen_reserved=0, decline_explained=True),
        facts(unpaid_count=1, unpaid_fen=1, unpaid_oldest_on=date(2025, 12, 31)),
        facts(next_follow_up=date(2025, 7, 1), open_promises=2),
    ]  # fmt: skip
    for unit in units:
        for verdict in verdicts(unit, OTHER, today):
            assert "None" not in verdict.sentence, verdict
            assert not re.search(r"(?<!\d)-\d", verdict.sentence), verdict
