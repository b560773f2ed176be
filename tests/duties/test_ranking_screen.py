"""The ranking screen (r on the summary): Pilot walks its keys; snapshots at 80×24 and 160×45."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.config import Settings
from specialist_tui.screens.ranking import RankingScreen
from specialist_tui.screens.summary import SummaryScreen

from .conftest import TODAY

SnapCompare = Callable[..., bool]


def app_on(cache: Path) -> SpecialistApp:
    return create_app(Settings(cache_dir=cache, today=TODAY))


async def settled(pilot: Pilot[int]) -> None:
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, RankingScreen) and screen.ranking is not None:
            shown = (screen.ranking.by, screen.ranking.metric.name, screen.ranking.since)
            if shown == (screen.choice.by, screen.choice.metric, screen.choice.since):
                break
        await pilot.pause(0.02)
    await pilot.pause()


async def ranking_open(pilot: Pilot[int]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("ctrl+r")
    await pilot.app.workers.wait_for_complete()
    assert isinstance(pilot.app.screen, SummaryScreen)
    await pilot.press("r")
    await settled(pilot)
    assert isinstance(pilot.app.screen, RankingScreen)


async def compared(pilot: Pilot[int]) -> None:
    await ranking_open(pilot)
    await pilot.press("c")
    await settled(pilot)


def text(pilot: Pilot[int], selector: str) -> str:
    widget = pilot.app.screen.query_one(selector, Static)
    return str(widget.render())


async def test_keys_change_grouping_metric_and_day(demo_cache: Path) -> None:
    app = app_on(demo_cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await ranking_open(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RankingScreen)
        assert "通报排名 · 按市州 · 完成率" in text(pilot, "#ranking-title")
        assert screen.ranking is not None and len(screen.ranking.rows) == 9
        await pilot.press("g")
        await settled(pilot)
        assert screen.ranking.by == "county" and len(screen.ranking.rows) > 9
        await pilot.press("m")
        await settled(pilot)
        assert screen.choice.metric == "unpaid"
        assert "欠款金额" in text(pilot, "#ranking-title")
        await pilot.press("c")
        await settled(pilot)
        assert screen.ranking.since is not None
        assert f"比 {screen.ranking.since:%m-%d}" in text(pilot, "#ranking-title")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SummaryScreen)


async def test_an_empty_cache_says_so(tmp_path: Path) -> None:
    app = app_on(tmp_path / "empty")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        pilot.app.push_screen(RankingScreen(app.service))
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert text(pilot, "#ranking-table") == "缓存中没有单位。"


def test_ranking_screen_80x24(snap_compare: SnapCompare, demo_cache: Path) -> None:
    assert snap_compare(app_on(demo_cache), terminal_size=(80, 24), run_before=compared)


def test_ranking_screen_160x45(snap_compare: SnapCompare, demo_cache: Path) -> None:
    assert snap_compare(app_on(demo_cache), terminal_size=(160, 45), run_before=compared)
