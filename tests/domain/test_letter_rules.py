"""The no-canteen letter's state (platform + the specialist's marks) driving R6, and R15."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    LetterStatus,
    Level,
    Severity,
)
from specialist_tui.domain.facts import OrderRef, UnitFacts
from specialist_tui.domain.letter_state import combined_letter, is_backward
from specialist_tui.domain.models import LetterMark
from specialist_tui.domain.policy import parse_policy
from specialist_tui.domain.rules import RULES, evaluate

POLICIES = Path(__file__).resolve().parents[2] / "specialist_tui" / "policies"
QH = parse_policy((POLICIES / "qinghai-2024.toml").read_text(encoding="utf-8"))
CODE = "11630000MB1679617B"
SPRING = date(2024, 4, 1)
L = LetterStatus


def provincial(**kw: object) -> UnitFacts:
    base: dict[str, object] = {
        "code": CODE,
        "level": Level.PROVINCIAL,
        "canteen_mode": CanteenMode.NONE,
        "filing_status": FilingStatus.CONFIRMED,
        "no_canteen_letter": L.MISSING,
    }
    base.update(kw)
    return UnitFacts(**base)  # type: ignore[arg-type]


# -- combining the platform's status with the specialist's mark ------------------------------


@pytest.mark.parametrize(
    ("platform", "mark", "seen", "expected"),
    [
        (L.MISSING, None, None, L.MISSING),  # nothing marked: the platform's word
        (L.STAMPED, None, None, L.STAMPED),
        (L.MISSING, L.SENT, L.MISSING, L.SENT),  # the platform knows nothing newer
        (L.NOT_REQUIRED, L.SENT, L.MISSING, L.SENT),  # "not required" is "missing" here
        (L.MISSING, L.VERIFIED, L.MISSING, L.VERIFIED),  # heard the verdict by phone first
        (L.STAMPED, L.SENT, L.MISSING, L.STAMPED),  # the platform has it since: newer
        (L.VERIFIED, L.SENT, L.MISSING, L.VERIFIED),  # the platform's verdict overrides
        (L.VERIFIED, L.REJECTED, L.STAMPED, L.VERIFIED),
        (L.REJECTED, L.SENT, L.REJECTED, L.SENT),  # rejected, then sent again
        (L.STAMPED, L.SENT, L.REJECTED, L.STAMPED),  # ...and handed in once more
    ],
)
def test_latest_known_wins(
    platform: LetterStatus, mark: LetterStatus | None, seen: LetterStatus | None, expected: L
) -> None:
    assert combined_letter(platform, mark, seen) is expected


@pytest.mark.parametrize(
    ("current", "target", "backward"),
    [
        (L.MISSING, L.SENT, False),
        (L.SENT, L.STAMPED, False),
        (L.STAMPED, L.VERIFIED, False),
        (L.STAMPED, L.REJECTED, False),
        (L.REJECTED, L.SENT, False),
        (L.MISSING, L.STAMPED, False),
        (L.STAMPED, L.SENT, True),
        (L.VERIFIED, L.REJECTED, True),
        (L.VERIFIED, L.SENT, True),
    ],
)
def test_backward_moves(current: LetterStatus, target: LetterStatus, backward: bool) -> None:
    assert is_backward(current, target) is backward


def test_a_mark_takes_only_the_four_states() -> None:
    at = "2024-03-01T10:00:00+08:00"
    LetterMark(unit_code=CODE, year=2024, state=L.SENT, at=at)
    with pytest.raises(ValueError, match="只能标记为"):
        LetterMark(unit_code=CODE, year=2024, state=L.MISSING, at=at)


def test_the_former_submitted_reads_as_stamped() -> None:
    assert L("submitted") is L.STAMPED
    assert L.from_label("已报送") is L.STAMPED


# -- R6, one sentence and severity per state -------------------------------------------------


@pytest.mark.parametrize(
    ("mark", "severity", "label", "words"),
    [
        (L.SENT, Severity.MEDIUM, "承诺函已寄送待盖章", "待主管部门盖章"),
        (L.STAMPED, Severity.LOW, "承诺函已盖章待核实", "待省财政厅核实"),
        (L.REJECTED, Severity.HIGH, "承诺函被退回", "被退回"),
    ],
)
def test_r6_per_marked_state(mark: L, severity: Severity, label: str, words: str) -> None:
    f = provincial(letter_mark=mark, letter_mark_seen=L.MISSING, letter_marked_on=date(2024, 3, 5))
    flag = RULES["R6"].check(f, QH, SPRING)
    assert flag is not None
    assert (flag.severity, flag.label) == (severity, label)
    assert words in flag.reason and "2024-03-05 标记" in flag.reason


def test_r6_verified_by_mark_is_met_with_its_day() -> None:
    f = provincial(letter_mark=L.VERIFIED, letter_mark_seen=L.MISSING,
                   letter_marked_on=date(2024, 3, 5))  # fmt: skip
    assert RULES["R6"].check(f, QH, SPRING) is None
    assert RULES["R6"].met(f, QH, SPRING) == "无食堂承诺函已核实（2024-03-05 标记）"


def test_r6_platform_verdict_overrides_an_older_mark() -> None:
    f = provincial(no_canteen_letter=L.REJECTED, letter_mark=L.STAMPED,
                   letter_mark_seen=L.MISSING, letter_marked_on=date(2024, 3, 5))  # fmt: skip
    flag = RULES["R6"].check(f, QH, SPRING)
    assert flag is not None and flag.label == "承诺函被退回" and "标记" not in flag.reason


OTHER = parse_policy(
    (Path(__file__).parents[1] / "policies" / "other-2025.toml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    ("platform", "severity", "reason"),
    [
        (L.STAMPED, Severity.LOW, "无食堂承诺函已盖章报送，待省财政厅核实"),
        (L.SENT, Severity.MEDIUM, "无食堂承诺函已寄送单位，待主管部门盖章后报送省财政厅"),
        (
            L.REJECTED,
            Severity.HIGH,
            "无食堂承诺函被退回，需重新盖章报送省财政厅，否则以未完成计入考评",
        ),
    ],
)
def test_r6_on_the_platforms_word_names_no_marking_day(
    platform: L, severity: Severity, reason: str
) -> None:
    # An older mark the platform has moved past is not the state, so its day is not said.
    f = provincial(no_canteen_letter=platform, letter_mark=L.VERIFIED, letter_mark_seen=L.MISSING,
                   letter_marked_on=date(2024, 3, 5))  # fmt: skip
    assert not f.letter_from_mark
    flag = RULES["R6"].check(f, QH, SPRING)
    assert flag is not None
    assert (flag.severity, flag.reason) == (severity, reason)


@pytest.mark.parametrize(
    ("day", "severity"),
    [(date(2025, 3, 10), Severity.MEDIUM), (date(2025, 3, 11), Severity.HIGH)],
)
def test_r6_a_missing_letter_weighs_more_after_the_policys_filing_deadline(
    day: date, severity: Severity
) -> None:
    flag = RULES["R6"].check(provincial(), OTHER, day)
    assert flag is not None
    assert (flag.rule, flag.label, flag.severity) == ("R6", "缺无食堂承诺函", severity)
    assert flag.reason == "省本级无食堂单位，无食堂承诺函未报送，将以未完成计入考评"


@pytest.mark.parametrize(
    ("mark", "seen", "marked_on", "sentence"),
    [
        (None, None, None, "无食堂承诺函已核实"),  # the platform's verdict
        (L.STAMPED, L.MISSING, date(2024, 3, 5), "无食堂承诺函已核实"),  # an older mark
        (L.VERIFIED, L.MISSING, None, "无食堂承诺函已核实"),  # a mark without its day
        (L.VERIFIED, L.MISSING, date(2024, 3, 5), "无食堂承诺函已核实（2024-03-05 标记）"),
    ],
)
def test_r6_met_says_the_marking_day_only_when_the_mark_is_the_state(
    mark: L | None, seen: L | None, marked_on: date | None, sentence: str
) -> None:
    platform = L.MISSING if mark is L.VERIFIED else L.VERIFIED
    f = provincial(no_canteen_letter=platform, letter_mark=mark, letter_mark_seen=seen,
                   letter_marked_on=marked_on)  # fmt: skip
    assert RULES["R6"].check(f, QH, SPRING) is None
    assert RULES["R6"].met(f, QH, SPRING) == sentence


# -- R15 承诺不实风险 -------------------------------------------------------------------------

ORDER_DAY = date(2024, 5, 10)


def declared_none(*orders: OrderRef, **kw: object) -> UnitFacts:
    return provincial(level=Level.COUNTY, canteen_orders=orders, **kw)


def test_r15_no_orders_no_flag() -> None:
    f = declared_none()
    assert RULES["R15"].check(f, QH, ORDER_DAY) is None
    assert RULES["R15"].met(f, QH, ORDER_DAY) == "申报无食堂，2024 年没有食堂订单"


def test_r15_one_canteen_order_on_the_day() -> None:
    f = declared_none(OrderRef("DD20240510001", ORDER_DAY, 123_456))
    flag = RULES["R15"].check(f, QH, ORDER_DAY)
    assert flag is not None
    assert (flag.rule, flag.severity, flag.label) == ("R15", Severity.HIGH, "承诺不实风险")
    assert flag.reason == (
        "申报无食堂，但 2024 年有 1 笔食堂订单（共 1,234.56 元）："
        "DD20240510001（2024-05-10，1,234.56 元）"
    )


def test_r15_as_of_the_day_before() -> None:
    f = declared_none(OrderRef("DD20240510001", ORDER_DAY, 123_456))
    assert RULES["R15"].check(f, QH, date(2024, 5, 9)) is None


def test_r15_names_three_orders_oldest_first_and_counts_the_rest() -> None:
    orders = [OrderRef(f"DD2024050{n}000{n}", date(2024, 5, n), 1000 * n) for n in (4, 2, 3, 1)]
    flag = RULES["R15"].check(declared_none(*orders), QH, ORDER_DAY)
    assert flag is not None
    assert "4 笔食堂订单（共 100.00 元）" in flag.reason
    assert flag.reason.index("DD202405010001") < flag.reason.index("DD202405020002")
    assert "DD202405040004" not in flag.reason and "等 4 笔" in flag.reason


def test_r15_a_draft_is_an_early_warning() -> None:
    f = declared_none(OrderRef("DD20240510001", ORDER_DAY, 100), filing_status=FilingStatus.DRAFT)
    flag = RULES["R15"].check(f, QH, ORDER_DAY)
    assert flag is not None and flag.severity is Severity.MEDIUM


def test_r15_only_for_units_declaring_no_canteen() -> None:
    f = declared_none(OrderRef("DD20240510001", ORDER_DAY, 100), canteen_mode=CanteenMode.OWN)
    assert RULES["R15"].check(f, QH, ORDER_DAY) is None
    assert all(flag.rule != "R15" for flag in evaluate(f, QH, ORDER_DAY))
