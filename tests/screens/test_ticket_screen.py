"""The ticket screen names people: the author of the ticket and of each step, by name."""

from __future__ import annotations

from textual.widgets import Static

from specialist_tui.app import SpecialistApp
from specialist_tui.screens.ticket import TicketScreen
from tests.harness import settle

from .conftest import make_code


async def test_the_ticket_screen_shows_authors_by_name(app: SpecialistApp) -> None:
    ticket = app.worklog.open_ticket(make_code(1), "account", "财务账号无法登录", "high")
    app.worklog.comment_ticket(str(ticket.id), "已请平台重置")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        head = str(screen.query_one("#head", Static).render())
        assert "王芳" in head and "S001" not in head  # the cache's user, S001, is 王芳
        timeline = screen.query_one("#events", Static)
        shown = "\n".join(s.text for s in timeline.render_lines(timeline.region.reset_offset))
        assert shown.count("王芳") == 2 and "S001" not in shown
