"""Pilot tests: the forms and screens write what the user entered, and only that."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from specialist_tui.client.worklog import Worklog
from specialist_tui.screens.call_form import NEW_CONTACT, CallForm
from specialist_tui.screens.follow_ups import FollowUpsScreen
from specialist_tui.screens.ticket import TicketScreen
from specialist_tui.screens.ticket_form import TicketForm
from specialist_tui.screens.tickets import TicketsScreen
from specialist_tui.widgets.choice import Choice
from tests.harness import ScreenFactory, WorklogHarness, settle
from tests.worklog_data import UNIT_A, UNIT_B, UNIT_C, add_history, make_worklog

SIZE = (100, 32)


@pytest.fixture
def worklog(tmp_path: Path) -> Worklog:
    return make_worklog(tmp_path)


def rows(worklog: Worklog, sql: str) -> list[dict[str, object]]:
    return worklog.service.cache.rows(sql)


def error_text(pilot: Pilot[None], name: str) -> str:
    widget = pilot.app.screen.query_one(f"#error-{name}", Static)
    return str(widget.render()) if widget.display else ""


def call_form(worklog: Worklog, code: str = UNIT_A) -> WorklogHarness:
    unit = worklog.unit(code)
    return WorklogHarness(worklog, lambda w: CallForm(w, unit))


async def test_the_common_call_takes_two_keys_and_is_in_sqlite_and_the_outbox(
    worklog: Worklog,
) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "ctrl+s")  # topic 填报; 接通, contact and time are prefilled
        await settle(pilot)
        assert not isinstance(app.screen, CallForm)
    (call,) = rows(worklog, "SELECT * FROM calls")
    assert (call["outcome"], json.loads(str(call["topics"])), call["contact_name"]) == (
        "reached",
        ["filing"],
        "张伟",
    )
    assert (call["direction"], call["started_at"], call["follow_up_on"]) == (
        "out",
        "2024-06-30T10:30:00+08:00",
        None,
    )
    assert rows(worklog, "SELECT kind, item_id FROM outbox") == [
        {"kind": "call", "item_id": call["id"]}
    ]
    assert [str(c.id) for c in app.results] == [call["id"]]  # type: ignore[attr-defined]


async def test_a_call_with_a_quick_follow_up_changes_the_units_next_follow_up(
    worklog: Worklog,
) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press("right", "3", "4")  # 未接; topics 采购 and 付款
        form.query_one("#quick", Choice).focus()
        await pilot.press("right", "right")  # +3 天
        assert form.query_one("#follow_up_on", Input).value == "2024-07-03"
        form.query_one("#follow_up_action", Input).focus()
        await pilot.press(*"call again")
        form.query_one("#notes", Input).focus()
        await pilot.press(*"no one there", "enter")
        await settle(pilot)
    (call,) = rows(worklog, "SELECT * FROM calls")
    assert (call["outcome"], json.loads(str(call["topics"]))) == (
        "no_answer",
        ["purchasing", "payment"],
    )
    assert (call["follow_up_on"], call["follow_up_action"], call["notes"]) == (
        "2024-07-03",
        "call again",
        "no one there",
    )
    stats = rows(worklog, f"SELECT next_follow_up FROM unit_stats WHERE code = '{UNIT_A}'")
    assert stats == [{"next_follow_up": "2024-07-03"}]


@pytest.mark.parametrize(
    ("field", "value", "error_line"),
    [
        ("started_at", "2024-06-31 10:00", "time"),
        ("duration", "ten", "time"),
        ("follow_up_on", "2024-06-01", "follow_up"),  # before the call: refused by the model
        ("follow_up_on", "next week", "follow_up"),
        ("follow_up_action", "ring back", "follow_up"),  # an action without a date
    ],
)
async def test_invalid_call_input_is_shown_by_its_field_and_nothing_is_saved(
    worklog: Worklog, field: str, value: str, error_line: str
) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press("1")  # a topic: the call itself is fine
        form.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open, with what was typed
        assert error_text(pilot, error_line)
        assert [n for n in ("time", "follow_up", "outcome") if error_text(pilot, n)] == [error_line]
        # Fixing the field and saving again works.
        form.query_one(f"#{field}", Input).value = ""
        if field == "started_at":
            form.query_one("#started_at", Input).value = "2024-06-30 09:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert len(rows(worklog, "SELECT id FROM calls")) == 1
    assert len(rows(worklog, "SELECT seq FROM outbox")) == 1


async def test_a_new_contact_needs_a_valid_phone(worklog: Worklog) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        form.query_one("#contact", Select).value = NEW_CONTACT
        await pilot.pause()
        assert form.query_one("#new-contact").display
        form.query_one("#contact_name", Input).value = "孙丽"
        form.query_one("#contact_phone", Input).value = "12345"
        form.query_one("#notes", Input).value = "新换的财务"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "电话号码格式不正确" in error_text(pilot, "contact")
        assert rows(worklog, "SELECT id FROM calls") == []
        form.query_one("#contact_phone", Input).value = "139 0971 0009"
        await pilot.press("ctrl+s")
        await settle(pilot)
    (call,) = rows(worklog, "SELECT contact_name, contact_phone FROM calls")
    assert call == {"contact_name": "孙丽", "contact_phone": "13909710009"}


async def test_escape_cancels_the_call_form_without_writing(worklog: Worklog) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "escape", "y")  # a topic was picked: it asks first
        await settle(pilot)
    assert app.results == [None]
    assert rows(worklog, "SELECT seq FROM outbox") == []


async def test_the_ticket_form_saves_a_ticket_due_per_its_priority(worklog: Worklog) -> None:
    unit = worklog.unit(UNIT_B)
    app = WorklogHarness(worklog, lambda w: TicketForm(w, unit))
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press("right", "right")  # 付款
        form.query_one("#priority", Choice).focus()
        await pilot.press("right", "right")  # 紧急
        assert "06-30 14:30" in str(form.query_one("#due", Static).render())
        form.query_one("#subject", Input).focus()
        await pilot.press(*"double charge")
        form.query_one("#order", Input).value = "832-2024-000000077"
        await pilot.press("ctrl+s")
        await settle(pilot)
    (ticket,) = rows(worklog, "SELECT * FROM tickets")
    assert (ticket["category"], ticket["priority"], ticket["subject"], ticket["order_id"]) == (
        "payment",
        "urgent",
        "double charge",
        "832-2024-000000077",
    )
    assert (ticket["due_at"], ticket["version"], ticket["status"]) == (
        "2024-06-30T14:30:00+08:00",
        1,
        "open",
    )
    events = rows(worklog, "SELECT kind, ticket_id FROM ticket_events")
    assert events == [{"kind": "created", "ticket_id": ticket["id"]}]
    outbox = rows(worklog, "SELECT kind, payload FROM outbox ORDER BY seq")
    assert outbox == [
        {"kind": "ticket", "payload": '{"base_version": 0}'},
        {"kind": "ticket_event", "payload": "{}"},
    ]


async def test_a_ticket_without_a_subject_is_refused_by_the_field(worklog: Worklog) -> None:
    unit = worklog.unit(UNIT_A)
    app = WorklogHarness(worklog, lambda w: TicketForm(w, unit))
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_text(pilot, "subject") == "不能为空"
    assert rows(worklog, "SELECT id FROM tickets") == []
    assert rows(worklog, "SELECT seq FROM outbox") == []


async def test_the_ticket_screen_moves_a_ticket_to_resolved_with_a_comment(
    worklog: Worklog,
) -> None:
    ids = add_history(worklog)
    app = WorklogHarness(worklog, lambda w: TicketScreen(w, ids["login"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.check_action("move", ("close",)) is False  # in progress cannot close
        await pilot.press("x")  # offered nowhere: does nothing
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("d", *"fixed", "enter")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("x", "enter")  # close, no comment
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [True]
    view = worklog.ticket(ids["login"])
    assert (view.ticket.status, view.ticket.version) == ("closed", 5)
    changes = [(e.from_status, e.to_status, e.comment) for e in view.events[-2:]]
    assert changes == [("in_progress", "resolved", "fixed"), ("resolved", "closed", "")]
    assert all(e.author == "sp-001" for e in view.events)


async def test_an_empty_comment_is_not_saved(worklog: Worklog) -> None:
    ids = add_history(worklog)
    app = WorklogHarness(worklog, lambda w: TicketScreen(w, ids["invoice"]))
    before = len(rows(worklog, "SELECT seq FROM outbox"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "enter")
        await pilot.pause()
        assert "备注不能为空" in str(app.screen.query_one("#prompt-error", Static).render())
        await pilot.press("escape", "escape")
        await settle(pilot)
    assert app.results == [False]
    assert len(rows(worklog, "SELECT seq FROM outbox")) == before


async def test_the_queue_filters_and_opens_tickets(worklog: Worklog) -> None:
    ids = add_history(worklog)
    app = WorklogHarness(worklog, TicketsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        keys = [str(k.value) for k in table.rows]
        assert keys == [ids["login"], ids["payment"], ids["invoice"]]  # overdue first
        await pilot.press("l", "l", "l")  # category 付款
        await settle(pilot)
        assert [str(k.value) for k in table.rows] == [ids["payment"]]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.ticket_id == ids["payment"]


async def test_c_on_a_follow_up_logs_the_settling_call_and_the_list_updates(
    worklog: Worklog,
) -> None:
    add_history(worklog)
    app = WorklogHarness(worklog, FollowUpsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert [str(k.value) for k in table.rows] == [UNIT_A, UNIT_B, UNIT_C]
        await pilot.press("c")  # the overdue one, first in the list
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CallForm)
        assert form.unit.code == UNIT_A
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert UNIT_A not in [str(k.value) for k in table.rows]
        assert "逾期 0" in str(screen.query_one("#follow-ups-title", Static).render())
    follow = worklog.follow_ups()
    assert (len(follow.overdue), len(follow.due_today), len(follow.upcoming)) == (0, 1, 1)


async def test_the_queue_moves_with_the_units_list_keys(worklog: Worklog) -> None:
    ids = add_history(worklog)
    app = WorklogHarness(worklog, TicketsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("G")
        assert table.cursor_row == len(ids) - 1 == table.row_count - 1
        await pilot.press("k")
        assert table.cursor_row == table.row_count - 2
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("j", "end")
        assert table.cursor_row == table.row_count - 1


@pytest.mark.parametrize(
    ("typed", "shown", "quick", "stored"),
    [
        ("7/5", "→ 2024-07-05 周五", "", "2024-07-05"),
        ("0705", "→ 2024-07-05 周五", "", "2024-07-05"),
        ("2024-7-5", "→ 2024-07-05 周五", "", "2024-07-05"),
        ("+3", "→ 2024-07-03 周三", "+3", "2024-07-03"),
        ("下周二", "→ 2024-07-02 周二", "", "2024-07-02"),
        ("+7", "→ 2024-07-07 周日", "+7", "2024-07-07"),
    ],
)
async def test_a_follow_up_day_as_people_type_it_is_shown_back_and_matched(
    worklog: Worklog, typed: str, shown: str, quick: str, stored: str
) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press("1", "ctrl+f")  # a topic; the quick choice moves to +1 天
        assert form.query_one("#quick", Choice).value == "+1"
        box = form.query_one("#follow_up_on", Input)
        box.value = ""
        box.focus()
        await pilot.press(*typed)
        await pilot.pause()
        assert str(form.query_one("#follow_up_shown").render()) == shown
        # The choice shown always matches the field: the old +1 is no longer picked.
        assert form.query_one("#quick", Choice).value == quick
        assert box.value == typed  # what was typed stays as typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    (call,) = rows(worklog, "SELECT follow_up_on FROM calls")
    assert call["follow_up_on"] == stored


async def test_the_hint_says_what_ctrl_f_cycles_through(worklog: Worklog) -> None:
    app = call_form(worklog)
    async with app.run_test(size=(80, 24)) as pilot:
        hint = str(app.screen.query_one(".form-hint", Static).render())
        assert "Ctrl+F" in hint and "+1天/+3天/+7天/下周一/不跟进" in hint
        seen = []
        for _ in range(5):
            await pilot.press("ctrl+f")
            seen.append(app.screen.query_one("#follow_up_on", Input).value)
        assert seen == ["2024-07-01", "2024-07-03", "2024-07-07", "2024-07-01", ""]


async def test_a_call_needs_a_topic_or_a_note(worklog: Worklog) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "话题" in error_text(pilot, "topics")
        assert rows(worklog, "SELECT id FROM calls") == []
        form.query_one("#notes", Input).value = "对方说下周再打"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert len(rows(worklog, "SELECT id FROM calls")) == 1


async def test_leaving_a_changed_form_asks_first(worklog: Worklog) -> None:
    from specialist_tui.screens.dialogs import ConfirmDialog

    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        form.query_one("#notes", Input).focus()
        await pilot.press(*"对方在开会")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # back to the form, nothing lost
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#notes", Input).value == "对方在开会"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert app.screen is not form
    assert rows(worklog, "SELECT id FROM calls") == []


async def test_leaving_an_untouched_form_does_not_ask(worklog: Worklog) -> None:
    app = call_form(worklog)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not form


async def test_the_ticket_form_checks_the_order_number_shape(worklog: Worklog) -> None:
    unit = worklog.unit(UNIT_A)
    app = WorklogHarness(worklog, lambda w: TicketForm(w, unit))
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        form.query_one("#subject", Input).value = "查订单"
        form.query_one("#order", Input).value = "ABC"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "订单号应为平台订单编号" in error_text(pilot, "order")
        form.query_one("#order", Input).value = "832-2024-000000123"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert [r["order_id"] for r in rows(worklog, "SELECT order_id FROM tickets")] == [
        "832-2024-000000123"
    ]


async def test_the_ticket_form_warns_of_an_open_ticket_of_the_same_category(
    worklog: Worklog,
) -> None:
    add_history(worklog)
    active = worklog.active_tickets(UNIT_B)
    assert active
    category = active[0].category
    unit = worklog.unit(UNIT_B)
    app = WorklogHarness(worklog, lambda w: TicketForm(w, unit))
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        choice = form.query_one("#category", Choice)
        choice.value = category
        await pilot.pause()
        warning = form.query_one("#same-category", Static)
        assert warning.display
        assert active[0].subject in str(warning.render())
        others = [c for c, _ in choice.options if not worklog.active_tickets(UNIT_B, c)]
        choice.value = others[0]
        await pilot.pause()
        assert not warning.display


@pytest.mark.parametrize(("size", "whole"), [((80, 24), False), ((160, 45), True)])
async def test_the_follow_ups_use_the_width_they_have_and_cut_with_an_ellipsis(
    worklog: Worklog, size: tuple[int, int], whole: bool
) -> None:
    add_history(worklog)
    app = WorklogHarness(worklog, FollowUpsScreen)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        keys = [str(k.value) for k in table.rows]
        line = table.render_line(keys.index(UNIT_B) + 1).text  # below the header
        if whole:
            assert "西宁市第一中学" in line
        else:
            assert "西宁市第一 …" in line or "西宁市第一…" in line
        assert "…" in line or whole
        assert "上次结果" in table.render_line(0).text  # every column on screen


async def test_a_follow_up_without_an_action_says_so_instead_of_a_blank(
    worklog: Worklog,
) -> None:
    add_history(worklog)  # unit C's promise has a day and no action
    app = WorklogHarness(worklog, FollowUpsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        keys = [str(k.value) for k in table.rows]
        assert "（未写事项）" in table.render_line(keys.index(UNIT_C) + 1).text
        assert "（未写事项）" not in table.render_line(keys.index(UNIT_B) + 1).text


@pytest.mark.parametrize("which", ["follow_ups", "tickets"])
async def test_f_and_w_fit_their_columns_again_on_a_live_resize(
    worklog: Worklog, which: str
) -> None:
    add_history(worklog)
    screen_class: ScreenFactory = FollowUpsScreen if which == "follow_ups" else TicketsScreen
    name = "西宁市第一中学"  # UNIT_B: a promise due today and an open ticket
    app = WorklogHarness(worklog, screen_class)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        keys = [str(k.value) for k in table.rows]
        units = keys if which == "follow_ups" else [r.ticket.unit_code for r in app.screen.shown]
        row = units.index(UNIT_B)
        table.move_cursor(row=row)
        narrow = {c.label.plain: c.width for c in table.columns.values()}
        assert name not in table.render_line(row + 1).text  # cut with … at 80 columns
        await pilot.resize_terminal(160, 45)
        await settle(pilot)
        wide = {c.label.plain: c.width for c in table.columns.values()}
        assert wide["单位"] > narrow["单位"]
        assert name in table.render_line(row + 1).text
        assert table.cursor_row == row and [str(k.value) for k in table.rows] == keys
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert {c.label.plain: c.width for c in table.columns.values()} == narrow


def test_spare_width_goes_to_the_columns_whose_texts_need_it() -> None:
    from specialist_tui.widgets.list_table import fitted_widths

    columns = [("日期", 5), ("单位", 10), ("事项", 10)]
    room = 5 + 10 + 10 + 6  # the least widths and each column's padding
    assert fitted_widths(columns, [5, 30, 30], room) == [5, 10, 10]
    assert fitted_widths(columns, [5, 30, 30], room + 21) == [5, 21, 20]
    # Never past the longest text: a wide terminal leaves the rest empty, not the columns.
    assert fitted_widths(columns, [5, 14, 12], room + 100) == [5, 14, 12]
    # The narrow column is filled first, the rest shared.
    assert fitted_widths(columns, [5, 12, 40], room + 10) == [5, 12, 18]
    assert fitted_widths(columns, [5, 30, 30], 10) == [5, 10, 10]  # never below the least


@pytest.mark.parametrize("which", ["follow_ups", "tickets"])
async def test_f_and_w_export_what_they_show(worklog: Worklog, tmp_path: Path, which: str) -> None:
    from openpyxl import load_workbook

    from specialist_tui.screens.export import ExportDialog

    add_history(worklog)
    worklog.service.settings.export_dir = tmp_path
    screen_class = FollowUpsScreen if which == "follow_ups" else TicketsScreen
    app = WorklogHarness(worklog, screen_class)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        shown = [str(k.value) for k in table.rows]
        assert shown
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
    (written,) = tmp_path.glob("*.xlsx")
    sheet = load_workbook(written).worksheets[0]
    assert sheet["A1"].value.startswith("跟进日程" if which == "follow_ups" else "我的工单")
    assert sheet.max_row == len(shown) + 2  # title, header, one row per listed item
    names = {c.value for row in sheet.iter_rows(min_row=3) for c in row}
    if which == "follow_ups":
        assert set(shown) <= names  # the units' credit codes, in the file
    assert sheet.print_title_rows == "$2:$2"  # prints like the follow-up list
