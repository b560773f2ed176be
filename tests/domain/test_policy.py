"""The shipped policy files parse to the notice's numbers; bad files fail on one clear line."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from specialist_tui.domain.enums import TicketPriority
from specialist_tui.domain.policy import Policy, PolicyError, parse_policy

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "specialist_tui" / "policies"
QH_TEXT = (POLICIES / "qinghai-2024.toml").read_text(encoding="utf-8")
NATIONAL_TEXT = (POLICIES / "national-2024.toml").read_text(encoding="utf-8")


def qh_with(old: str, new: str) -> str:
    assert old in QH_TEXT, old
    return QH_TEXT.replace(old, new, 1)


def policy_error(text: str, source: str = "qinghai-2024.toml") -> str:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, source)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(f"{source}："), message
    return message


def test_every_shipped_policy_parses() -> None:
    files = sorted(POLICIES.glob("*.toml"))
    assert {f.name for f in files} >= {"qinghai-2024.toml", "national-2024.toml"}
    for file in files:
        policy = parse_policy(file.read_text(encoding="utf-8"), file.name)
        assert isinstance(policy, Policy)
        assert policy.id == file.stem


def test_qinghai_values() -> None:
    qh = parse_policy(QH_TEXT)
    assert qh.id == "qinghai-2024"
    assert qh.year == 2024
    assert qh.policy.province == "青海省"
    assert qh.policy.division_prefix == "63"
    assert qh.deadlines.filing == date(2024, 2, 20)
    assert qh.deadlines.confirmation == date(2024, 2, 26)
    assert qh.deadlines.filing_warning_days == 14
    # Exact fractions, not the binary float 0.15 (which is slightly below 3/20).
    assert qh.min_canteen == Fraction(3, 20)
    assert qh.min_union == Fraction(3, 20)
    assert qh.ratios.min_canteen == Decimal("0.15")
    assert qh.ratios.encouraged is None
    assert qh.pace_points[1:] == (
        (182, Fraction(2, 5)),
        (274, Fraction(7, 10)),
        (335, Fraction(9, 10)),
        (366, Fraction(1)),
    )
    assert qh.purchasing.unpaid_days == 30
    assert qh.purchasing.staff_allowance_yuan == 500
    assert qh.staff_allowance_fen == 50_000
    assert qh.purchasing.year_end_window_days == 20


def test_qinghai_dates_and_tickets() -> None:
    qh = parse_policy(QH_TEXT)
    assert qh.year_start == date(2024, 1, 1)
    assert qh.year_end == date(2024, 12, 31)
    assert qh.year_end_window_start == date(2024, 12, 12)
    assert qh.ticket_due(TicketPriority.URGENT) == timedelta(hours=4)
    assert qh.ticket_due(TicketPriority.HIGH) == timedelta(hours=24)
    assert qh.ticket_due(TicketPriority.NORMAL) == timedelta(hours=72)
    assert qh.ticket_due(TicketPriority.LOW) == timedelta(days=7)


def test_deadlines_after() -> None:
    qh = parse_policy(QH_TEXT)
    assert [d for _, d in qh.deadlines_after(date(2024, 1, 1))] == [
        date(2024, 2, 20),
        date(2024, 2, 26),
        date(2024, 12, 31),
    ]
    # A deadline's own day is still "after".
    assert qh.deadlines_after(date(2024, 2, 20))[0] == ("填报截止", date(2024, 2, 20))
    assert qh.deadlines_after(date(2024, 2, 21)) == [
        ("确认截止", date(2024, 2, 26)),
        ("年度结束", date(2024, 12, 31)),
    ]
    assert qh.deadlines_after(date(2025, 1, 1)) == []


def test_national_values() -> None:
    national = parse_policy(NATIONAL_TEXT)
    assert national.id == "national-2024"
    assert national.min_canteen == Fraction(1, 10)
    assert national.min_union == Fraction(1, 10)
    assert national.ratios.encouraged == Decimal("0.15")
    assert Fraction(national.ratios.encouraged) == Fraction(3, 20)
    assert national.staff_allowance_fen == 50_000


def test_policy_is_frozen() -> None:
    qh = parse_policy(QH_TEXT)
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        qh.deadlines.filing = date(2024, 3, 1)  # type: ignore[misc]


def test_a_new_year_is_a_new_file() -> None:
    text = (
        QH_TEXT.replace("2024", "2025")
        .replace("min_canteen = 0.15", "min_canteen = 0.2")
        .replace("year_end_window_days = 20", "year_end_window_days = 10")
    )
    policy = parse_policy(text)
    assert policy.year == 2025
    assert policy.deadlines.filing == date(2025, 2, 20)
    assert policy.min_canteen == Fraction(1, 5)
    assert policy.year_end_window_start == date(2025, 12, 22)


# --- malformed files ------------------------------------------------------------------------


def test_missing_key() -> None:
    message = policy_error(qh_with("unpaid_days = 30", ""))
    assert "purchasing.unpaid_days" in message
    assert "缺少必填项" in message


def test_missing_section() -> None:
    start = QH_TEXT.index("[purchasing]")
    end = QH_TEXT.index("[tickets.due_hours]")
    message = policy_error(QH_TEXT[:start] + QH_TEXT[end:])
    assert "：purchasing：" in message


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("unpaid_days = 30", 'unpaid_days = "thirty"', "purchasing.unpaid_days"),
        ("filing = 2024-02-20", 'filing = "soon"', "deadlines.filing"),
        ("min_canteen = 0.15", 'min_canteen = "fifteen"', "ratios.min_canteen"),
        ('name = "青海省', "name = 5 #", "policy.name"),
        ("urgent = 4", 'urgent = "4h"', "tickets.due_hours.urgent"),
        ("staff_allowance_yuan = 500", "staff_allowance_yuan = [500]", "staff_allowance_yuan"),
    ],
)
def test_wrong_type(old: str, new: str, key: str) -> None:
    assert key in policy_error(qh_with(old, new))


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("min_canteen = 0.15", "min_canteen = 1.5", "ratios.min_canteen"),
        ("min_union = 0.15", "min_union = -0.15", "ratios.min_union"),
        ("min_canteen = 0.15", "min_canteen = 0.15001", "ratios.min_canteen"),
        ('"06-30" = 0.40', '"06-30" = 1.2', "purchasing.pace.06-30"),
        ("unpaid_days = 30", "unpaid_days = 0", "purchasing.unpaid_days"),
        ("year = 2024", "year = 1999", "policy.year"),
        ("filing_warning_days = 14", "filing_warning_days = -1", "filing_warning_days"),
    ],
)
def test_out_of_range(old: str, new: str, key: str) -> None:
    assert key in policy_error(qh_with(old, new))


def test_unknown_key_is_named() -> None:
    message = policy_error(qh_with("unpaid_days = 30", "unpaid_days = 30\nspeed = 1"))
    assert "purchasing.speed" in message


def test_invalid_toml() -> None:
    message = policy_error(qh_with("[ratios]", "[ratios"))
    assert "不是有效的 TOML" in message
    assert "第 16 行" in message


def test_invalid_toml_unterminated_string() -> None:
    assert "不是有效的 TOML" in policy_error('a = """\n\n')


