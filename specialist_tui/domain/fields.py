"""The field types every record shares, with their bounds (the wire contract's limits).

Split from models.py so the records read as records: each bound is far beyond real data and
small enough that no sum, date arithmetic or SQLite integer can overflow, on the hub and on
every client alike.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Annotated

from pydantic import AfterValidator, Field

from specialist_tui.domain.identifiers import (
    credit_code_problem,
    is_division_code,
    normalise_phone,
)

# China has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tz database.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def _credit_code(value: str) -> str:
    value = value.strip().upper()
    problem = credit_code_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _division_code(value: str) -> str:
    if not is_division_code(value):
        raise ValueError(f"行政区划代码应为 6 位数字：{value!r}")
    return value


# The bounds of every record, on the hub and on every client alike (the wire contract is these
# models): what one side stores, the other can read. Each bound is far beyond real data and
# small enough that no sum, date arithmetic or SQLite integer can overflow.
EARLIEST = datetime(2000, 1, 1, tzinfo=BEIJING)
LATEST = datetime(2100, 12, 31, 23, 59, 59, tzinfo=BEIJING)
MAX_FEN = 10**13  # 100 billion yuan: 100,000 units of it still sum below 2^63
MAX_STAFF = 10**6
MAX_CALL_SECONDS = 24 * 3600
MAX_CONTACTS = 20
MAX_AREA_CODES = 500
MAX_TICKET_EVENTS = 1000
MAX_VERSION = 10**9

# Control characters, DEL, C1 controls, bidi overrides and isolates, lone surrogates (a regex
# class): nothing a person types, and what a terminal or a spreadsheet would act on or choke on.
UNSAFE_CHARS = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_LINE_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")
_TEXT_UNSAFE = re.compile(f"(?![\t\n\r])[{UNSAFE_CHARS}]")  # free text keeps its line breaks


_OUT_OF_RANGE = "时间超出范围（2000-01-01 至 2100-12-31）"


def _beijing(value: datetime) -> datetime:
    # Converted first, then compared: two datetimes with the same tzinfo compare field by
    # field, while comparing across zones asks each for its offset (a first sync checks
    # millions of moments). Converting year 9999 or year 1 with an offset overflows instead.
    if value.tzinfo is None:
        value = value.replace(tzinfo=BEIJING)
    else:
        try:
            value = value.astimezone(BEIJING)
        except OverflowError:
            raise ValueError(_OUT_OF_RANGE) from None
    if not EARLIEST <= value <= LATEST:
        raise ValueError(_OUT_OF_RANGE)
    return value


def _day(value: date) -> date:
    if not EARLIEST.date() <= value <= LATEST.date():
        raise ValueError("日期超出范围（2000-01-01 至 2100-12-31）")
    return value


def _line(value: str) -> str:
    if _LINE_UNSAFE.search(value):
        raise ValueError("不能包含控制字符或换行")
    return value


def _text(value: str) -> str:
    if _TEXT_UNSAFE.search(value):
        raise ValueError("不能包含控制字符")
    return value


CreditCode = Annotated[str, AfterValidator(_credit_code)]
DivisionCode = Annotated[str, AfterValidator(_division_code)]
Phone = Annotated[str, Field(max_length=40), AfterValidator(normalise_phone)]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN, description="an amount of money in fen (1/100 yuan)")]
Moment = Annotated[datetime, AfterValidator(_beijing)]
Day = Annotated[date, AfterValidator(_day)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_line)]
# One line of text (may be empty), and a code or an id.
Line = Annotated[str, Field(max_length=200), AfterValidator(_line)]
Code = Annotated[str, Field(max_length=32), AfterValidator(_line)]
Ident = Annotated[str, Field(max_length=64), AfterValidator(_line)]


# Free text, line breaks and tabs allowed.
Action = Annotated[str, Field(max_length=500), AfterValidator(_text)]
Explanation = Annotated[str, Field(max_length=2000), AfterValidator(_text)]
Note = Annotated[str, Field(max_length=4000), AfterValidator(_text)]
Description = Annotated[str, Field(max_length=8000), AfterValidator(_text)]


def now_beijing() -> datetime:
    return datetime.now(BEIJING)
