"""Sync inside the app: ctrl+s in a worker, the header's sync status, a clear message on failure."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from specialist_tui.app import SpecialistApp, create_app
from tests.harness import settle
from tests.hub.conftest import World


def header(app: SpecialistApp) -> str:
    return str(app.units_screen.query_one("#header", Static).render())


def notes(app: SpecialistApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_ctrl_s_syncs_and_the_header_shows_it(world: World, tmp_path: Path) -> None:
    settings = world.settings("a", tmp_path / "app-cache", today=world.today)
    app = create_app(settings)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, rounds=8)
        assert app.service.cache.count("units") == 0
        assert "上次同步 从未" in header(app)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=8)
        assert app.service.cache.count("units") == 3
        assert any(n.startswith("同步完成：拉取 22 条") for n in notes(app))
        assert "上次同步 从未" not in header(app) and "待推送 0" in header(app)


async def test_a_failed_sync_says_why_and_the_app_goes_on(world: World, tmp_path: Path) -> None:
    world.running.stop()
    settings = world.settings("a", tmp_path / "app-cache", today=world.today)
    app = create_app(settings)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=8)
        assert any("无法连接同步中心" in n for n in notes(app))
        assert not app.syncing
        assert "上次同步 从未" in header(app)


async def test_the_ticket_screen_shows_both_versions_until_one_is_kept(
    world: World, tmp_path: Path
) -> None:
    from specialist_tui.client.cache import Cache
    from specialist_tui.screens.ticket import TicketScreen
    from tests.hub.test_sync import _ticket_edited_on_both_sides

    cache_dir = tmp_path / "app-cache"
    cache = Cache.open(cache_dir)
    ticket_id = _ticket_edited_on_both_sides(world, cache)
    cache.close()
    app = create_app(world.settings("a", cache_dir, today=world.today))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, rounds=8)
        screen = TicketScreen(app.worklog, ticket_id)
        app.push_screen(screen)
        await settle(pilot, rounds=8)
        shown = str(screen.query_one("#conflict", Static).render())
        assert "同步冲突" in shown
        assert "优先级：本地「紧急」 · 中心「普通」" in shown
        assert "状态：本地「待处理」 · 中心「处理中」" in shown
        await pilot.press("H")
        await settle(pilot, rounds=8)
        assert not screen.query_one("#conflict", Static).display
        assert app.service.ticket_conflicts() == []
        assert app.worklog.ticket(ticket_id).ticket.status == "in_progress"