def test_confirmation_before_filing() -> None:
    message = policy_error(qh_with("confirmation = 2024-02-26", "confirmation = 2024-02-19"))
    assert "deadlines.confirmation" in message
    assert "deadlines.filing" in message
    # A check across sections has no single key: the whole file is named, and the default
    # source is "policy".
    with pytest.raises(PolicyError) as info:
        parse_policy(qh_with("confirmation = 2024-02-26", "confirmation = 2024-02-19"))
    assert str(info.value) == (
        "policy：（整个文件）：值不合理：deadlines.confirmation 早于 deadlines.filing"
    )


def test_confirmation_on_filing_day_is_allowed() -> None:
    policy = parse_policy(qh_with("confirmation = 2024-02-26", "confirmation = 2024-02-20"))
    assert policy.deadlines.confirmation == policy.deadlines.filing


def test_filing_outside_policy_year() -> None:
    message = policy_error(qh_with("filing = 2024-02-20", "filing = 2023-02-20"))
    assert "deadlines.filing" in message and "policy.year" in message


def test_missing_ticket_priority() -> None:
    message = policy_error(qh_with("urgent = 4", ""))
    assert "tickets" in message
    assert "urgent" in message


def test_unknown_ticket_priority() -> None:
    message = policy_error(qh_with("low = 168", "low = 168\ncritical = 1"))
    assert "tickets.due_hours" in message
    assert "critical" in message


