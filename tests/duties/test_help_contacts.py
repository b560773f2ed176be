"""The help (?) names the specialist's own center's people and the policy's supervision hotline."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from specialist_tui.app import create_app
from specialist_tui.client.config import Settings
from specialist_tui.client.service import HelpContacts
from specialist_tui.screens.help import HelpScreen

from .conftest import TODAY


def test_the_lines_name_the_lead_and_the_hotline() -> None:
    contacts = HelpContacts(
        "东部中心", [("马晓军", "13800000001", True), ("李娜", "", False)], ["400"]
    )
    assert contacts.lines() == [
        "东部中心：马晓军（负责人） 13800000001、李娜",
        "“832平台”监督电话：400",
    ]
    assert HelpContacts("", [], []).lines() == []


async def test_help_shows_the_centers_people_and_the_hotline(
    demo_cache: Path, tmp_path: Path
) -> None:
    app = create_app(Settings(cache_dir=demo_cache, today=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("#help-contacts", Label).render())
        center, hotline = shown.splitlines()
        assert center.startswith("青海东部区域服务中心：马晓军（负责人） 1")
        assert center.count("、") == 4  # the east center's five specialists
        assert hotline == "“832平台”监督电话：400-1188-832，17812282832"
        app.save_screenshot(str(tmp_path / "help.svg"))
