"""Dates and moments as people type them, read against a given today (properties and the
issue's examples)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specialist_tui.domain.dates import DateError, day_text, parse_day, parse_moment
from specialist_tui.domain.fields import BEIJING

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


@pytest.mark.parametrize(
    ("typed", "today", "want"),
    [
        ("1-1", date(2024, 7, 2), date(2025, 1, 1)),  # 183 days either way: the coming one
        ("1-1", date(2024, 7, 1), date(2024, 1, 1)),  # 182 days back, 184 on
        ("12-28", date(2025, 1, 2), date(2024, 12, 28)),
        ("2-29", date(2025, 3, 1), date(2024, 2, 29)),  # only last year has one
        ("周天", date(2024, 7, 1), date(2024, 7, 7)),  # 天 is 日
        ("这周天", date(2024, 7, 1), date(2024, 7, 7)),
        ("下下周一", date(2024, 7, 3), date(2024, 7, 15)),
        ("星期三", date(2024, 7, 3), date(2024, 7, 3)),  # today when it is one
    ],
)
def test_ties_sundays_and_weeks_ahead(typed: str, today: date, want: date) -> None:
    assert parse_day(typed, today) == want


def test_a_day_is_shown_back_in_full() -> None:
    assert day_text(date(2024, 7, 5)) == "2024-07-05 周五"


@pytest.mark.parametrize(
    ("typed", "want"),
    [
        ("09:30", datetime(2024, 6, 30, 9, 30)),  # a time alone is today's
        ("9:05", datetime(2024, 6, 30, 9, 5)),
        ("23：59", datetime(2024, 6, 30, 23, 59)),  # a full-width colon
        ("  7-5   14:00 ", datetime(2024, 7, 5, 14, 0)),
        ("2024-07-05 00:00", datetime(2024, 7, 5, 0, 0)),
        ("明天 8:15", datetime(2024, 7, 1, 8, 15)),
        ("1-3 10:00", datetime(2025, 1, 3, 10, 0)),  # the nearest 3 January, as parse_day
    ],
)
def test_a_moment_is_a_day_then_hours_and_minutes_in_beijing(typed: str, want: datetime) -> None:
    got = parse_moment(typed, date(2024, 12, 30) if typed.startswith("1-3") else TODAY)
    assert got == want.replace(tzinfo=BEIJING)
    assert got.utcoffset() == timedelta(hours=8)


def test_a_moment_without_a_day_takes_the_given_today() -> None:
    assert parse_moment("10:00", date(2025, 3, 1)) == datetime(2025, 3, 1, 10, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请填写时间"),
        ("   ", "请填写时间"),
        ("7-5", "看不懂的时间“7-5”；可以写 2024-07-05 09:30、7-5 9:30、9:30"),
        ("24:00", "看不懂的时间“24:00”"),
        ("9:60", "看不懂的时间“9:60”"),
        ("9点30", "看不懂的时间“9点30”"),
        ("7-5 9:30 晚", "看不懂的时间“7-5 9:30 晚”"),  # three parts
        ("7 5 9:30", "看不懂的时间“7 5 9:30”"),  # three parts ending in a time
        ("9:30 7-5", "看不懂的时间“9:30 7-5”"),  # the day comes first
        (" 2-30 9:30", "看不懂的日期“2-30”；可以写 7-5、7/5"),  # the day's own message
    ],
)
def test_what_is_not_a_moment_says_so_in_chinese(typed: str, message: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_moment(typed, TODAY)
    assert str(refused.value).startswith(message)
    assert isinstance(refused.value, ValueError)  # the forms catch ValueError
