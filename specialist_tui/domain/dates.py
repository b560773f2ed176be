"""Dates as people type them: `7-5`, `7/5`, `0705`, `7月5日`, `2024-7-5`, `+3`, `明天`, `下周一`.

Pure: every relative form is read against a ``today`` the caller gives. A day typed without a
year is the occurrence nearest to today (so `1-3` typed on 12-30 is the coming 3 January and
`12-28` typed on 1-2 the one just past).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from specialist_tui.domain.fields import BEIJING

WEEKDAYS = "一二三四五六日"
# Accepted in error messages, so a refused entry says what would have worked.
EXAMPLES = "7-5、7/5、0705、2024-7-5、+3、明天、下周一"
MOMENT_EXAMPLES = "2024-07-05 09:30、7-5 9:30、9:30"

_NAMED = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_FULL = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_COMPACT_FULL = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(\d{1,2})[-/.月](\d{1,2})[日号]?")
_COMPACT = re.compile(r"(\d{2})(\d{2})")
_PLUS = re.compile(r"\+(\d{1,4})(天|d|日|周|w)?")
_WEEKDAY_NUMBERS = {name: n for n, name in enumerate(WEEKDAYS)} | {"天": 6}
_WEEKDAY = re.compile(r"(下下|下|本|这)?(?:周|星期|礼拜)([一二三四五六日天])")


class DateError(ValueError):
    """Text that is not a date we can read; the message (Chinese) says what is accepted."""


def parse_day(text: str, today: date) -> date:
    """The day ``text`` names, read against ``today``; DateError when it names none."""
    typed = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not typed:
        raise DateError("请填写日期")
    day = _read(typed, today)
    if day is None:
        raise DateError(f"看不懂的日期“{text.strip()}”；可以写 {EXAMPLES}")
    return day


def _read(typed: str, today: date) -> date | None:
    if typed in _NAMED:
        return today + timedelta(days=_NAMED[typed])
    if m := _PLUS.fullmatch(typed):
        weeks = m.group(2) in ("周", "w")
        return today + timedelta(days=int(m.group(1)) * (7 if weeks else 1))
    if m := _WEEKDAY.fullmatch(typed):
        return _weekday(m.group(1), m.group(2), today)
    for pattern in (_FULL, _COMPACT_FULL):
        if m := pattern.fullmatch(typed):
            return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for pattern in (_MONTH_DAY, _COMPACT):
        if m := pattern.fullmatch(typed):
            return _nearest(int(m.group(1)), int(m.group(2)), today)
    return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest(month: int, day: int, today: date) -> date | None:
    """The month-day in last, this or next year that is nearest to today."""
    years = (today.year - 1, today.year, today.year + 1)
    found = [d for year in years if (d := _day(year, month, day)) is not None]
    # As near before as after (1-1 typed on 7-2 of a leap year): the coming one.
    return min(found, key=lambda d: (abs(d - today), today - d)) if found else None


def _weekday(which: str | None, name: str, today: date) -> date:
    """周五: the coming Friday (today if it is one); 本周五 this week's; 下周五 next week's."""
    target = _WEEKDAY_NUMBERS[name]
    monday = today - timedelta(days=today.weekday())
    if which in ("本", "这"):
        return monday + timedelta(days=target)
    if which in ("下", "下下"):
        return monday + timedelta(days=target + 7 * len(which))
    return today + timedelta(days=(target - today.weekday()) % 7)


def day_text(day: date) -> str:
    """A day shown back in full: "2024-07-05 周五"."""
    return f"{day.isoformat()} 周{WEEKDAYS[day.weekday()]}"


def parse_moment(text: str, today: date) -> datetime:
    """A day as people type it (``parse_day``) then HH:MM, or HH:MM alone for today, in
    Beijing time; DateError (a ValueError) otherwise."""
    parts = text.split()
    if not parts:
        raise DateError("请填写时间")
    clock = _clock(parts[-1]) if len(parts) <= 2 else None
    if clock is None:
        raise DateError(f"看不懂的时间“{text.strip()}”；可以写 {MOMENT_EXAMPLES}")
    day = parse_day(parts[0], today) if len(parts) == 2 else today
    return datetime.combine(day, clock, tzinfo=BEIJING)


def _clock(text: str) -> time | None:
    try:
        return datetime.strptime(text.replace("：", ":"), "%H:%M").time()
    except ValueError:
        return None
