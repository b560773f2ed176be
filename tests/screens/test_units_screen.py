"""The units screen as a user drives it: moving, filtering, sorting, views, opening a unit."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import Input

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings, load_settings
from specialist_tui.screens.help import HelpScreen
from specialist_tui.screens.unit import UnitScreen
from specialist_tui.screens.units import UnitsScreen
from specialist_tui.widgets.unit_table import UnitTable
from tests.harness import settle
from tests.screens.conftest import UNITS, make_code


def table(app: SpecialistApp) -> UnitTable:
    return app.units_screen.query_one(UnitTable)


def expected(settings: Settings, view: str, text: str = "", sort: str | None = None) -> list[str]:
    cache = Cache.open(settings.cache_dir)
    try:
        return cache.view_codes(view, text, sort)
    finally:
        cache.close()


async def test_list_opens_on_the_follow_up_view(app: SpecialistApp, settings: Settings) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert table(app).codes == expected(settings, "follow_up")
        assert app.units_screen.counts["all"] == len(UNITS)


async def test_moving_with_keys(app: SpecialistApp) -> None:
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")  # 全部: every unit, so there is more than a page
        await settle(pilot)
        t = table(app)
        total = len(t.codes)
        assert total == len(UNITS)
        await pilot.press("j", "j", "down")
        assert t.cursor == 3
        await pilot.press("k")
        assert t.cursor == 2
        await pilot.press("G")
        assert t.cursor == total - 1
        await pilot.press("g")
        assert t.cursor == 0
        await pilot.press("pagedown")
        page = t.page_height
        assert t.cursor == page
        assert t.scroll_offset.y > 0  # the cursor row is on screen
        await pilot.press("pageup")
        assert t.cursor == 0
        await pilot.press("up")
        assert t.cursor == 0


async def test_filter_by_pinyin_initials_and_clear(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"xnsjyj")
        await settle(pilot)
        assert table(app).codes == [make_code(1)]  # 西宁市教育局
        await pilot.press("enter")  # back to the table, filter kept
        assert isinstance(app.focused, UnitTable)
        assert table(app).codes == [make_code(1)]
        await pilot.press("escape")
        await settle(pilot)
        assert len(table(app).codes) == len(UNITS)


async def test_filter_by_full_pinyin_chinese_and_words(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("6", "slash", *"xining")
        await settle(pilot)
        assert sorted(table(app).codes) == sorted([make_code(1), make_code(2)])
        app.units_screen.query_one("#filter", Input).value = "西宁 财政"
        await settle(pilot)
        assert table(app).codes == [make_code(2)]


async def test_sort_key_cycles_column_and_direction(app: SpecialistApp, settings: Settings) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert app.units_screen.sort == "name"
        await pilot.press("s")
        await settle(pilot)
        assert app.units_screen.sort == "supervisor"
        assert table(app).codes == expected(settings, "all", sort="supervisor")
        await pilot.press("S")
        await settle(pilot)
        assert app.units_screen.sort == "-supervisor"
        assert table(app).codes == expected(settings, "all", sort="-supervisor")


async def test_after_a_sort_the_list_shows_the_top_of_the_new_order(
    app: SpecialistApp, settings: Settings
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6", "j", "j", "j", "j", "j")  # a few rows down the list
        await settle(pilot)
        assert table(app).cursor == 5
        await pilot.press("S")
        await settle(pilot)
        assert table(app).cursor == 0
        assert table(app).current_code == expected(settings, "all", sort="-name")[0]
        status = str(app.units_screen.query_one("#status").render())
        assert "单位名称 按拼音 Z→A" in status  # the sort in words, not an arrow


async def test_number_keys_switch_views(app: SpecialistApp, settings: Settings) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        for key, view in [("2", "not_filed"), ("4", "unpaid"), ("3", "below_ratio")]:
            await pilot.press(key)
            await settle(pilot)
            assert app.units_screen.current_tab.view == view
            assert table(app).codes == expected(settings, view)
        assert table(app).codes  # 海东市人民医院 reserves 12%


async def test_saving_a_view_writes_the_config_and_shows_next_time(
    app: SpecialistApp, settings: Settings, isolated_settings: Path
) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("4", "slash", *"datong", "enter", "S")
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        dialog_input = app.screen.query_one("#name", Input)
        dialog_input.value = "大通欠款"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.units_screen
        assert screen.current_tab.title == "大通欠款" and screen.current_tab.saved
    saved = tomllib.loads(isolated_settings.read_text(encoding="utf-8"))["saved_views"]
    assert saved == [{"name": "大通欠款", "view": "unpaid", "filter": "datong", "sort": "-oldest"}]

    again = create_app(load_settings({"cache_dir": settings.cache_dir, "today": settings.today}))
    async with again.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        titles = [t.title for t in again.units_screen.tabs]
        assert titles[-1] == "大通欠款"
        await pilot.press(str(len(titles)))
        await settle(pilot)
        codes = table(again).codes
        assert codes == expected(settings, "unpaid", "datong", "-oldest")
        assert codes and again.units_screen.query_one("#filter", Input).value == "datong"
        # X asks before deleting the tab: no keeps it, yes removes it from the config file.
        from specialist_tui.screens.dialogs import ConfirmDialog

        await pilot.press("X")
        await pilot.pause()
        assert isinstance(again.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert [t.title for t in again.units_screen.tabs][-1] == "大通欠款"
        await pilot.press("X", "y")
        await settle(pilot)
        assert "大通欠款" not in [t.title for t in again.units_screen.tabs]
    left = tomllib.loads(isolated_settings.read_text(encoding="utf-8")).get("saved_views", [])
    assert left == []


async def test_open_a_unit_and_come_back_to_the_same_row(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("6", "slash", *"dtx", "enter", "j", "j", "j")
        await settle(pilot)
        before = list(table(app).codes)
        code = table(app).current_code
        assert table(app).cursor == 3 and code is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitScreen) and app.screen.code == code
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        assert table(app).current_code == code and table(app).cursor == 3
        assert table(app).codes == before
        assert app.units_screen.query_one("#filter", Input).value == "dtx"


async def test_help_lists_the_screen_keys_with_their_ids(app: SpecialistApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {row[3] for row in app.screen.keys}
        assert {"units.filter", "units.sort", "units.save_view", "table.down", "app.quit"} <= ids
        await pilot.press("escape")
        assert isinstance(app.screen, UnitsScreen)


async def test_keymap_from_settings_remaps_a_key(settings: Settings) -> None:
    settings.keymap = {"units.filter": "f"}
    app = create_app(settings)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(app.focused, Input)


async def test_an_unknown_keymap_id_is_reported_not_ignored(settings: Settings) -> None:
    settings.keymap = {"units.filter": "f", "units.filtre": "f4"}
    app = create_app(settings)
    notes: list[str] = []
    app.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(app.focused, Input)  # the known id still applies
    assert any("units.filtre" in note and "units.filter、" not in note for note in notes), notes


async def test_empty_cache_tells_how_to_get_data(tmp_path: Path) -> None:
    app = create_app(Settings(cache_dir=tmp_path / "empty"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.units_screen.has_class("-empty")
        await pilot.press("j", "slash", "2", "enter")  # nothing breaks
        assert "specialist-tui demo" in str(app.units_screen.query_one("#empty").render())


async def test_typing_ahead_lands_in_the_filter(app: SpecialistApp) -> None:
    """Keys that arrive in one burst ("/xnsjyj" pasted or typed fast) all go to the filter."""
    from textual import events

    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        for key, char in [("slash", "/"), *((c, c) for c in "xnsjyj"), ("enter", None), ("j", "j")]:
            app._driver.send_message(events.Key(key, char))  # queued together, like a burst
        await settle(pilot)
        assert app.units_screen.query_one("#filter", Input).value == "xnsjyj"
        assert app.units_screen.sort == "-score"  # the "s" was typed, not a sort
        assert table(app).codes == [make_code(1)]


async def test_palette_goes_to_a_unit_by_pinyin_initials(app: SpecialistApp) -> None:
    from textual.command import CommandList, CommandPalette

    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"gemsdyzx")  # 格尔木市第一中学
        hits = app.screen.query_one(CommandList)
        for _ in range(100):  # the palette searches in the background
            await pilot.pause(0.05)
            if hits.option_count:
                break
        assert "格尔木市第一中学" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitScreen)
        assert app.screen.code == make_code(4)
