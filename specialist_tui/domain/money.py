"""Money and ratio arithmetic on integer fen: exact, never binary floats."""

from __future__ import annotations

from fractions import Fraction


def yuan(fen: int) -> str:
    """Fen as yuan with thousands separators and two decimals: 123456 -> '1,234.56'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def below_ratio(part: int, whole: int, minimum: Fraction) -> bool:
    """True when part / whole < minimum, decided exactly; a zero whole is never below (no
    amount is negative)."""
    return part * minimum.denominator < whole * minimum.numerator


def percent_floor(part: int, whole: int, decimals: int = 1) -> str:
    """part / whole as a percent rounded down, so that a ratio just below 15% never shows 15.0%."""
    if whole <= 0:
        return "—"
    scale = 10**decimals
    tenths = (part * 100 * scale) // whole
    sign = "-" if tenths < 0 else ""
    units, rest = divmod(abs(tenths), scale)
    if not decimals:
        return f"{sign}{units}%"
    return f"{sign}{units}.{rest:0{decimals}d}%"


def percent(fraction: Fraction) -> str:
    """A policy ratio as a short percent: Fraction(3, 20) -> '15%'."""
    value = fraction * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{float(value):.1f}%"


def share_of(amount: int, ratio: Fraction) -> int:
    """The smallest whole fen amount that is at least ``ratio`` of ``amount``."""
    return -((-amount * ratio.numerator) // ratio.denominator)
