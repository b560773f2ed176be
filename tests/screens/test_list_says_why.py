"""The list says why: a line under the table, called-today marks, next unit after a call, n/N."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Static

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.config import Settings
from specialist_tui.widgets.reason_line import ReasonLine

from .conftest import make_code
from .test_units_screen import settle, table


def reason(app: SpecialistApp) -> str:
    return str(app.units_screen.query_one(ReasonLine).render())


def visible_lines(app: SpecialistApp) -> list[str]:
    """The reason line's lines as drawn on screen, within its height and width."""
    line = app.units_screen.query_one(ReasonLine)
    width, height = line.size
    return [strip.text.strip() for strip in line.render_lines(Region(0, 0, width, height))]


async def test_the_line_under_the_list_says_why_whom_to_call_and_the_last_call(
    app: SpecialistApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"xnsjyj", "enter")  # 西宁市教育局
        await settle(pilot)
        assert table(app).current_code == make_code(1)
        line = reason(app)
        assert "紧急" in line and "尚未提交" in line  # its worst flag, in a sentence
        assert "打给 张伟（财务） 13900000001" in line
        assert "上次 06-20 10:00 约定回电：财务说月底前提交" in line
        # All of it on screen at 80×24: the reason, whom to call, the last call with its note.
        assert visible_lines(app) == [
            "紧急 预留份额填报尚未提交，已超过截止日 2024-02-20 131 天",
            "打给 张伟（财务） 13900000001",
            "上次 06-20 10:00 约定回电：财务说月底前提交",
        ]


async def test_the_reason_line_uses_the_room_at_160x45_and_follows_a_resize(
    app: SpecialistApp,
) -> None:
    note = "财务说月底前提交，" * 12  # longer than a line at 160 columns
    app.worklog.log_call(make_code(1), "reached", ["filing"], notes=note)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"xnsjyj", "enter")
        await settle(pilot)
        lines = visible_lines(app)
        assert len(lines) == 4
        assert "尚未提交" in lines[0] and "打给 张伟（财务） 13900000001" in lines[0]
        assert lines[1].startswith("今天已通话") and "".join(lines[1:3]).count("月底前提交") > 8
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        lines = visible_lines(app)
        assert len(lines) == 3 and lines[1] == "打给 张伟（财务） 13900000001"
        assert lines[2].startswith("今天已通话") and lines[2].endswith("…")


async def test_after_a_call_from_the_list_the_cursor_moves_on_and_the_unit_is_marked(
    app: SpecialistApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        units = table(app)
        first, second = units.codes[0], units.codes[1]
        await pilot.press("c", "1", "ctrl+s")  # the common call, from the list
        await settle(pilot)
        assert units.current_code == second
        assert first in units.called
        y = units.codes.index(first)
        assert "✓" in units.render_line(y + 1).text
        await pilot.press("k")  # back on the called one: the line says so
        await settle(pilot)
        assert "今天已通话" in reason(app)
        await pilot.press("g", "n")  # n skips the unit called today
        await settle(pilot)
        assert units.current_code == (second if units.codes[0] == first else units.codes[0])


async def test_n_and_N_jump_over_units_called_today(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        units = table(app)
        codes = units.codes[:4]
        units.mark_called({codes[1], codes[2]})
        await pilot.press("g", "n")
        assert units.current_code == codes[3]
        await pilot.press("N")
        assert units.current_code == codes[0]


async def test_a_setting_keeps_the_cursor_on_the_called_unit(settings: Settings) -> None:
    settings.advance_after_call = False
    app = create_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        units = table(app)
        first = units.codes[0]
        await pilot.press("c", "1", "ctrl+s")
        await settle(pilot)
        assert units.current_code == first
        assert "今天已通话" in reason(app)
        assert isinstance(app.units_screen.query_one("#status"), Static)
