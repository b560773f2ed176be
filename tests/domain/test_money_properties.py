"""Exact money and ratio arithmetic, checked against Fraction with hypothesis."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specialist_tui.domain.enums import CanteenMode, FilingStatus, Level
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.money import (
    below_ratio,
    percent,
    percent_floor,
    share_of,
    yuan,
)
from specialist_tui.domain.policy import parse_policy
from specialist_tui.domain.rules import RULES

REPO = Path(__file__).resolve().parents[2]
QH = parse_policy(
    (REPO / "specialist_tui" / "policies" / "qinghai-2024.toml").read_text(encoding="utf-8")
)

fen = st.integers(min_value=0, max_value=10**15)
positive_fen = st.integers(min_value=1, max_value=10**15)
any_int = st.integers(min_value=-(10**18), max_value=10**18)
ratios = st.fractions(min_value=0, max_value=1, max_denominator=10_000)
positive_ratios = st.fractions(min_value=Fraction(1, 10_000), max_value=1, max_denominator=10_000)

YUAN_SHAPE = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$")


def parse_yuan(text: str) -> int:
    negative = text.startswith("-")
    whole, cents = text.lstrip("-").replace(",", "").split(".")
    value = int(whole) * 100 + int(cents)
    return -value if negative else value


def parse_percent(text: str) -> Fraction:
    assert text.endswith("%"), text
    return Fraction(text[:-1])


# --- below_ratio ----------------------------------------------------------------------------


@given(part=fen, whole=fen, minimum=ratios)
def test_below_ratio_matches_fraction(part: int, whole: int, minimum: Fraction) -> None:
    expected = whole > 0 and Fraction(part, whole) < minimum
    assert below_ratio(part, whole, minimum) is expected


@given(part=fen, minimum=ratios)
def test_below_ratio_zero_whole_is_never_below(part: int, minimum: Fraction) -> None:
    assert below_ratio(part, 0, minimum) is False


def test_below_ratio_examples() -> None:
    fifteen = Fraction(3, 20)
    assert below_ratio(149_999, 1_000_000, fifteen)
    assert not below_ratio(150_000, 1_000_000, fifteen)
    assert below_ratio(150_000, 1_000_001, fifteen)
    assert not below_ratio(150_001, 1_000_001, fifteen)


# --- share_of -------------------------------------------------------------------------------


@given(amount=fen, ratio=ratios)
def test_share_of_is_the_smallest_amount_not_below(amount: int, ratio: Fraction) -> None:
    share = share_of(amount, ratio)
    assert share >= 0
    assert share == -((-amount * ratio.numerator) // ratio.denominator)  # ceil
    assert Fraction(share) >= amount * ratio
    assert not below_ratio(share, amount, ratio)
    if share > 0:
        assert Fraction(share - 1) < amount * ratio
        assert below_ratio(share - 1, amount, ratio)


@given(amount=positive_fen, ratio=positive_ratios)
def test_share_of_positive_for_positive_inputs(amount: int, ratio: Fraction) -> None:
    assert share_of(amount, ratio) >= 1


def test_share_of_examples() -> None:
    fifteen = Fraction(3, 20)
    assert share_of(1_000_000, fifteen) == 150_000
    assert share_of(1_000_001, fifteen) == 150_001
    assert share_of(0, fifteen) == 0
    assert share_of(1, fifteen) == 1


# --- percent_floor --------------------------------------------------------------------------


@given(part=fen, whole=positive_fen, decimals=st.integers(min_value=0, max_value=4))
def test_percent_floor_is_the_floor(part: int, whole: int, decimals: int) -> None:
    shown = percent_floor(part, whole, decimals)
    value = parse_percent(shown)
    true = Fraction(100 * part, whole)
    assert value <= true
    assert true - value < Fraction(1, 10**decimals)
    digits = shown[:-1].partition(".")[2]
    assert len(digits) == decimals


@given(part=any_int, whole=positive_fen)
def test_percent_floor_never_exceeds_even_for_negative_parts(part: int, whole: int) -> None:
    value = parse_percent(percent_floor(part, whole))
    true = Fraction(100 * part, whole)
    assert value <= true < value + Fraction(1, 10)


@given(whole=st.integers(min_value=1, max_value=10**12))
def test_percent_floor_just_below_fifteen_never_reads_fifteen(whole: int) -> None:
    part = share_of(whole, Fraction(3, 20)) - 1
    if part >= 0:
        assert not percent_floor(part, whole).startswith("15.")


def test_percent_floor_examples() -> None:
    assert percent_floor(149_999, 1_000_000) == "14.9%"
    assert percent_floor(150_000, 1_000_000) == "15.0%"
    assert percent_floor(1, 3, 2) == "33.33%"
    assert percent_floor(2, 3, 0) == "66%"
    assert percent_floor(-1, 3) == "-33.4%"
    assert percent_floor(0, 7) == "0.0%"
    assert percent_floor(5, 0) == "—"


# --- yuan -----------------------------------------------------------------------------------


@given(amount=any_int)
def test_yuan_round_trips(amount: int) -> None:
    text = yuan(amount)
    assert YUAN_SHAPE.match(text), text
    assert parse_yuan(text) == amount


@pytest.mark.parametrize(
    ("fen_amount", "text"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (-1, "-0.01"),
        (-99, "-0.99"),
        (100, "1.00"),
        (123_456, "1,234.56"),
        (-123_456, "-1,234.56"),
        (100_000_000, "1,000,000.00"),
    ],
)
def test_yuan_examples(fen_amount: int, text: str) -> None:
    assert yuan(fen_amount) == text


def test_percent() -> None:
    assert percent(Fraction(3, 20)) == "15%"
    assert percent(Fraction(1, 10)) == "10%"
    assert percent(Fraction(1, 8)) == "12.5%"


# --- R3 against its integer definition ------------------------------------------------------


@given(data=st.data(), total=st.integers(min_value=1, max_value=10**13))
def test_r3_flags_iff_reserved_times_20_below_total_times_3(
    data: st.DataObject, total: int
) -> None:
    reserved = data.draw(st.integers(min_value=0, max_value=total))
    unit = UnitFacts(
        code="11630000MB1679617B",
        level=Level.COUNTY,
        filing_status=FilingStatus.SUBMITTED,
        canteen_mode=CanteenMode.OWN,
        canteen_total=total,
        canteen_reserved=reserved,
    )
    flag = RULES["R3"].check(unit, QH, date(2024, 4, 1))
    assert (flag is not None) is (reserved * 20 < total * 3)
    if flag is not None:
        assert "15.0%" not in flag.reason
        assert yuan(reserved) in flag.reason and yuan(total) in flag.reason


@given(total=st.integers(min_value=1, max_value=10**13))
def test_r3_boundary_is_share_of(total: int) -> None:
    def unit(reserved: int) -> UnitFacts:
        return UnitFacts(
            code="11630000MB1679617B",
            level=Level.COUNTY,
            filing_status=FilingStatus.CONFIRMED,
            canteen_mode=CanteenMode.OWN,
            canteen_total=total,
            canteen_reserved=reserved,
        )

    share = share_of(total, QH.min_canteen)
    assert RULES["R3"].check(unit(share), QH, date(2024, 4, 1)) is None
    assert RULES["R3"].check(unit(share - 1), QH, date(2024, 4, 1)) is not None
