"""The common loop of a specialist's day, walked at 80×24 as a person would, key by key.

Open the app, filter the list, open a unit, log a call with a follow-up, come back to the
list, export what it shows. Each step asserts what the person would see.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import Input

from specialist_tui.app import create_app
from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.screens.call_form import CallForm
from specialist_tui.screens.export import ExportDialog
from specialist_tui.screens.unit import UnitScreen
from specialist_tui.screens.units import UnitsScreen

from .test_units_screen import expected, settle, table

SIZE = (80, 24)


async def test_the_common_loop_at_80x24(settings: Settings, tmp_path: Path) -> None:
    settings.export_dir = tmp_path
    app = create_app(settings)
    keys = 0
    async with app.run_test(size=SIZE) as pilot:

        async def press(*typed: str) -> None:
            nonlocal keys
            keys += len(typed)
            await pilot.press(*typed)
            await settle(pilot)

        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        await press("slash", *"datong", "enter")  # the 大通县 schools
        want = expected(settings, "follow_up", "datong")
        assert table(app).codes == want and want
        first = want[0]

        await press("enter")  # open the unit under the cursor
        assert isinstance(app.screen, UnitScreen) and app.screen.code == first

        await press("c")  # log a call: 接通 and the contact are filled in
        form = app.screen
        assert isinstance(form, CallForm)
        call_keys = keys
        await press("1", "ctrl+f", "ctrl+s")  # topic 填报, follow up tomorrow, save
        call_keys = keys - call_keys + 1  # with the c that opened the form
        assert isinstance(app.screen, UnitScreen)

        await press("escape")  # back to the same row of the list
        assert isinstance(app.screen, UnitsScreen)
        assert app.units_screen.query_one("#filter", Input).value == "datong"

        await press("e")  # export what the list shows
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await press("enter")
        assert isinstance(app.screen, UnitsScreen)

    cache = Cache.open(settings.cache_dir)
    (call,) = cache.rows("SELECT * FROM calls WHERE unit_code = ?", [first])
    cache.close()
    assert (call["outcome"], call["follow_up_on"]) == ("reached", "2024-07-01")
    assert call_keys == 4  # c, 1, ctrl+f, ctrl+s
    (written,) = tmp_path.glob("*.xlsx")
    sheet = load_workbook(written).worksheets[0]
    assert "筛选 datong" in sheet["A1"].value
    codes = [row[1].value for row in sheet.iter_rows(min_row=3)]
    assert codes == expected(settings, "follow_up", "datong")
    assert keys <= 20
