"""记录活动 in the app: units marked on the list (space, A) or added by supervisor, one save
for all of them through the work log's checks, leaving a changed form asks first, the event on
each unit's screen; and the 今年未培训 view (`u`) that plans the next training."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from specialist_tui.app import SpecialistApp
from specialist_tui.client.worklog import Worklog
from specialist_tui.screens.dialogs import ConfirmDialog
from specialist_tui.screens.event_form import AttendeeList, EventForm
from specialist_tui.screens.unit import UnitScreen
from specialist_tui.widgets.unit_table import UnitTable
from tests.harness import settle

from .conftest import make_code
from .test_unit_screen import text_of

SIZE = (80, 24)
DATONG = "大通县人民政府"  # the supervisor of the 60 schools of the test cache
SCHOOLS = {make_code(10 + n) for n in range(60)}


def status(app: SpecialistApp) -> str:
    return str(app.units_screen.query_one("#status", Static).content)


def events(app: SpecialistApp) -> list[dict[str, Any]]:
    return Worklog(app.service).events()


async def test_a_training_for_every_school_marked_from_the_filtered_list(
    app: SpecialistApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("6", "slash", *"dtx", "enter")  # 大通县: pinyin initials
        await settle(pilot)
        table = app.units_screen.query_one(UnitTable)
        assert set(table.codes) == SCHOOLS
        await pilot.press("A")
        assert table.marked == SCHOOLS and "已标记 60" in status(app)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EventForm)
        assert form.attendees == dict.fromkeys(table.codes, 1)  # in the list's order
        assert "60 个单位 · 共 60 人" in str(form.query_one("#attendees-summary").content)
        form.query_one("#topic", Input).focus()
        await pilot.press(*"预留份额填报培训")
        form.query_one("#place", Input).value = "大通县政府三楼会议室"
        form.query_one("#starts_at", Input).value = "6-28 9:30"
        form.query_one("#ends_at", Input).value = "11:30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EventForm)
        assert table.marked == set() and "已标记" not in status(app)
        [event] = events(app)
        assert (event["kind"], event["topic"], event["units"], event["people"]) == (
            "training",
            "预留份额填报培训",
            60,
            60,
        )
        assert event["starts_at"].startswith("2024-06-28T09:30")
        assert event["ends_at"].startswith("2024-06-28T11:30")
        assert event["specialists"] == ["S001"]  # the cache's user held it
        # It shows on each attending unit's screen.
        await pilot.press("enter")
        await settle(pilot)
        unit = app.screen
        assert isinstance(unit, UnitScreen) and unit.code in SCHOOLS
        text = text_of(unit, "#events")
        assert "预留份额填报培训" in text and "大通县政府三楼会议室" in text
        assert "2024 年培训 1 次" in text_of(unit, "#events-title")


async def test_space_marks_one_by_one_and_A_clears_what_is_all_marked(
    app: SpecialistApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.units_screen.query_one(UnitTable)
        first = table.codes[:3]
        await pilot.press("space", "space", "space")
        assert table.marked == set(first) and table.cursor == 3
        assert "已标记 3" in status(app)
        await pilot.press("up", "space")  # unmarks the third
        assert table.marked == set(first[:2])
        await pilot.press("A")
        assert table.marked == set(table.codes)
        await pilot.press("A")
        assert table.marked == set() and "已标记" not in status(app)


async def test_units_added_by_supervisor_with_their_own_head_counts(app: SpecialistApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EventForm) and form.attendees == {}
        form.query_one("#people", Input).value = "2"
        form.query_one("#supervisor", Input).focus()
        await pilot.press(*"没有这个部门", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EventForm)  # ⏎ here never saves
        assert "没有主管部门为" in str(form.query_one("#error-attendees", Static).content)
        form.query_one("#supervisor", Input).value = DATONG
        await pilot.press("enter")
        await pilot.pause()
        assert form.attendees == dict.fromkeys(sorted(SCHOOLS), 2)
        assert form.query_one("#supervisor", Input).value == ""
        attendees = form.query_one(AttendeeList)
        attendees.focus()
        attendees.highlighted = 0
        await pilot.press("plus", "plus", "down", "minus", "down", "delete")
        await pilot.pause()
        first, second, third = sorted(SCHOOLS)[:3]
        assert form.attendees[first] == 4 and form.attendees[second] == 1
        assert third not in form.attendees and len(form.attendees) == 59
        assert "59 个单位 · 共 119 人" in str(form.query_one("#attendees-summary").content)
        form.query_one("#topic", Input).value = "座谈会"
        form.query_one("#kind").action_move(-1)  # 培训会 → 座谈会
        await pilot.press("ctrl+s")
        await settle(pilot)
        [event] = events(app)
        assert (event["kind"], event["units"], event["people"]) == ("seminar", 59, 119)


async def test_the_form_checks_like_events_add_and_says_where(app: SpecialistApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EventForm)
        form.query_one("#starts_at", Input).value = "6-31 9:30"
        form.query_one("#people", Input).value = "-1"
        await pilot.press("ctrl+s")
        await settle(pilot)

        def error(line: str) -> str:
            return str(form.query_one(f"#error-{line}", Static).content)

        assert "时间应为" in error("time")
        assert "每单位人数" in error("attendees") and "请在列表中用空格标记单位" in error(
            "attendees"
        )
        # Right where the pre-checks pass, the work log's own validation speaks (the same
        # messages `events add` prints): an empty topic, an end before the start.
        form.query_one("#starts_at", Input).value = "6-28 9:30"
        form.query_one("#ends_at", Input).value = "8:00"
        form.query_one("#people", Input).value = "1"
        form.query_one("#supervisor", Input).value = DATONG
        form.query_one("#supervisor", Input).focus()
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventForm)
        assert "不能为空" in error("topic")
        form.query_one("#topic", Input).value = "培训"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "结束时间早于开始时间" in error("time")
        assert events(app) == []


async def test_leaving_a_changed_event_form_asks_first(app: SpecialistApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "E")
        await settle(pilot)
        form = app.screen
        await pilot.press("escape")  # nothing typed: the marked units were given, not entered
        await pilot.pause()
        assert not isinstance(app.screen, EventForm | ConfirmDialog)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EventForm)
        form.query_one(AttendeeList).focus()
        await pilot.press("plus", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, EventForm) and events(app) == []
        assert app.units_screen.query_one(UnitTable).marked  # kept for the next try


async def test_u_lists_the_units_no_training_reached_this_year(app: SpecialistApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.units_screen
        assert screen.current_tab.title == "今年未培训"
        table = screen.query_one(UnitTable)
        assert len(table.codes) == 65  # nobody trained yet
        assert screen.counts["untrained"] == 65
        await pilot.press("A", "E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EventForm)
        # Drop the first unit: it stays untrained; the others leave the view.
        form.query_one(AttendeeList).focus()
        await pilot.press("delete")
        form.query_one("#topic", Input).value = "年度培训"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(table.codes) == 1 and screen.counts["untrained"] == 1
        await pilot.press("1", "u")  # the key comes back to the same tab, not a second one
        await settle(pilot)
        assert [t.title for t in screen.tabs].count("今年未培训") == 1
        assert screen.current_tab.view == "untrained"


async def test_E_on_a_unit_screen_starts_with_that_unit(app: SpecialistApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        unit = app.screen
        assert isinstance(unit, UnitScreen)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EventForm) and list(form.attendees) == [unit.code]
        form.query_one("#topic", Input).value = "上门走访"
        form.query_one("#kind").action_move(1)  # 培训会 → 上门走访
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is unit
        assert "上门走访" in text_of(unit, "#events")
