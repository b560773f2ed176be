"""The app looking back to a past day: facts are computed as of that day, with progress shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.message import Message

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.config import Settings
from tests.screens.conftest import make_code
from tests.screens.test_units_screen import settle


async def test_looking_back_recomputes_facts_and_reports_progress(cache_dir: Path) -> None:
    # Every filing in the test cache is submitted on 02-01: on 01-15 nobody had filed yet.
    settings = Settings(cache_dir=cache_dir, today=date(2024, 1, 15))
    seen: list[Message] = []
    app = create_app(settings)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        for _ in range(50):  # the list may settle before the past day's facts are in
            await settle(pilot)
            if not app.units_screen.preparing:
                break
            await pilot.pause(0.05)
        await settle(pilot)  # the list reloads once the facts are in
        progress = [m for m in seen if isinstance(m, SpecialistApp.PrepareProgress)]
        # Each unit's facts, then its rules: twice as many steps as units, never going back.
        units = app.service.cache.count("units")
        assert progress and progress[-1].done == progress[-1].total == 2 * units
        assert [m.done for m in progress] == sorted(m.done for m in progress)
        assert not app.units_screen.preparing
        row = app.service.unit_rows([make_code(2)])[0]
        assert row.filing_status == "draft"
        assert row.completed_fen == 0  # every order was completed after 01-15
        assert "R1" in {flag.rule for flag in row.flags}
