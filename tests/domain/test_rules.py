"""Rules R1–R15 at their boundaries, against the shipped Qinghai 2024 policy."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    LetterStatus,
    Level,
    Severity,
    UnionMode,
)
from specialist_tui.domain.facts import Flag, OrderRef, UnitFacts
from specialist_tui.domain.policy import parse_policy
from specialist_tui.domain.rules import (
    RULE_BITS,
    RULES,
    Note,
    evaluate,
    flag_mask,
)
from specialist_tui.domain.triage import next_due, triage_score

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "specialist_tui" / "policies"
QH = parse_policy((POLICIES / "qinghai-2024.toml").read_text(encoding="utf-8"))
NATIONAL = parse_policy((POLICIES / "national-2024.toml").read_text(encoding="utf-8"))

CODE = "11630000MB1679617B"
OTHER = "11630000MB16796180"

FILING_DEADLINE = date(2024, 2, 20)
CONFIRM_DEADLINE = date(2024, 2, 26)
SPRING = date(2024, 4, 1)  # after both deadlines, well before the year-end window


def facts(**kw: object) -> UnitFacts:
    base: dict[str, object] = {"code": CODE, "level": Level.COUNTY}
    base.update(kw)
    return UnitFacts(**base)  # type: ignore[arg-type]


def filed(**kw: object) -> UnitFacts:
    kw.setdefault("filing_status", FilingStatus.CONFIRMED)
    return facts(**kw)


def assert_flag(flag: Flag | None, rule: str, severity: Severity, *needles: str) -> Flag:
    assert flag is not None, f"{rule} should flag"
    assert flag.rule == rule
    assert flag.label, "every flag names its problem"
    assert flag.severity is severity, (flag.severity, flag.reason)
    for needle in needles:
        assert needle in flag.reason, (needle, flag.reason)
    assert "\n" not in flag.reason
    return flag


def test_policy_is_the_one_the_rules_are_written_for() -> None:
    # The boundaries below are pinned to these values; fail loudly if the file changes.
    assert QH.deadlines.filing == FILING_DEADLINE
    assert QH.deadlines.confirmation == CONFIRM_DEADLINE
    assert QH.deadlines.filing_warning_days == 14
    assert QH.purchasing.unpaid_days == 30
    assert QH.year_end_window_start == date(2024, 12, 12)


# --- R1 -----------------------------------------------------------------------------------


def test_r1_deadline_day_is_high_and_says_today() -> None:
    flag = RULES["R1"].check(facts(), QH, FILING_DEADLINE)
    assert_flag(flag, "R1", Severity.HIGH, "今天", "2024-02-20", "尚未提交")


def test_r1_day_before_is_medium_with_one_day_left() -> None:
    flag = RULES["R1"].check(facts(), QH, date(2024, 2, 19))
    assert_flag(flag, "R1", Severity.MEDIUM, "还有 1 天", "2024-02-20")


def test_r1_day_after_is_critical() -> None:
    flag = RULES["R1"].check(facts(), QH, date(2024, 2, 21))
    assert_flag(flag, "R1", Severity.CRITICAL, "已超过截止日 2024-02-20 1 天")


def test_r1_long_after_counts_days() -> None:
    flag = RULES["R1"].check(facts(), QH, date(2024, 3, 1))
    assert_flag(flag, "R1", Severity.CRITICAL, " 10 天")


def test_r1_warning_window_starts_fourteen_days_before() -> None:
    first = RULES["R1"].check(facts(), QH, FILING_DEADLINE - timedelta(days=14))
    assert_flag(first, "R1", Severity.MEDIUM, "还有 14 天")
    before = RULES["R1"].check(facts(), QH, FILING_DEADLINE - timedelta(days=15))
    assert_flag(before, "R1", Severity.LOW, "还有 15 天")


@pytest.mark.parametrize("status", [FilingStatus.NOT_STARTED, FilingStatus.DRAFT])
def test_r1_unsubmitted_statuses_flag(status: FilingStatus) -> None:
    flag = RULES["R1"].check(facts(filing_status=status), QH, date(2024, 2, 21))
    assert_flag(flag, "R1", Severity.CRITICAL, "尚未提交")


def test_r1_returned_filing_is_not_filed() -> None:
    late = RULES["R1"].check(facts(filing_status=FilingStatus.RETURNED), QH, date(2024, 2, 22))
    assert_flag(late, "R1", Severity.CRITICAL, "被退回", "2 天")
    today = RULES["R1"].check(facts(filing_status=FilingStatus.RETURNED), QH, FILING_DEADLINE)
    assert_flag(today, "R1", Severity.HIGH, "被退回", "今天")


@pytest.mark.parametrize("status", [FilingStatus.SUBMITTED, FilingStatus.CONFIRMED])
def test_r1_filed_units_are_fine_even_after_deadline(status: FilingStatus) -> None:
    assert RULES["R1"].check(facts(filing_status=status), QH, date(2024, 6, 1)) is None


def test_r1_without_a_filing_date_is_off_and_says_so() -> None:
    policy = QH.model_copy(update={"deadlines": QH.deadlines.model_copy(update={"filing": None})})
    assert RULES["R1"].check(facts(), policy, date(2024, 6, 1)) is None
    said = RULES["R1"].met(facts(), policy, date(2024, 6, 1))
    assert isinstance(said, Note) and "未设填报截止日" in said.sentence


# --- R2 -----------------------------------------------------------------------------------


def test_r2_confirmation_day_itself_is_fine() -> None:
    sub = facts(filing_status=FilingStatus.SUBMITTED)
    assert RULES["R2"].check(sub, QH, CONFIRM_DEADLINE) is None
    assert RULES["R2"].check(sub, QH, CONFIRM_DEADLINE - timedelta(days=1)) is None


def test_r2_day_after_confirmation_flags() -> None:
    flag = RULES["R2"].check(facts(filing_status=FilingStatus.SUBMITTED), QH, date(2024, 2, 27))
    assert_flag(flag, "R2", Severity.HIGH, "2024-02-26", "已过 1 天")


@pytest.mark.parametrize(
    "status",
    [FilingStatus.CONFIRMED, FilingStatus.NOT_STARTED, FilingStatus.DRAFT, FilingStatus.RETURNED],
)
def test_r2_only_concerns_submitted_filings(status: FilingStatus) -> None:
    assert RULES["R2"].check(facts(filing_status=status), QH, date(2024, 3, 15)) is None


# --- R3 -----------------------------------------------------------------------------------


def test_r3_exactly_fifteen_percent_passes() -> None:
    f = filed(canteen_mode=CanteenMode.OWN, canteen_total=1_000_000, canteen_reserved=150_000)
    assert RULES["R3"].check(f, QH, SPRING) is None


def test_r3_one_fen_below_flags_and_never_shows_fifteen() -> None:
    f = filed(canteen_mode=CanteenMode.OWN, canteen_total=1_000_000, canteen_reserved=149_999)
    flag = assert_flag(
        RULES["R3"].check(f, QH, SPRING),
        "R3",
        Severity.HIGH,
        "14.9%",
        "15%",
        "1,499.99",
        "10,000.00",
    )
    assert "15.0%" not in flag.reason


def test_r3_fractional_fifteen_percent_boundary() -> None:
    # 15% of 10,000.01 yuan is 1,500.0015 yuan: 150,001 fen is enough, 150,000 fen is not.
    total = 1_000_001
    ok = filed(canteen_mode=CanteenMode.OWN, canteen_total=total, canteen_reserved=150_001)
    assert RULES["R3"].check(ok, QH, SPRING) is None
    short = filed(canteen_mode=CanteenMode.OWN, canteen_total=total, canteen_reserved=150_000)
    flag = assert_flag(
        RULES["R3"].check(short, QH, SPRING), "R3", Severity.HIGH, "14.9%", "1,500.00", "10,000.01"
    )
    assert "15.0%" not in flag.reason


def test_r3_shows_the_floor_percentage() -> None:
    f = filed(canteen_mode=CanteenMode.OWN, canteen_total=300, canteen_reserved=36)
    assert_flag(RULES["R3"].check(f, QH, SPRING), "R3", Severity.HIGH, "12.0%", "0.36", "3.00")


def test_r3_applies_to_outsourced_canteens() -> None:
    f = filed(canteen_mode=CanteenMode.OUTSOURCED, canteen_total=1000, canteen_reserved=100)
    assert_flag(RULES["R3"].check(f, QH, SPRING), "R3", Severity.HIGH, "10.0%")


@pytest.mark.parametrize("mode", [CanteenMode.SHARED, CanteenMode.NONE, None])
def test_r3_ignores_units_without_own_ratio(mode: CanteenMode | None) -> None:
    f = filed(canteen_mode=mode, canteen_total=1000, canteen_reserved=0)
    assert RULES["R3"].check(f, QH, SPRING) is None


def test_r3_zero_total_flags_only_once_filed() -> None:
    draft = facts(filing_status=FilingStatus.DRAFT, canteen_mode=CanteenMode.OWN)
    assert RULES["R3"].check(draft, QH, SPRING) is None
    done = filed(canteen_mode=CanteenMode.OWN)
    assert_flag(RULES["R3"].check(done, QH, SPRING), "R3", Severity.MEDIUM, "为 0")


def test_r3_reads_the_minimum_from_policy() -> None:
    f = filed(canteen_mode=CanteenMode.OWN, canteen_total=1000, canteen_reserved=120)
    assert RULES["R3"].check(f, NATIONAL, SPRING) is None
    assert_flag(RULES["R3"].check(f, QH, SPRING), "R3", Severity.HIGH, "12.0%", "15%")
    low = filed(canteen_mode=CanteenMode.OWN, canteen_total=1000, canteen_reserved=99)
    assert_flag(RULES["R3"].check(low, NATIONAL, SPRING), "R3", Severity.HIGH, "9.9%", "10%")


# --- R4 -----------------------------------------------------------------------------------


def outsourced(**kw: object) -> UnitFacts:
    base: dict[str, object] = {
        "canteen_mode": CanteenMode.OUTSOURCED,
        "contract_clause": True,
        "executor": "青海某餐饮管理有限公司",
        "executor_account_opened": True,
    }
    base.update(kw)
    return filed(**base)


def test_r4_complete_outsourcing_is_fine() -> None:
    assert RULES["R4"].check(outsourced(), QH, SPRING) is None


def test_r4_missing_clause_names_the_ratio() -> None:
    flag = RULES["R4"].check(outsourced(contract_clause=False), QH, date(2024, 2, 1))
    assert_flag(flag, "R4", Severity.MEDIUM, "外包合同", "15%")


def test_r4_no_executor() -> None:
    flag = RULES["R4"].check(
        outsourced(executor="", executor_account_opened=False), QH, date(2024, 2, 1)
    )
    assert_flag(flag, "R4", Severity.MEDIUM, "未确定采购执行主体")
    assert "开通" not in flag.reason  # no account complaint without an executor


def test_r4_executor_without_account_names_it() -> None:
    flag = RULES["R4"].check(outsourced(executor_account_opened=False), QH, date(2024, 2, 1))
    assert_flag(flag, "R4", Severity.MEDIUM, "青海某餐饮管理有限公司", "未在832平台开通")


def test_r4_lists_every_problem_and_is_high_after_deadline() -> None:
    f = outsourced(contract_clause=False, executor="")
    on_deadline = RULES["R4"].check(f, QH, FILING_DEADLINE)
    assert_flag(on_deadline, "R4", Severity.MEDIUM)
    after = RULES["R4"].check(f, QH, FILING_DEADLINE + timedelta(days=1))
    flag = assert_flag(after, "R4", Severity.HIGH, "外包合同", "未确定采购执行主体")
    assert flag.reason.count("；") == 1


@pytest.mark.parametrize("mode", [CanteenMode.OWN, CanteenMode.SHARED, CanteenMode.NONE, None])
def test_r4_only_outsourced(mode: CanteenMode | None) -> None:
    assert RULES["R4"].check(filed(canteen_mode=mode), QH, SPRING) is None


# --- R5 -----------------------------------------------------------------------------------


def test_r5_no_representative() -> None:
    f = filed(canteen_mode=CanteenMode.SHARED)
    assert_flag(
        RULES["R5"].check(f, QH, date(2024, 2, 1)), "R5", Severity.MEDIUM, "未确定代表填报单位"
    )
    assert_flag(RULES["R5"].check(f, QH, SPRING), "R5", Severity.HIGH, "未确定代表填报单位")


@pytest.mark.parametrize("status", [FilingStatus.SUBMITTED, FilingStatus.CONFIRMED])
def test_r5_representative_filed_is_fine(status: FilingStatus) -> None:
    f = filed(
        canteen_mode=CanteenMode.SHARED, representative_code=OTHER, representative_status=status
    )
    assert RULES["R5"].check(f, QH, SPRING) is None


def test_r5_representative_not_filed_names_it_and_its_status() -> None:
    f = filed(
        canteen_mode=CanteenMode.SHARED,
        representative_code=OTHER,
        representative_status=FilingStatus.DRAFT,
    )
    assert_flag(RULES["R5"].check(f, QH, SPRING), "R5", Severity.HIGH, OTHER, "草稿")


def test_r5_representative_unknown_locally() -> None:
    f = filed(canteen_mode=CanteenMode.SHARED, representative_code=OTHER)
    assert_flag(RULES["R5"].check(f, QH, SPRING), "R5", Severity.HIGH, OTHER, "不在本地数据中")


def test_r5_representative_itself_is_left_to_r1() -> None:
    f = facts(canteen_mode=CanteenMode.SHARED, representative_code=CODE)
    assert RULES["R5"].check(f, QH, SPRING) is None


def test_r5_only_shared() -> None:
    assert RULES["R5"].check(filed(canteen_mode=CanteenMode.OWN), QH, SPRING) is None


# --- R6 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("letter", [LetterStatus.MISSING, LetterStatus.NOT_REQUIRED])
def test_r6_provincial_without_letter(letter: LetterStatus) -> None:
    f = filed(level=Level.PROVINCIAL, canteen_mode=CanteenMode.NONE, no_canteen_letter=letter)
    assert_flag(RULES["R6"].check(f, QH, FILING_DEADLINE), "R6", Severity.MEDIUM, "未报送")
    assert_flag(RULES["R6"].check(f, QH, date(2024, 2, 21)), "R6", Severity.HIGH, "未报送")


def test_r6_rejected_letter() -> None:
    f = filed(
        level=Level.PROVINCIAL,
        canteen_mode=CanteenMode.NONE,
        no_canteen_letter=LetterStatus.REJECTED,
    )
    assert_flag(RULES["R6"].check(f, QH, SPRING), "R6", Severity.HIGH, "被退回")


def test_r6_stamped_letter_awaits_verification() -> None:
    f = filed(
        level=Level.PROVINCIAL,
        canteen_mode=CanteenMode.NONE,
        no_canteen_letter=LetterStatus.STAMPED,
    )
    assert_flag(RULES["R6"].check(f, QH, SPRING), "R6", Severity.LOW, "待省财政厅核实")


def test_r6_verified_letter_is_fine() -> None:
    f = filed(
        level=Level.PROVINCIAL,
        canteen_mode=CanteenMode.NONE,
        no_canteen_letter=LetterStatus.VERIFIED,
    )
    assert RULES["R6"].check(f, QH, SPRING) is None


@pytest.mark.parametrize(
    ("level", "mode"),
    [
        (Level.PREFECTURE, CanteenMode.NONE),
        (Level.COUNTY, CanteenMode.NONE),
        (Level.PROVINCIAL, CanteenMode.OWN),
        (Level.PROVINCIAL, None),
    ],
)
def test_r6_only_provincial_units_without_canteen(level: Level, mode: CanteenMode | None) -> None:
    f = filed(level=level, canteen_mode=mode, no_canteen_letter=LetterStatus.MISSING)
    assert RULES["R6"].check(f, QH, SPRING) is None


# --- R7 -----------------------------------------------------------------------------------


def test_r7_exactly_fifteen_percent_passes() -> None:
    f = filed(union_mode=UnionMode.INDEPENDENT, union_total=1_000_000, union_reserved=150_000)
    assert RULES["R7"].check(f, QH, SPRING) is None


def test_r7_one_fen_below_flags() -> None:
    f = filed(union_mode=UnionMode.INDEPENDENT, union_total=1_000_000, union_reserved=149_999)
    flag = assert_flag(
        RULES["R7"].check(f, QH, SPRING),
        "R7",
        Severity.HIGH,
        "14.9%",
        "15%",
        "1,499.99",
        "10,000.00",
    )
    assert "15.0%" not in flag.reason
    assert "工会" in flag.reason


def test_r7_fractional_boundary() -> None:
    total = 1_000_001
    ok = filed(union_mode=UnionMode.INDEPENDENT, union_total=total, union_reserved=150_001)
    assert RULES["R7"].check(ok, QH, SPRING) is None
    short = filed(union_mode=UnionMode.INDEPENDENT, union_total=total, union_reserved=150_000)
    flag = assert_flag(RULES["R7"].check(short, QH, SPRING), "R7", Severity.HIGH, "14.9%")
    assert "15.0%" not in flag.reason


@pytest.mark.parametrize("mode", [UnionMode.NONE, None])
def test_r7_only_independent_unions(mode: UnionMode | None) -> None:
    f = filed(union_mode=mode, union_total=1000, union_reserved=0)
    assert RULES["R7"].check(f, QH, SPRING) is None


def test_r7_zero_total_flags_only_once_filed() -> None:
    draft = facts(filing_status=FilingStatus.DRAFT, union_mode=UnionMode.INDEPENDENT)
    assert RULES["R7"].check(draft, QH, SPRING) is None
    done = filed(union_mode=UnionMode.INDEPENDENT)
    assert_flag(RULES["R7"].check(done, QH, SPRING), "R7", Severity.MEDIUM, "为 0")


def test_r7_does_not_read_the_canteen_figures() -> None:
    f = filed(
        union_mode=UnionMode.INDEPENDENT,
        union_total=1000,
        union_reserved=500,
        canteen_mode=CanteenMode.OWN,
        canteen_total=1000,
        canteen_reserved=0,
    )
    assert RULES["R7"].check(f, QH, SPRING) is None


# --- R8 -----------------------------------------------------------------------------------


def declining(**kw: object) -> UnitFacts:
    base: dict[str, object] = {
        "canteen_mode": CanteenMode.OWN,
        "canteen_total": 1_000_000,
        "canteen_reserved": 150_000,
        "prev_canteen_total": 1_000_000,
        "prev_canteen_reserved": 200_000,
    }
    base.update(kw)
    return filed(**base)


def test_r8_amount_drop_unexplained() -> None:
    flag = RULES["R8"].check(declining(), QH, SPRING)
    assert_flag(
        flag, "R8", Severity.MEDIUM, "下降 500.00 元", "上年 2,000.00 元", "今年 1,500.00 元"
    )
    assert "由 20.0% 降至 15.0%" in flag.reason  # the share fell as well


def test_r8_explained_drop_is_fine() -> None:
    assert RULES["R8"].check(declining(decline_explained=True), QH, SPRING) is None


def test_r8_not_started_is_left_to_r1() -> None:
    assert RULES["R8"].check(declining(filing_status=FilingStatus.NOT_STARTED), QH, SPRING) is None


def test_r8_draft_is_already_checked() -> None:
    assert RULES["R8"].check(declining(filing_status=FilingStatus.DRAFT), QH, SPRING) is not None


def test_r8_needs_last_year() -> None:
    assert RULES["R8"].check(declining(prev_canteen_reserved=None), QH, SPRING) is None
    assert RULES["R8"].check(declining(prev_canteen_total=None), QH, SPRING) is None


def test_r8_same_figures_are_fine() -> None:
    f = declining(prev_canteen_reserved=150_000)
    assert RULES["R8"].check(f, QH, SPRING) is None


def test_r8_share_drop_with_same_amount() -> None:
    f = declining(canteen_total=1_100_000, prev_canteen_reserved=150_000)
    flag = assert_flag(
        RULES["R8"].check(f, QH, SPRING), "R8", Severity.MEDIUM, "由 15.0% 降至 13.6%"
    )
    assert "金额" not in flag.reason  # the amount itself did not fall


def test_r8_share_drop_while_amount_grows() -> None:
    f = declining(canteen_total=1_200_000, canteen_reserved=160_000, prev_canteen_reserved=150_000)
    flag = assert_flag(RULES["R8"].check(f, QH, SPRING), "R8", Severity.MEDIUM, "降至 13.3%")
    assert "金额" not in flag.reason


def test_r8_union_reservations_count_toward_the_amount() -> None:
    # Canteen share unchanged; union reservation 600 yuan last year, 100 yuan now.
    f = declining(
        canteen_reserved=200_000,
        union_reserved=10_000,
        prev_union_reserved=60_000,
    )
    assert_flag(RULES["R8"].check(f, QH, SPRING), "R8", Severity.MEDIUM, "下降 500.00 元")
    grown = declining(canteen_reserved=200_000, union_reserved=60_000, prev_union_reserved=60_000)
    assert RULES["R8"].check(grown, QH, SPRING) is None


def test_r8_a_union_share_needs_last_years_union_total() -> None:
    # Last year's union reservation without its total: the amount is compared, no share is.
    f = declining(
        canteen_reserved=200_000,
        union_mode=UnionMode.INDEPENDENT,
        union_total=100_000,
        union_reserved=60_000,
        prev_union_reserved=60_000,
    )
    assert RULES["R8"].check(f, QH, SPRING) is None
    lower = declining(
        canteen_reserved=200_000,
        union_mode=UnionMode.INDEPENDENT,
        union_total=100_000,
        union_reserved=50_000,
        prev_union_reserved=60_000,
    )
    flag = RULES["R8"].check(lower, QH, SPRING)
    assert flag is not None
    assert "工会预留比例" not in flag.reason and "下降 100.00 元" in flag.reason


# --- R9 -----------------------------------------------------------------------------------

RESERVED = 1_000_000  # 10,000 yuan reserved


def paced(done: int, **kw: object) -> UnitFacts:
    base: dict[str, object] = {
        "canteen_mode": CanteenMode.OWN,
        "canteen_total": 5_000_000,
        "canteen_reserved": RESERVED,
        "completed_canteen": done,
    }
    base.update(kw)
    return filed(**base)


def test_r9_leap_day_boundary() -> None:
    # Qinghai's 测算进度 is 40% by 06-30 (day 182 of 366), so 2024-02-29 (day 60) asks
    # 1,000,000 × 0.4 × 60/182 = 131,868.13 fen: 131,869 keeps pace and 131,868 is behind.
    leap_day = date(2024, 2, 29)
    assert RULES["R9"].check(paced(131_869), QH, leap_day) is None
    flag = RULES["R9"].check(paced(131_868), QH, leap_day)
    assert_flag(flag, "R9", Severity.MEDIUM, "1,318.68", "13.1%", "测算进度 13.2%")


def test_r9_checkpoint_day_asks_exactly_its_share() -> None:
    june = date(2024, 6, 30)
    assert RULES["R9"].check(paced(400_000), QH, june) is None
    flag = RULES["R9"].check(paced(399_999), QH, june)
    assert_flag(flag, "R9", Severity.MEDIUM, "3,999.99", "测算进度 40%", "应达 4,000.00 元")


def test_r9_day_after_a_checkpoint_climbs_towards_the_next() -> None:
    # 07-01 is day 1 of the 92 days to 09-30 (70%): 40% + 30% × 1/92 → 403,260.87 fen.
    july = date(2024, 7, 1)
    assert RULES["R9"].check(paced(403_261), QH, july) is None
    assert RULES["R9"].check(paced(403_260), QH, july) is not None


def test_r9_shown_requirement_is_above_the_spend_that_misses_it() -> None:
    flag = RULES["R9"].check(paced(131_868), QH, date(2024, 2, 29))
    assert flag is not None
    match = re.search(r"应达 ([\d,]+\.\d\d) 元", flag.reason)
    assert match, flag.reason
    assert match.group(1) == "1,318.69"


def test_r9_all_completed_parts_count() -> None:
    leap_day = date(2024, 2, 29)
    split = paced(0, completed_canteen=100_000, completed_union=31_000, completed_staff=869)
    assert RULES["R9"].check(split, QH, leap_day) is None
    short = paced(0, completed_canteen=100_000, completed_union=31_000, completed_staff=868)
    assert RULES["R9"].check(short, QH, leap_day) is not None


def test_r9_union_reservation_adds_to_the_target() -> None:
    leap_day = date(2024, 2, 29)
    f = paced(131_869, union_mode=UnionMode.INDEPENDENT, union_total=100_000, union_reserved=1)
    # 1,000,001 × 12/91 = 131,868.26 → 131,869 still enough; more union tips it.
    assert RULES["R9"].check(f, QH, leap_day) is None
    g = paced(131_869, union_mode=UnionMode.INDEPENDENT, union_total=100_000, union_reserved=10)
    assert RULES["R9"].check(g, QH, leap_day) is not None


def test_r9_high_inside_the_year_end_window() -> None:
    assert_flag(RULES["R9"].check(paced(0), QH, date(2024, 12, 11)), "R9", Severity.MEDIUM)
    assert_flag(RULES["R9"].check(paced(0), QH, date(2024, 12, 12)), "R9", Severity.HIGH)
    assert_flag(RULES["R9"].check(paced(0), QH, date(2024, 12, 31)), "R9", Severity.HIGH)


def test_r9_year_end_short_is_critical() -> None:
    flag = RULES["R9"].check(paced(RESERVED - 1), QH, date(2025, 1, 1))
    assert_flag(flag, "R9", Severity.CRITICAL, "年度已结束", "9,999.99", "10,000.00", "99.9%")


def test_r9_year_end_reached_is_fine() -> None:
    assert RULES["R9"].check(paced(RESERVED), QH, date(2025, 1, 1)) is None


def test_r9_last_day_needs_the_whole_reservation() -> None:
    last = date(2024, 12, 31)
    assert RULES["R9"].check(paced(RESERVED), QH, last) is None
    flag = RULES["R9"].check(paced(RESERVED - 1), QH, last)
    assert_flag(flag, "R9", Severity.HIGH, "测算进度 100%")


def test_r9_needs_a_filed_reservation() -> None:
    assert RULES["R9"].check(paced(0, filing_status=FilingStatus.DRAFT), QH, SPRING) is None
    assert RULES["R9"].check(paced(0, canteen_reserved=0), QH, SPRING) is None


def test_r9_first_day_of_year() -> None:
    # Day 1: 1,000,000 × 0.4 / 182 = 2,197.80 fen.
    jan1 = date(2024, 1, 1)
    assert RULES["R9"].check(paced(2_198), QH, jan1) is None
    assert RULES["R9"].check(paced(2_197), QH, jan1) is not None


# --- R10 ----------------------------------------------------------------------------------


def unpaid(age: int, today: date = SPRING) -> UnitFacts:
    return facts(unpaid_count=2, unpaid_fen=123_456, unpaid_oldest_on=today - timedelta(days=age))


def test_r10_exactly_thirty_days_is_fine() -> None:
    assert RULES["R10"].check(unpaid(30), QH, SPRING) is None
    assert RULES["R10"].check(unpaid(0), QH, SPRING) is None


def test_r10_thirty_one_days_flags() -> None:
    flag = RULES["R10"].check(unpaid(31), QH, SPRING)
    assert_flag(flag, "R10", Severity.HIGH, "2 笔", "1,234.56", "31 天", "30 天")


def test_r10_beyond_three_limits_is_critical() -> None:
    assert_flag(RULES["R10"].check(unpaid(90), QH, SPRING), "R10", Severity.HIGH, "90 天")
    assert_flag(RULES["R10"].check(unpaid(91), QH, SPRING), "R10", Severity.CRITICAL, "91 天")


def test_r10_nothing_unpaid() -> None:
    assert RULES["R10"].check(facts(), QH, SPRING) is None


# --- R11 ----------------------------------------------------------------------------------


def test_r11_missing_codes_name_the_expected_code() -> None:
    flag = RULES["R11"].check(facts(area_missing_count=3, area_code="QH0101"), QH, SPRING)
    flag = assert_flag(flag, "R11", Severity.MEDIUM, "3 笔订单未填区域代码", "应为 QH0101")
    assert flag.label == "区域代码缺失"


def test_r11_a_wrong_code_is_not_called_missing() -> None:
    flag = RULES["R11"].check(facts(area_wrong_count=2, area_code="QH0101"), QH, SPRING)
    flag = assert_flag(flag, "R11", Severity.MEDIUM, "2 笔订单填了其他区域代码")
    assert flag.label == "区域代码有误" and "未填" not in flag.reason


def test_r11_unit_without_area_code() -> None:
    flag = RULES["R11"].check(facts(area_missing_count=1), QH, SPRING)
    assert_flag(flag, "R11", Severity.MEDIUM, "单位未登记区域代码")


def test_r11_no_stray_orders() -> None:
    assert RULES["R11"].check(facts(area_code="QH0101"), QH, SPRING) is None


# --- R12 ----------------------------------------------------------------------------------


def test_r12_exactly_the_allowance_passes() -> None:
    assert RULES["R12"].check(facts(staff_count=10, union_spend=500_000), QH, SPRING) is None


def test_r12_one_fen_over_flags() -> None:
    flag = RULES["R12"].check(facts(staff_count=10, union_spend=500_001), QH, SPRING)
    assert_flag(flag, "R12", Severity.MEDIUM, "5,000.01", "500 元 × 10 人 = 5,000.00 元")


def test_r12_without_staff_count_is_silent() -> None:
    assert RULES["R12"].check(facts(union_spend=10**9), QH, SPRING) is None


# --- R13 ----------------------------------------------------------------------------------


def test_r13_window_start_flags_and_day_before_does_not() -> None:
    f = facts(open_count=2, open_fen=88_800)
    assert RULES["R13"].check(f, QH, date(2024, 12, 11)) is None
    flag = RULES["R13"].check(f, QH, date(2024, 12, 12))
    assert_flag(flag, "R13", Severity.HIGH, "2 笔", "888.00", "还有 19 天")


def test_r13_last_day_and_after_year_end() -> None:
    f = facts(open_count=1, open_fen=100)
    flag = assert_flag(
        RULES["R13"].check(f, QH, date(2024, 12, 31)), "R13", Severity.HIGH, "今天是年内最后一天"
    )
    assert "0 天" not in flag.reason
    assert RULES["R13"].check(f, QH, date(2025, 1, 1)) is None


def test_r13_no_open_orders() -> None:
    assert RULES["R13"].check(facts(), QH, date(2024, 12, 20)) is None


# --- R14 ----------------------------------------------------------------------------------


def test_r14_follow_up_today_is_medium() -> None:
    flag = RULES["R14"].check(facts(next_follow_up=SPRING), QH, SPRING)
    assert_flag(flag, "R14", Severity.MEDIUM, "今天约定跟进")


def test_r14_follow_up_yesterday_is_high() -> None:
    flag = RULES["R14"].check(facts(next_follow_up=SPRING - timedelta(days=1)), QH, SPRING)
    assert_flag(flag, "R14", Severity.HIGH, "2024-03-31", "已逾期 1 天")


def test_r14_follow_up_tomorrow_is_nothing() -> None:
    assert RULES["R14"].check(facts(next_follow_up=SPRING + timedelta(days=1)), QH, SPRING) is None


def test_r14_ticket_due() -> None:
    assert_flag(
        RULES["R14"].check(facts(ticket_due_on=SPRING), QH, SPRING),
        "R14",
        Severity.MEDIUM,
        "今天到期",
    )
    late = RULES["R14"].check(facts(ticket_due_on=SPRING - timedelta(days=3)), QH, SPRING)
    assert_flag(late, "R14", Severity.HIGH, "工单", "3 天")
    assert RULES["R14"].check(facts(ticket_due_on=SPRING + timedelta(days=1)), QH, SPRING) is None


def test_r14_both_promises_in_one_flag_worst_severity() -> None:
    f = facts(next_follow_up=SPRING, ticket_due_on=SPRING - timedelta(days=2))
    flag = assert_flag(
        RULES["R14"].check(f, QH, SPRING), "R14", Severity.HIGH, "今天约定跟进", "2 天"
    )
    assert flag.reason.count("；") == 1


# --- evaluate, mask, score, next_due ------------------------------------------------------


def test_every_rule_is_registered_with_a_label() -> None:
    assert list(RULES) == [f"R{n}" for n in range(1, 16)]
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id and rule.label and rule.title and rule.clause


def test_clean_unit_has_no_flags() -> None:
    f = filed(
        canteen_mode=CanteenMode.OWN,
        canteen_total=1_000_000,
        canteen_reserved=150_000,
        completed_canteen=150_000,
    )
    assert evaluate(f, QH, SPRING) == []


def test_evaluate_sorts_worst_first() -> None:
    f = facts(
        filing_status=FilingStatus.DRAFT,  # R1 critical after the deadline
        area_missing_count=1,  # R11 medium
        unpaid_count=1,
        unpaid_fen=100,
        unpaid_oldest_on=SPRING - timedelta(days=40),  # R10 high
        next_follow_up=SPRING,  # R14 medium
        staff_count=1,
        union_spend=50_001,  # R12 medium
    )
    flags = evaluate(f, QH, SPRING)
    assert {flag.rule for flag in flags} == {"R1", "R10", "R11", "R12", "R14"}
    weights = [flag.severity.weight for flag in flags]
    assert weights == sorted(weights, reverse=True)
    assert flags[0].rule == "R1"
    assert flags[1].rule == "R10"
    # Equal severities keep the rule order.
    assert [flag.rule for flag in flags[2:]] == ["R11", "R12", "R14"]


def test_flag_mask_bits() -> None:
    def flag(rule: str) -> Flag:
        return Flag(rule, Severity.LOW, RULES[rule].label, "x")

    assert flag_mask([]) == 0
    assert flag_mask([flag("R1")]) == 0b10
    assert flag_mask([flag("R14")]) == 1 << 14
    assert flag_mask([flag("R1"), flag("R3"), flag("R3")]) == (1 << 1) | (1 << 3)
    assert len(set(RULE_BITS.values())) == 15
    for n in range(1, 16):
        assert RULE_BITS[f"R{n}"] == 1 << n


def test_flag_mask_of_evaluate() -> None:
    f = facts(area_missing_count=1, next_follow_up=SPRING)
    mask = flag_mask(evaluate(f, QH, SPRING))
    assert mask == RULE_BITS["R1"] | RULE_BITS["R11"] | RULE_BITS["R14"]


def test_flag_dict_round_trip() -> None:
    flag = Flag("R3", Severity.HIGH, RULES["R3"].label, "食堂预留比例 12.0% 低于 15%")
    assert flag.as_dict()["severity"] == "high"
    assert flag.as_dict() == {
        "rule": "R3",
        "severity": "high",
        "label": RULES["R3"].label,
        "reason": "食堂预留比例 12.0% 低于 15%",
    }


def test_triage_score_one_critical_outranks_nine_highs() -> None:
    def many(severity: Severity, n: int) -> list[Flag]:
        return [Flag("R1", severity, "", "") for _ in range(n)]

    assert triage_score([]) == 0
    assert triage_score(many(Severity.CRITICAL, 1)) > triage_score(many(Severity.HIGH, 9))
    assert triage_score(many(Severity.HIGH, 1)) > triage_score(many(Severity.MEDIUM, 9))
    assert triage_score(many(Severity.MEDIUM, 1)) > triage_score(many(Severity.LOW, 9))
    assert triage_score(many(Severity.HIGH, 2) + many(Severity.LOW, 1)) == 201


def test_triage_score_ranks_real_units() -> None:
    late = facts()  # R1 critical
    busy = filed(
        area_missing_count=1,
        next_follow_up=SPRING - timedelta(days=1),
        unpaid_count=1,
        unpaid_oldest_on=SPRING - timedelta(days=31),
    )
    assert triage_score(evaluate(late, QH, SPRING)) > triage_score(evaluate(busy, QH, SPRING))


def test_next_due_filing_deadline_when_not_filed() -> None:
    assert next_due(facts(), QH, date(2024, 1, 10)) == FILING_DEADLINE
    # Past dates are included: an overdue filing stays the nearest thing owed.
    assert next_due(facts(), QH, SPRING) == FILING_DEADLINE


def test_next_due_confirmation_when_submitted() -> None:
    assert next_due(facts(filing_status=FilingStatus.SUBMITTED), QH, SPRING) == CONFIRM_DEADLINE


def test_next_due_year_end_for_unbought_reservation_or_open_orders() -> None:
    short = filed(canteen_reserved=100, completed_canteen=99)
    assert next_due(short, QH, SPRING) == date(2024, 12, 31)
    bought = filed(canteen_reserved=100, completed_canteen=100)
    assert next_due(bought, QH, SPRING) is None
    pending = filed(canteen_reserved=100, completed_canteen=100, open_count=1)
    assert next_due(pending, QH, SPRING) == date(2024, 12, 31)


def test_next_due_takes_the_nearest_promise() -> None:
    f = filed(
        canteen_reserved=100,
        next_follow_up=date(2024, 5, 3),
        ticket_due_on=date(2024, 4, 20),
    )
    assert next_due(f, QH, SPRING) == date(2024, 4, 20)
    g = facts(next_follow_up=date(2024, 2, 1))
    assert next_due(g, QH, date(2024, 1, 10)) == date(2024, 2, 1)


def test_two_flags_come_worst_first_even_against_rule_order() -> None:
    # R8 (medium) comes before R15 (high) in rule order; a pair is sorted like any list.
    f = filed(
        canteen_mode=CanteenMode.NONE,
        canteen_orders=(OrderRef("DD1", date(2024, 3, 1), 100),),
        prev_canteen_total=1_000_000,
        prev_canteen_reserved=200_000,
    )
    assert [(x.rule, x.severity) for x in evaluate(f, QH, SPRING)] == [
        ("R15", Severity.HIGH),
        ("R8", Severity.MEDIUM),
    ]
