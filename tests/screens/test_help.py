"""`?` help at 80×24: the keys that matter most on its first screen, the rest a scroll away,
descriptions wrapped whole, and the title naming the screen it was opened from."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Label, Static

from specialist_tui.app import SpecialistApp
from specialist_tui.screens.help import HelpScreen
from tests.harness import settle

from .test_chinese import open_help


def visible(app: SpecialistApp) -> str:
    """The help's key table as far as it shows in its scrolled window."""
    body = app.screen.query_one("#help-body", VerticalScroll)
    keys = app.screen.query_one("#help-keys", Static)
    crop = Region(0, round(body.scroll_y), keys.size.width, body.size.height)
    return "\n".join(strip.text for strip in keys.render_lines(crop))


async def test_help_at_80x24_starts_with_the_keys_that_matter_and_scrolls(
    app: SpecialistApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_help(app, pilot)
        first = visible(app)
        for key, action in [("⏎", "打开"), ("/", "筛选"), ("c", "记录通话"), ("s", "排序")]:
            assert any(
                line.split()[:2] == [key, action] for line in first.splitlines() if line.strip()
            ), (key, first)
        assert "units.filter" in first  # the ids stay, under their descriptions
        assert "视图9" not in first  # the tab keys come later
        # Descriptions wrap whole instead of ending in "…".
        assert "…" not in first and "xnsjyj" in first
        body = app.screen.query_one("#help-body", VerticalScroll)
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0 and visible(app) != first
        await pilot.press("end")
        await pilot.pause()
        assert "视图9" in visible(app)
        assert app.screen.query_one("#help-contacts", Label).region.height > 0
        await pilot.press("home", "j")
        await pilot.pause()
        assert body.scroll_y == 1
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_is_titled_by_the_screen_it_was_opened_from(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await open_help(app, pilot)
        title = str(app.screen.query_one("#help-title", Label).render())
        assert title == "跟进日程 · 按键"
        assert "编号" in visible(app)  # wide: the ids in a column of their own
