"""Dates as people type them, read against a given today (properties and the issue's examples)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specialist_tui.domain.dates import DateError, day_text, parse_day

TODAY = date(2024, 6, 30)  # a Sunday

days = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))


@pytest.mark.parametrize(
    ("typed", "want"),
    [
        ("7-5", date(2024, 7, 5)),
        ("7/5", date(2024, 7, 5)),
        ("0705", date(2024, 7, 5)),
        ("7月5日", date(2024, 7, 5)),
        ("2024-7-5", date(2024, 7, 5)),
        ("2024/7/5", date(2024, 7, 5)),
        ("20240705", date(2024, 7, 5)),
        ("２０２４－７－５", date(2024, 7, 5)),  # typed with a full-width input method
        ("+3", date(2024, 7, 3)),
        ("+2周", date(2024, 7, 14)),
        ("明天", date(2024, 7, 1)),
        ("下周一", date(2024, 7, 1)),
        ("下周五", date(2024, 7, 5)),
        ("周三", date(2024, 7, 3)),
        ("本周日", date(2024, 6, 30)),
    ],
)
def test_the_issues_examples(typed: str, want: date) -> None:
    assert parse_day(typed, TODAY) == want


@pytest.mark.parametrize("typed", ["", "abc", "13-40", "2-30", "2024-2-30", "+", "下周八", "7-5-"])
def test_what_is_not_a_date_says_what_is(typed: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_day(typed, TODAY)
    assert "日期" in str(refused.value)


@given(day=days)
def test_a_full_date_in_any_spelling_is_that_date(day: date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}-{day.month}-{day.day}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day:%Y%m%d}",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert parse_day(text, TODAY) == day


@given(today=days, offset=st.integers(min_value=-180, max_value=180))
def test_a_month_and_day_is_the_nearest_such_day(today: date, offset: int) -> None:
    day = today + timedelta(days=offset)
    for text in (f"{day.month}-{day.day}", f"{day.month}/{day.day}", f"{day:%m%d}"):
        got = parse_day(text, today)
        assert (got.month, got.day) == (day.month, day.day)
        # Never farther from today than the day meant (29 Feb can only be meant in leap years).
        assert abs((got - today).days) <= abs(offset)


@given(today=days, n=st.integers(min_value=0, max_value=999))
def test_plus_n_is_n_days_on(today: date, n: int) -> None:
    assert parse_day(f"+{n}", today) == today + timedelta(days=n)


@given(today=days, weekday=st.sampled_from("一二三四五六日"))
def test_next_week_days_fall_in_next_week(today: date, weekday: str) -> None:
    got = parse_day(f"下周{weekday}", today)
    monday = today - timedelta(days=today.weekday())
    assert 7 <= (got - monday).days < 14
    assert "一二三四五六日"[got.weekday()] == weekday
    coming = parse_day(f"周{weekday}", today)
    assert 0 <= (coming - today).days < 7 and coming.weekday() == got.weekday()


def test_a_day_is_shown_back_in_full() -> None:
    assert day_text(date(2024, 7, 5)) == "2024-07-05 周五"
