"""Edges of the small pure helpers: check characters that map to letters, the bounds of every
moment and day a record may carry, the messages of refused text, and dates typed with spaces,
by week or by weekday."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from specialist_tui.domain.dates import DateError, parse_day
from specialist_tui.domain.enums import EventKind
from specialist_tui.domain.fields import BEIJING, now_beijing
from specialist_tui.domain.identifiers import (
    credit_code_check_char,
    credit_code_problem,
    make_credit_code,
    order_number_problem,
    org_code_check_char,
)
from specialist_tui.domain.models import Call, Event, Unit

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


@pytest.mark.parametrize(
    ("text", "fine"),
    [
        ("832-2024-000000123", True),
        (" 20240630123456 ", True),
        ("ABC123456", True),
        ("12345", False),  # five digits
        ("abc-12345", False),
        ("-123456", False),  # starts with a hyphen
        ("1234567" * 6, False),  # longer than 40
        ("123456 7", False),
    ],
)
def test_order_numbers(text: str, fine: bool) -> None:
    problem = order_number_problem(text)
    assert (problem is None) is fine
    if not fine:
        assert problem == (
            "订单号应为平台订单编号：至少 6 位数字，可含字母和“-”，如 832-2024-000000123"
        )


def test_now_is_beijing_time() -> None:
    assert now_beijing().utcoffset() == timedelta(hours=8)


def test_an_event_splits_into_one_part_per_unit() -> None:
    a, b = "11630100000000019J", make_credit_code("11630100", "00000002")
    event = Event.model_validate(
        {
            "kind": "training",
            "starts_at": datetime(2024, 5, 10, 9, tzinfo=BEIJING),
            "ends_at": datetime(2024, 5, 10, 11, tzinfo=BEIJING),
            "place": "西宁市财政局三楼",
            "online_link": "https://meeting.example/1",
            "topic": "832平台采购培训",
            "specialists": ["sp-01"],
            "attendees": [{"unit_code": a, "people": 3}, {"unit_code": b, "people": 0}],
            "notes": "带上账号",
            "follow_up": "下周回访",
            "author": "sp-01",
        }
    )
    first, second = event.parts()
    assert first.id == f"{event.id}:{a}" and second.id == f"{event.id}:{b}"
    assert (first.event_id, first.unit_code, first.people) == (event.id, a, 3)
    assert (second.unit_code, second.people) == (b, 0)
    shared = first.model_dump(exclude={"id", "unit_code", "people"})
    assert shared == second.model_dump(exclude={"id", "unit_code", "people"})
    assert shared == {
        "event_id": event.id,
        "kind": EventKind.TRAINING,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": "西宁市财政局三楼",
        "online_link": "https://meeting.example/1",
        "topic": "832平台采购培训",
        "specialists": ["sp-01"],
        "notes": "带上账号",
        "follow_up": "下周回访",
        "author": "sp-01",
    }
