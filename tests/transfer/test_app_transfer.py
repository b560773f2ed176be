"""In the app: `e` exports the current view with its filter and sort; ctrl+r opens the summary."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.cache.summary import summary
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.screens.export import ExportDialog
from specialist_tui.screens.summary import SummaryScreen
from specialist_tui.screens.units import UnitsScreen
from tests.harness import settle

from .conftest import TODAY

SIZE = (132, 24)


def make_app(loaded: Service, tmp_path: Path) -> SpecialistApp:
    settings = Settings(cache_dir=loaded.settings.cache_dir, today=TODAY, export_dir=tmp_path)
    return create_app(settings)


async def test_e_exports_the_current_view_with_its_filter_and_sort(
    loaded: Service, tmp_path: Path
) -> None:
    app = make_app(loaded, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"西宁", "enter", "S")  # filter, then reverse the sort
        await settle(pilot)
        units = app.screen
        assert isinstance(units, UnitsScreen)
        query = units.current_query()
        assert (query.text, query.sort) == ("西宁", "score")
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        box = dialog.query_one("#export-path", Input)
        assert Path(box.value).parent == tmp_path
        box.value = str(tmp_path / "list.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
    with (tmp_path / "list.csv").open(encoding="utf-8-sig", newline="") as f:
        codes = [row["统一社会信用代码"] for row in csv.DictReader(f)]
    want = [r.code for r in loaded.view_rows(query.view, "西宁", "score")]
    assert codes == want and codes


async def test_ctrl_r_opens_the_summary_and_g_switches_the_grouping(
    loaded: Service, tmp_path: Path
) -> None:
    app = make_app(loaded, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert screen.rows == summary(loaded.cache, "area")
        await pilot.press("g")
        await settle(pilot)
        assert screen.by == "supervisor"
        assert screen.rows == summary(loaded.cache, "supervisor")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)


def test_summary_screen_snapshot(loaded: Service, tmp_path: Path, snap_compare: Any) -> None:
    app = make_app(loaded, tmp_path)

    async def open_summary(pilot: Pilot[Any]) -> None:
        await settle(pilot)  # type: ignore[arg-type]
        await pilot.press("ctrl+r")
        await settle(pilot)  # type: ignore[arg-type]

    assert snap_compare(app, terminal_size=SIZE, run_before=open_summary)


async def test_the_format_is_chosen_in_the_dialog_and_the_toast_gives_the_full_path(
    loaded: Service, tmp_path: Path
) -> None:
    app = make_app(loaded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        box = dialog.query_one("#export-path", Input)
        assert box.value.endswith(".xlsx")
        await pilot.press("tab", "right")  # to the format, then CSV
        await settle(pilot)
        assert box.value.endswith(".csv")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        toasts = [str(n.message) for n in app._notifications]
        written = list(tmp_path.glob("*.csv"))
        assert len(written) == 1
        assert any(str(written[0].resolve()) in toast for toast in toasts)