def test_empty_file() -> None:
    assert "policy" in policy_error("", "empty.toml")


def test_line_break_in_a_key_stays_on_one_line() -> None:
    message = policy_error(qh_with("unpaid_days = 30", 'unpaid_days = 30\n"a\\nb" = 1'))
    assert "purchasing.a\\nb" in message
    message = policy_error(qh_with("unpaid_days = 30", 'unpaid_days = 30\n"a\\rb" = 1'))
    assert message == "qinghai-2024.toml：purchasing.a\\rb：无法识别的设置，现为 1"


def test_ratios_are_the_decimals_written() -> None:
    # TOML's binary floats become the decimals the author wrote, in every ratio and pace point.
    policy = parse_policy(qh_with("min_union = 0.15", "min_union = 0.13"))
    assert policy.ratios.min_union == Decimal("0.13") and policy.min_union == Fraction(13, 100)
    assert policy.purchasing.pace["06-30"] == Decimal("0.4")
    assert parse_policy(qh_with("min_union = 0.15", 'min_union = "0.13"')).min_union == (
        Fraction(13, 100)
    )


def test_policy_error_is_a_value_error() -> None:
    assert issubclass(PolicyError, ValueError)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('"06-30" = 0.40', '"06-31" = 0.40', "purchasing.pace.06-31"),
        ('"06-30" = 0.40', '"june" = 0.40', "purchasing.pace.june"),
        ('"09-30" = 0.70', '"09-30" = 0.30', "purchasing.pace.09-30"),
        ('"12-31" = 1.00', '"12-31" = 0.95', "purchasing.pace.12-31"),
        ('"09-30" = 0.70', '"05-30" = 0.70', "purchasing.pace.05-30"),
    ],
)
def test_a_bad_pace_checkpoint_is_named(old: str, new: str, needle: str) -> None:
    message = policy_error(qh_with(old, new))
    assert needle in message and "\n" not in message


def test_pace_is_interpolated_between_checkpoints_and_ends_at_100() -> None:
    qh = parse_policy(QH_TEXT)
    assert qh.pace_share(date(2023, 12, 31)) == 0
    assert qh.pace_share(date(2024, 1, 1)) == Fraction(2, 5) / 182
    assert qh.pace_share(date(2024, 6, 30)) == Fraction(2, 5)
    assert qh.pace_share(date(2024, 7, 1)) == Fraction(2, 5) + Fraction(3, 10) / 92
    assert qh.pace_share(date(2024, 9, 30)) == Fraction(7, 10)
    assert qh.pace_share(date(2024, 11, 30)) == Fraction(9, 10)
    assert qh.pace_share(date(2024, 12, 31)) == 1
    assert qh.pace_share(date(2025, 1, 1)) == 1


def test_without_a_12_31_checkpoint_the_year_still_ends_at_100() -> None:
    policy = parse_policy(qh_with('"12-31" = 1.00', ""))
    assert policy.pace_share(date(2024, 12, 31)) == 1
    assert policy.pace_share(date(2024, 12, 15)) < 1


def test_deadlines_may_be_left_out() -> None:
    policy = parse_policy(qh_with("confirmation = 2024-02-26", "").replace("filing = ", "#"))
    assert policy.deadlines.filing is None and policy.deadlines.confirmation is None
    assert [name for name, _ in policy.deadlines_after(date(2024, 1, 1))] == ["年度结束"]


def test_national_policy_has_the_ministry_s_dates_and_the_encouraged_ratio() -> None:
    national = parse_policy(
        (POLICIES / "national-2024.toml").read_text(encoding="utf-8"), "national"
    )
    assert national.deadlines.filing == date(2024, 2, 20)
    assert national.deadlines.confirmation is None
    assert national.encouraged == Fraction(3, 20)
    assert national.min_canteen == national.min_union == Fraction(1, 10)


def test_the_platforms_hotline_and_letter_template_are_policy_data() -> None:
    qh = parse_policy(QH_TEXT)
    assert qh.platform.supervision_hotline == ["400-1188-832", "17812282832"]
    assert qh.templates.no_canteen_letter == "templates/qinghai-2024-no-canteen-letter.toml"
    national = parse_policy(NATIONAL_TEXT)
    assert national.platform.supervision_hotline == []
    assert national.templates.no_canteen_letter is None
