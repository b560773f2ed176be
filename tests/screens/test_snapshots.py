"""Snapshots of every screen on the demo data set (300 units, seed 832).

The day is frozen at 2024-06-30 and the refresh time is pinned, so every run draws the same
screen; input cursors do not blink. Update on purpose with `pytest --snapshot-update`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.cache import CACHE_FILE, Cache
from specialist_tui.client.config import Settings
from specialist_tui.domain.fields import BEIJING
from specialist_tui.screens.unit import UnitScreen
from tests.harness import settle
from tests.screens.conftest import TODAY

SnapCompare = Callable[..., bool]


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data set written once per test session."""
    from specialist_tui.client.service import Service
    from specialist_tui.commands.client.demo import write_demo

    folder = tmp_path_factory.mktemp("demo")
    service = Service(Settings(cache_dir=folder, today=TODAY))
    write_demo(service, 300, TODAY, seed=832)
    service.cache.set_meta("refreshed_at", "2024-06-30T08:00:00+08:00")
    service.close()
    return folder


@pytest.fixture
def demo_app(demo_cache: Path, tmp_path: Path) -> SpecialistApp:
    folder = tmp_path / "cache"
    folder.mkdir()
    shutil.copy(demo_cache / CACHE_FILE, folder / CACHE_FILE)
    Cache.open(folder).close()  # fold the copied WAL in
    return create_app(Settings(cache_dir=folder, today=TODAY))


async def settled(pilot: Pilot[int]) -> None:
    """At rest, with the filter's cursor not blinking (a snapshot is one moment)."""
    app = pilot.app
    await settle(pilot, rounds=1)
    for box in app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def filtered(pilot: Pilot[int]) -> None:
    await settled(pilot)
    await pilot.press("6", "slash", *"jyj", "enter", "j", "j")
    await settled(pilot)


async def unit_opened(pilot: Pilot[int]) -> None:
    await settled(pilot)
    await pilot.press("j", "enter")
    await settled(pilot)
    assert isinstance(pilot.app.screen, UnitScreen)
    await pilot.pause()


def test_units_screen_80x24(snap_compare: SnapCompare, demo_app: SpecialistApp) -> None:
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settled)


def test_units_screen_filtered_160x45(snap_compare: SnapCompare, demo_app: SpecialistApp) -> None:
    assert snap_compare(demo_app, terminal_size=(160, 45), run_before=filtered)


def test_unit_screen_80x24(snap_compare: SnapCompare, demo_app: SpecialistApp) -> None:
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=unit_opened)


def test_unit_screen_160x45(snap_compare: SnapCompare, demo_app: SpecialistApp) -> None:
    assert snap_compare(demo_app, terminal_size=(160, 45), run_before=unit_opened)


def test_units_screen_light_theme(snap_compare: SnapCompare, demo_app: SpecialistApp) -> None:
    demo_app.settings.theme = "textual-light"
    assert snap_compare(demo_app, terminal_size=(120, 30), run_before=filtered)


# -- every screen at 80×24 and 160×45, dark and light --------------------------------------

NOON = datetime(2024, 6, 30, 10, 30, tzinfo=BEIJING)  # the forms and queues show the time

SCREENS: dict[str, tuple[str, ...]] = {
    "units": (),
    "unit": ("j", "enter"),
    "follow_ups": ("f",),
    "tickets": ("w",),
    "summary": ("ctrl+r",),
    "help": ("question_mark",),
    # Not the palette: its lists fill in the background in no fixed order (test_chinese.py
    # checks its words instead).
    "call_form": ("c",),
    "ticket_form": ("t",),
    "export": ("e",),
    # Three units marked on the list, then 记录活动 with them.
    "event_form": ("space", "space", "space", "E"),
    "untrained": ("u",),
}


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_screen(
    snap_compare: SnapCompare,
    demo_app: SpecialistApp,
    screen: str,
    size: tuple[int, int],
    theme: str,
) -> None:
    demo_app.settings.theme = theme
    demo_app.worklog.clock = lambda: NOON

    async def open_it(pilot: Pilot[int]) -> None:
        await settled(pilot)
        await pilot.press(*SCREENS[screen])
        await settled(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=open_it)
