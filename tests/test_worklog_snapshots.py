"""Snapshots of the call form, the ticket screen, the tickets queue and the follow-ups screen.

The data is the demo data set (300 units, seed 832) or the small fixed set of
tests/worklog_data.py; the day is 2024-06-30 and the clock 10:30, so every run draws the same
screen. Update on purpose with `pytest --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from specialist_tui.screens.call_form import CallForm
from specialist_tui.screens.follow_ups import FollowUpsScreen
from specialist_tui.screens.ticket import TicketScreen
from specialist_tui.screens.tickets import TicketsScreen
from tests.harness import WorklogHarness, settle
from tests.worklog_data import UNIT_A, make_demo_worklog, make_worklog

SnapCompare = Callable[..., bool]


def test_call_form_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    worklog = make_demo_worklog(tmp_path)
    first = worklog.follow_ups().overdue[0]  # a demo unit with contacts and a promise due
    unit = worklog.unit(first.code)
    app = WorklogHarness(worklog, lambda w: CallForm(w, unit))

    async def topic_and_follow_up(pilot: Pilot[None]) -> None:
        await pilot.press("1", "4", "ctrl+f", "ctrl+f")  # 填报 and 付款; follow up in 3 days

    assert snap_compare(app, terminal_size=(80, 24), run_before=topic_and_follow_up)


def test_call_form_shows_errors_by_their_fields(snap_compare: SnapCompare, tmp_path: Path) -> None:
    worklog = make_worklog(tmp_path)
    unit = worklog.unit(UNIT_A)
    app = WorklogHarness(worklog, lambda w: CallForm(w, unit))

    async def bad_input(pilot: Pilot[None]) -> None:
        screen: Any = pilot.app.screen
        screen.query_one("#started_at", Input).value = "2024-06-31 10:00"
        screen.query_one("#duration", Input).value = "5"
        screen.query_one("#follow_up_action", Input).value = "回访"
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=bad_input)


def test_ticket_screen_with_its_timeline(snap_compare: SnapCompare, tmp_path: Path) -> None:
    worklog = make_demo_worklog(tmp_path)
    longest = max(worklog.tickets(), key=lambda t: (t.ticket.version, str(t.ticket.id)))
    app = WorklogHarness(worklog, lambda w: TicketScreen(w, str(longest.ticket.id)))
    assert snap_compare(app, terminal_size=(100, 24), run_before=settle)


def test_tickets_queue(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = WorklogHarness(make_demo_worklog(tmp_path), TicketsScreen)
    assert snap_compare(app, terminal_size=(100, 24), run_before=settle)


def test_follow_ups_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = WorklogHarness(make_demo_worklog(tmp_path), FollowUpsScreen)
    assert snap_compare(app, terminal_size=(100, 24), run_before=settle)
