"""Rates read the same in the list as everywhere else: floored to 0.1%, never capped."""

from __future__ import annotations

from specialist_tui.app import SpecialistApp
from specialist_tui.domain.money import percent_floor

from .conftest import make_code
from .test_units_screen import settle, table


async def test_the_list_floors_rates_like_the_unit_screen_and_the_export(
    app: SpecialistApp,
) -> None:
    # 大通县第12小学 completed 150,000.00 of 161,000.00 yuan reserved: 93.17%. The list
    # showed 93.2% (rounded) where the unit screen and the export show 93.1%.
    assert percent_floor(15_000_000, 16_100_000) == "93.1%"
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("6")  # 全部, by name
        await settle(pilot)
        units = table(app)
        y = units.codes.index(make_code(21))
        line = units.render_line(y + 1).text  # below the header row
        assert "大通县第12小学" in line
        assert "93.1%" in line and "93.2%" not in line
