"""R15 承诺不实风险 under the unlike-Qinghai test policy (year 2025): the reason's sentence word
for word, the orders named oldest first, as of a day (Qinghai's cases: test_letter_rules.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from specialist_tui.domain.enums import CanteenMode, FilingStatus, Level, Severity
from specialist_tui.domain.facts import OrderRef, UnitFacts
from specialist_tui.domain.policy import parse_policy
from specialist_tui.domain.rules import RULES, evaluate
from specialist_tui.domain.rules.commitment import NAMED_ORDERS, R15

OTHER = parse_policy(
    (Path(__file__).parents[1] / "policies" / "other-2025.toml").read_text(encoding="utf-8")
)
DAY = date(2025, 5, 10)


def declared_none(*orders: OrderRef, **kw: object) -> UnitFacts:
    base: dict[str, object] = {
        "code": "X",
        "level": Level.COUNTY,
        "canteen_mode": CanteenMode.NONE,
        "filing_status": FilingStatus.SUBMITTED,
        "canteen_orders": orders,
    }
    base.update(kw)
    return UnitFacts(**base)  # type: ignore[arg-type]


def order(n: int, day: date = DAY, amount: int = 10_000) -> OrderRef:
    return OrderRef(f"DD{n:03}", day, amount)


def test_r15_is_registered_with_its_names_and_clause() -> None:
    assert RULES["R15"] is R15
    assert (R15.id, R15.label, R15.title, R15.clause) == (
        "R15",
        "承诺不实风险",
        "无食堂承诺真实性",
        "一(三)",
    )
    assert NAMED_ORDERS == 3


def test_three_orders_are_all_named_without_a_count() -> None:
    flag = R15.check(declared_none(order(3), order(1), order(2)), OTHER, DAY)
    assert flag is not None
    assert (flag.rule, flag.severity, flag.label) == ("R15", Severity.HIGH, "承诺不实风险")
    assert flag.reason == (
        "申报无食堂，但 2025 年有 3 笔食堂订单（共 300.00 元）："
        "DD001（2025-05-10，100.00 元）；DD002（2025-05-10，100.00 元）；"
        "DD003（2025-05-10，100.00 元）"
    )


def test_four_orders_name_the_oldest_three_and_count_all() -> None:
    orders = [
        order(1, date(2025, 5, 9), 1),
        order(2, date(2025, 3, 1), 20),
        order(9, date(2025, 1, 2), 300),
        order(4, date(2025, 3, 1), 4_000),
    ]
    flag = R15.check(declared_none(*orders), OTHER, DAY)
    assert flag is not None
    assert flag.reason == (
        "申报无食堂，但 2025 年有 4 笔食堂订单（共 43.21 元）："
        "DD009（2025-01-02，3.00 元）；DD002（2025-03-01，0.20 元）；"
        "DD004（2025-03-01，40.00 元） 等 4 笔"
    )


def test_orders_placed_after_the_day_do_not_exist_yet() -> None:
    f = declared_none(order(1, date(2025, 5, 10)), order(2, date(2025, 5, 11)))
    flag = R15.check(f, OTHER, DAY)
    assert flag is not None
    assert flag.reason.startswith("申报无食堂，但 2025 年有 1 笔食堂订单（共 100.00 元）")
    assert R15.check(f, OTHER, date(2025, 5, 9)) is None
    assert R15.met(f, OTHER, date(2025, 5, 9)) == "申报无食堂，2025 年没有食堂订单"


@pytest.mark.parametrize(
    ("status", "severity"),
    [
        (FilingStatus.NOT_STARTED, Severity.MEDIUM),
        (FilingStatus.DRAFT, Severity.MEDIUM),
        (FilingStatus.RETURNED, Severity.MEDIUM),
        (FilingStatus.SUBMITTED, Severity.HIGH),
        (FilingStatus.CONFIRMED, Severity.HIGH),
    ],
)
def test_a_made_declaration_weighs_more_than_one_still_open(
    status: FilingStatus, severity: Severity
) -> None:
    flag = R15.check(declared_none(order(1), filing_status=status), OTHER, DAY)
    assert flag is not None and flag.severity is severity


@pytest.mark.parametrize("mode", [CanteenMode.OWN, CanteenMode.OUTSOURCED, CanteenMode.SHARED])
def test_a_unit_with_a_canteen_is_not_r15s_concern(mode: CanteenMode) -> None:
    f = declared_none(order(1), canteen_mode=mode)
    assert R15.check(f, OTHER, DAY) is None
    assert R15.met(f, OTHER, DAY) is None
    assert all(flag.rule != "R15" for flag in evaluate(f, OTHER, DAY))


def test_the_all_clear_names_the_policy_year() -> None:
    assert R15.met(declared_none(), OTHER, DAY) == "申报无食堂，2025 年没有食堂订单"
