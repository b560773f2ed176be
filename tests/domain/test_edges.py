"""Edges of the small pure helpers: check characters that map to letters, the bounds of every
moment and day a record may carry, the messages of refused text, and dates typed with spaces,
by week or by weekday."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from specialist_tui.domain.dates import DateError, parse_day
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import (
    credit_code_check_char,
    credit_code_problem,
    org_code_check_char,
)
from specialist_tui.domain.models import Call, Unit

TODAY = date(2024, 6, 26)  # a Wednesday


def test_organisation_check_characters_ten_and_eleven() -> None:
    assert org_code_check_char("00000006") == "X"  # 11 - total % 11 == 10
    assert org_code_check_char("00000000") == "0"  # == 11
    assert org_code_check_char("00000001") == "9"


def test_check_characters_refuse_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        credit_code_check_char("1163")
    with pytest.raises(ValueError):
        org_code_check_char("0000000")


def test_a_credit_code_with_a_letter_left_out_of_the_alphabet() -> None:
    assert credit_code_problem("11630100MA0000000I") == "统一社会信用代码含有不允许的字符"


def _call(**extra: object) -> Call:
    fields: dict[str, object] = {
        "unit_code": "11630100000000019J",
        "started_at": datetime(2024, 6, 1, 9, tzinfo=BEIJING),
        "outcome": "reached",
    }
    fields.update(extra)
    return Call.model_validate(fields)


def _refusal(**extra: object) -> str:
    with pytest.raises(ValidationError) as info:
        _call(**extra)
    return str(info.value.errors()[0]["msg"])


def test_moments_and_days_are_bounded_inclusively() -> None:
    first = datetime(2000, 1, 1, tzinfo=BEIJING)
    last = datetime(2100, 12, 31, 23, 59, 59, tzinfo=BEIJING)
    assert _call(started_at=first).started_at == first
    assert _call(started_at=last, follow_up_on=date(2100, 12, 31)).started_at == last
    too_early = first - timedelta(seconds=1)
    assert _refusal(started_at=too_early) == (
        "Value error, 时间超出范围（2000-01-01 至 2100-12-31）"
    )
    assert _refusal(started_at=last + timedelta(seconds=1)).endswith(
        "时间超出范围（2000-01-01 至 2100-12-31）"
    )
    ended = _call(started_at=first, follow_up_on=date(2000, 1, 1))
    assert ended.follow_up_on == date(2000, 1, 1)
    assert _refusal(follow_up_on=date(2101, 1, 1)) == (
        "Value error, 日期超出范围（2000-01-01 至 2100-12-31）"
    )


def test_refused_text_says_why() -> None:
    assert _refusal(contact_name="张\n伟") == "Value error, 不能包含控制字符或换行"
    assert _refusal(notes="说明\x07") == "Value error, 不能包含控制字符"
    assert _call(notes="第一行\n第二行").notes == "第一行\n第二行"  # free text keeps lines
    with pytest.raises(ValidationError) as info:
        Unit.model_validate(
            {
                "code": "11630100000000019J",
                "name": "单位",
                "level": "county",
                "division_code": "6301",
            }
        )
    assert str(info.value.errors()[0]["msg"]) == "Value error, 行政区划代码应为 6 位数字：'6301'"


@pytest.mark.parametrize(
    ("typed", "want"),
    [
        ("7 - 5", date(2024, 7, 5)),
        (" 2024 年 7 月 5 日 ", date(2024, 7, 5)),
        ("+2w", TODAY + timedelta(days=14)),
        ("+2周", TODAY + timedelta(days=14)),
        ("+2", TODAY + timedelta(days=2)),
        ("周天", date(2024, 6, 30)),
        ("星期日", date(2024, 6, 30)),
        ("本周一", date(2024, 6, 24)),
        ("这周一", date(2024, 6, 24)),
        ("周一", date(2024, 7, 1)),
        ("下周一", date(2024, 7, 1)),
        ("下下周一", date(2024, 7, 8)),
        ("下下周三", date(2024, 7, 10)),
    ],
)
def test_dates_typed_with_spaces_by_week_or_weekday(typed: str, want: date) -> None:
    assert parse_day(typed, TODAY) == want


def test_an_empty_date_asks_for_one() -> None:
    with pytest.raises(DateError) as info:
        parse_day("  ", TODAY)
    assert str(info.value) == "请填写日期"
