"""Everything a user reads is Chinese: help (Textual's own keys too), the palette and its prompts.

The palette also finds actions by pinyin, and text that looks like markup shows as written.
"""

from __future__ import annotations

import re

from textual.command import CommandInput, CommandList
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Label, Static

from specialist_tui.app import SpecialistApp
from specialist_tui.screens.export import ExportDialog
from specialist_tui.screens.help import HelpScreen
from specialist_tui.screens.palette import NO_MATCHES, PLACEHOLDER, Palette
from tests.harness import settle

CJK = re.compile(r"[\u4e00-\u9fff]")


async def open_help(app: SpecialistApp, pilot: Pilot[int]) -> HelpScreen:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    return app.screen


async def test_help_shows_textuals_own_keys_in_chinese(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        # Tab moves focus (Textual's Screen binds it as "Focus Next") and the filter box
        # brings Input's keys ("Copy selected text"...): all must read in Chinese.
        await pilot.press("slash")
        await pilot.pause()
        app.action_help()  # "?" would be typed into the filter
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = screen.keys  # what the help's table shows, row by row
        assert len(rows) > 10
        descriptions = [row[1] for row in rows]
        english = [d for d in descriptions if d and not CJK.search(d)]
        assert english == []
        assert "复制选中的文字" in descriptions or "下一个控件" in descriptions


async def test_the_help_footer_shows_keymap_as_written(app: SpecialistApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_help(app, pilot)
        foot = str(screen.query_one("#help-foot", Label).render())
        assert "在配置文件的 [keymap] 中按“编号”改键" in foot


async def test_markup_looking_text_in_help_rows_renders_as_written(app: SpecialistApp) -> None:
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        row = ("x", "[b]粗体[/b]", "见 [keymap] 段", "a.b")
        app.push_screen(HelpScreen([row], "测试"))
        await pilot.pause()
        keys = app.screen.query_one("#help-keys", Static)
        width, height = keys.size
        shown = "\n".join(s.text for s in keys.render_lines(Region(0, 0, width, height)))
        assert all(cell in shown for cell in row)


async def wait_for_hits(pilot: Pilot[int], hits: CommandList) -> None:
    for _ in range(100):  # the palette searches in the background
        await pilot.pause(0.05)
        if hits.option_count:
            return


async def test_the_palette_prompts_in_chinese_and_finds_actions_by_pinyin(
    app: SpecialistApp,
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, Palette)
        assert palette.query_one(CommandInput).placeholder == PLACEHOLDER
        await pilot.press(*"daochu")
        hits = palette.query_one(CommandList)
        await wait_for_hits(pilot, hits)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("导出" in p for p in prompts)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)


async def test_the_palette_says_no_match_in_chinese(app: SpecialistApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"qqqqzzzz")
        hits = app.screen.query_one(CommandList)
        await wait_for_hits(pilot, hits)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any(NO_MATCHES in p for p in prompts)
        assert not any("No matches" in p for p in prompts)


async def test_every_command_the_palette_lists_is_chinese(app: SpecialistApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("down")  # an empty query lists what can be discovered
        hits = app.screen.query_one(CommandList)
        await wait_for_hits(pilot, hits)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert prompts
        assert [p for p in prompts if not CJK.search(p)] == []
