"""The work log inside the real app: c and t from the list and the unit screen, f and w."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.screens.call_form import CallForm
from specialist_tui.screens.dialogs import ConfirmDialog
from specialist_tui.screens.follow_ups import FollowUpsScreen
from specialist_tui.screens.ticket_form import TicketForm
from specialist_tui.screens.tickets import TicketsScreen
from specialist_tui.screens.unit import UnitScreen
from specialist_tui.screens.units import UnitsScreen
from specialist_tui.widgets.unit_table import UnitTable
from tests.harness import settle
from tests.worklog_data import NOW, UNIT_A, UNIT_B, UNIT_C, add_history, make_worklog

SIZE = (120, 36)


def app_on(tmp_path: Path) -> SpecialistApp:
    """The app as the CLI builds it, on the test cache, with the clock at NOW."""
    worklog = make_worklog(tmp_path)
    add_history(worklog)
    app = create_app(worklog.service.settings, worklog.service)
    app.worklog.clock = lambda: NOW
    return app


async def test_c_on_the_list_logs_a_call_and_the_row_shows_the_new_follow_up(
    tmp_path: Path,
) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        table = app.screen.query_one(UnitTable)
        code = table.current_code
        assert code is not None
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CallForm)
        assert app.screen.unit.code == code
        await pilot.press("1", "ctrl+f", "ctrl+f", "ctrl+s")  # follow up in 3 days
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        row = table.row(code)
        assert row is not None and row.next_follow_up == date(2024, 7, 3)


async def test_c_and_t_on_the_unit_screen_refresh_its_calls_and_tickets(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        unit_screen = app.screen
        assert isinstance(unit_screen, UnitScreen) and unit_screen.detail is not None
        calls_before = len(unit_screen.detail.calls)
        tickets_before = len(unit_screen.detail.tickets)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("2", "ctrl+s")
        await settle(pilot)
        assert app.screen is unit_screen
        assert len(unit_screen.detail.calls) == calls_before + 1
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TicketForm)
        await pilot.press("tab", "tab", *"need help", "ctrl+s")
        await settle(pilot)
        assert app.screen is unit_screen
        assert len(unit_screen.detail.tickets) == tickets_before + 1


async def test_f_and_w_open_the_follow_ups_and_the_queue(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert app.screen.rows  # the three promised follow-ups
        await pilot.press("enter")  # opens the unit of the first one
        await settle(pilot)
        assert isinstance(app.screen, UnitScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, TicketsScreen)
        assert app.check_action("tickets", ()) is False  # not again on top of itself


async def test_d_marks_a_follow_up_done_on_the_schedule_and_on_the_unit_screen(
    tmp_path: Path,
) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        schedule = app.screen
        assert isinstance(schedule, FollowUpsScreen)
        assert list(schedule.rows) == [UNIT_A, UNIT_B, UNIT_C]  # overdue, today, in 4 days
        await pilot.press("d")  # asks first; n keeps it
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "约定 06-28 的跟进已完成" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert list(schedule.rows) == [UNIT_A, UNIT_B, UNIT_C]
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.screen is schedule and list(schedule.rows) == [UNIT_B, UNIT_C]
        await pilot.press("enter")  # UNIT_B's screen: d marks its promise due today
        await settle(pilot)
        unit_screen = app.screen
        assert isinstance(unit_screen, UnitScreen) and unit_screen.code == UNIT_B
        assert app.check_action("follow_up_done", ()) is True
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.screen is unit_screen and unit_screen.detail is not None
        assert unit_screen.detail.facts.next_follow_up is None
        assert app.check_action("follow_up_done", ()) is False  # nothing left to mark
        marks = app.worklog.service.cache.rows("SELECT unit_code FROM follow_ups_done")
        assert sorted(m["unit_code"] for m in marks) == sorted([UNIT_A, UNIT_B])
