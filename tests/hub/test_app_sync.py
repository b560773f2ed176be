"""Sync inside the app: ctrl+s in a worker, the header's sync status, a clear message on failure."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from specialist_tui.app import SpecialistApp, create_app
from tests.hub.conftest import World


async def settle(pilot: Pilot[int]) -> None:
    for _ in range(8):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def header(app: SpecialistApp) -> str:
    return str(app.units_screen.query_one("#header", Static).render())


def notes(app: SpecialistApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_ctrl_s_syncs_and_the_header_shows_it(world: World, tmp_path: Path) -> None:
    settings = world.settings("a", tmp_path / "app-cache", today=world.today)
    app = create_app(settings)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert app.service.unit_count() == 0
        assert "上次同步 从未" in header(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.service.unit_count() == 3
        assert any(n.startswith("同步完成：拉取 22 条") for n in notes(app))
        assert "上次同步 从未" not in header(app) and "待推送 0" in header(app)


async def test_a_failed_sync_says_why_and_the_app_goes_on(world: World, tmp_path: Path) -> None:
    world.running.stop()
    settings = world.settings("a", tmp_path / "app-cache", today=world.today)
    app = create_app(settings)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("无法连接同步中心" in n for n in notes(app))
        assert not app.syncing
        assert "上次同步 从未" in header(app)
