"""The line under the list: its words, and the calls it reads (last call, called today)."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len

from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.enums import CallOutcome
from specialist_tui.widgets.reason_line import Reason, reason_lines, reason_text, worst_flag

from .conftest import TODAY, make_code


def test_the_line_says_why_whom_to_call_and_the_last_call() -> None:
    reason = Reason(
        worst=("紧急", "预留份额填报尚未提交，已超过截止日 2024-02-20 131 天"),
        contact=("张伟", "财务", "13900000001"),
        last_call=("06-20 10:00", "约定回电", "财务说月底前提交"),
    )
    assert reason_text(reason).plain == (
        "紧急 预留份额填报尚未提交，已超过截止日 2024-02-20 131 天 · 打给 张伟（财务） 13900000001"
        " · 上次 06-20 10:00 约定回电：财务说月底前提交"
    )
    quiet = Reason(worst=None, contact=None, last_call=None)
    assert reason_text(quiet).plain == "没有需要跟进的标记"
    today = Reason(None, None, ("10:30", "接通", ""), called_today=True)
    assert reason_text(today).plain.endswith("今天已通话 10:30 接通")


def test_the_lines_give_each_part_its_line_when_narrow_and_wrap_the_note() -> None:
    reason = Reason(
        worst=("严重", "1 笔订单未付款，共 15,074.45 元，最久已 38 天（超过 30 天）"),
        contact=("贡保措", "财务", "15911899415"),
        last_call=("06-12 10:30", "接通", "说下周一付款。\n要先找分管领导签字"),
    )
    narrow = [line.plain for line in reason_lines(reason, 40, 3)]
    assert narrow == [
        "严重 1 笔订单未付款，共 15,074.45 元， …",  # a wide character does not fit beside …
        "打给 贡保措（财务） 15911899415",
        "上次 06-12 10:30 接通：说下周一付款。  …",
    ]
    wide = [line.plain for line in reason_lines(reason, 120, 4)]
    assert wide == [
        "严重 1 笔订单未付款，共 15,074.45 元，最久已 38 天（超过 30 天） · 打给 贡保措（财务）"
        " 15911899415",
        "上次 06-12 10:30 接通：说下周一付款。 要先找分管领导签字",
    ]
    # A note longer than the lines left wraps into them and ends in "…".
    long_note = Reason(None, None, ("10:30", "接通", "很长的备注" * 20), called_today=True)
    lines = [line.plain for line in reason_lines(long_note, 30, 3)]
    assert len(lines) == 3 and lines[2].endswith("…")
    assert all(cell_len(line) <= 30 for line in lines)


def test_the_worst_flag_is_the_heaviest_and_the_first_of_equals() -> None:
    flags = [("注意", 10, "甲"), ("紧急", 1000, "乙"), ("紧急", 1000, "丙")]
    assert worst_flag(flags) == ("紧急", "乙")
    assert worst_flag([]) is None


def test_last_calls_and_who_was_called_today(settings: Settings) -> None:
    service = Service(settings)
    try:
        called = make_code(1)  # the fixture's one call, on 2024-06-20
        assert service.called_today() == set()
        last = service.last_calls([called, make_code(2)])
        assert list(last) == [called]
        assert (last[called].outcome, last[called].notes) == (
            CallOutcome.CALLBACK_REQUESTED,
            "财务说月底前提交",
        )
        Worklog(service).log_call(make_code(2), "reached", ["filing"], notes="已提交")
        assert service.called_today() == {make_code(2)}
        assert service.last_calls([make_code(2)])[make_code(2)].notes == "已提交"
        assert service.today == TODAY == date(2024, 6, 30)
    finally:
        service.close()
