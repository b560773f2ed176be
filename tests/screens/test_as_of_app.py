"""The app looking back to a past day: facts are computed as of that day, with progress shown."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from textual.message import Message

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.cache.store import Progress
from specialist_tui.client.config import Settings
from specialist_tui.screens.units import UnitsScreen
from specialist_tui.widgets.reason_line import ReasonLine
from specialist_tui.widgets.unit_table import UnitTable
from tests.harness import settle
from tests.screens.conftest import make_code


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
        # Units whose facts and rules are both done, never going back, for the day asked.
        units = app.service.cache.count("units")
        assert progress and progress[-1].done == progress[-1].total == units
        assert {m.day for m in progress} == {date(2024, 1, 15)}
        assert [m.done for m in progress] == sorted(m.done for m in progress)
        assert not app.units_screen.preparing
        row = app.service.unit_rows([make_code(2)])[0]
        assert row.filing_status == "draft"
        assert row.completed_fen == 0  # every order was completed after 01-15
        assert "R1" in {flag.rule for flag in row.flags}


def _table_text(app: SpecialistApp) -> str:
    table = app.units_screen.query_one(UnitTable)
    return "\n".join(table.render_line(y).text for y in range(1, 6))


async def test_while_a_day_is_computed_the_list_shows_no_verdicts(cache_dir: Path) -> None:
    # The worker is held until the test has looked at the screen: the list then holds the
    # rows of 06-30 while 02-20 is computed.
    settings = Settings(cache_dir=cache_dir, today=date(2024, 6, 30))
    app = create_app(settings)
    go_on = threading.Event()
    prepare = app.service.prepare_separately

    def held(progress: Progress | None = None, day: date | None = None) -> object:
        assert go_on.wait(10)
        return prepare(progress, day)

    app.service.prepare_separately = held  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.units_screen
        await pilot.pause()
        while screen.busy:
            await pilot.pause(0.02)
        await pilot.pause()
        before = _table_text(app)
        assert "R1" in before  # 西宁市教育局 has not filed: the old day's verdict is drawn
        assert "笔" in before  # unpaid orders, with their age on 06-30
        await pilot.press("D")
        await pilot.press(*"02-20", "enter")
        await pilot.pause()
        while screen.busy:
            await pilot.pause(0.02)
        await pilot.pause()
        assert screen.preparing
        during = _table_text(app)
        assert "R1" not in during and "…" in during  # no verdict of 06-30 under 02-20
        assert "笔" not in during  # no age counted to 02-20 on the facts of 06-30
        assert "西宁市教育局" in during  # the rows stay, for moving about
        reason = app.units_screen.query_one(ReasonLine).reason
        assert reason is not None and reason.pending == "正在按 2024-02-20 重新计算…"
        header = str(screen.query_one("#header").render())
        assert "正在计算截至 02-20 的数据和规则" in header and "今天 02-20" in header
        tabs = str(screen.query_one("#tabs").render())
        assert "需跟进 …" in tabs  # no count of the last day's verdicts either
        go_on.set()
        await settle(pilot)
        assert not screen.preparing
        assert "R1" in _table_text(app)  # on 02-20 the unit has still not filed
        assert app.service.cache.get_meta("evaluated_on") == "2024-02-20"


async def test_a_second_day_replaces_the_one_being_computed(cache_dir: Path) -> None:
    # 01-15 is held in its first slice until 03-01 has been asked for: its worker must then
    # stop without its result landing, and 03-01 must be what the list and the cache hold.
    settings = Settings(cache_dir=cache_dir, today=date(2024, 6, 30))
    seen: list[Message] = []
    app = create_app(settings)
    first_started, second_asked = threading.Event(), threading.Event()
    prepare = app.service.prepare_separately

    def slowed(progress: Progress | None = None, day: date | None = None) -> object:
        def hold(done: int, total: int) -> None:
            if day == date(2024, 1, 15):
                first_started.set()
                assert second_asked.wait(10)
            assert progress is not None
            progress(done, total)

        return prepare(hold, day)

    app.service.prepare_separately = slowed  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        app.look_at_day(date(2024, 1, 15))
        while not first_started.is_set():
            await pilot.pause(0.02)
        app.look_at_day(date(2024, 3, 1))
        second_asked.set()
        for _ in range(500):  # settle() would raise on the cancelled worker
            await pilot.pause(0.02)
            if not app.units_screen.preparing and all(w.is_finished for w in app.workers):
                break
        await settle(pilot)
        prepared = [m for m in seen if isinstance(m, SpecialistApp.Prepared)]
        assert [m.day for m in prepared] == [date(2024, 3, 1)]
        assert not app.units_screen.preparing
        assert app.service.cache.get_meta("evaluated_on") == "2024-03-01"
        assert app.service.cache.get_meta("facts_asof") == "2024-03-01"
        row = app.service.unit_rows([make_code(2)])[0]
        assert row.filing_status == "confirmed"  # submitted 02-01: known on 03-01
        assert isinstance(app.screen, UnitsScreen)


async def test_the_day_dialog_says_what_it_takes(cache_dir: Path) -> None:
    settings = Settings(cache_dir=cache_dir, today=date(2024, 6, 30))
    app = create_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("D", *"2-30", "enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DayDialog"  # still asking: no such day
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnitsScreen) and not app.units_screen.preparing
        assert app.service.today == date(2024, 6, 30)
