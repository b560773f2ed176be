"""80×24 is a first-class size: tabs keep their digits and saved views, the header and the
footer read cleanly, and no line is cut mid-word."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.widgets import Footer, Static

from specialist_tui.app import create_app
from specialist_tui.client.config import SavedView, Settings

from .test_units_screen import settle


def shown(widget: Static) -> str:
    return str(widget.render())


async def test_the_units_screen_at_80x24(settings: Settings, isolated_settings: Path) -> None:
    settings.saved_views = [
        SavedView(name="西宁欠款", view="unpaid", filter="西宁", sort="-unpaid")
    ]
    app = create_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.units_screen
        tabs = shown(screen.query_one("#tabs", Static))
        for n, title in enumerate(
            ["需跟进", "未填报", "比例不足", "未付款", "到期待办", "全部"], 1
        ):
            assert f"{n}{title}" in tabs  # the number key is shown with its tab
        assert "7西宁欠款" in tabs  # saved views stay
        assert all(cell_len(line) <= 78 for line in tabs.splitlines())
        header = shown(screen.query_one("#header", Static))
        assert cell_len(header) <= 78 and "今天 06-30" in header
        footer = screen.query_one(Footer)
        assert footer.compact  # whole labels: tests/screens/test_footer.py
    wide = create_app(settings)
    async with wide.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        footer = wide.units_screen.query_one(Footer)
        assert not footer.compact
        assert "1 需跟进" in shown(wide.units_screen.query_one("#tabs", Static))


async def test_the_summary_reads_whole_at_80x24(settings: Settings) -> None:
    import io

    from rich.console import Console

    from specialist_tui.screens.summary import SummaryScreen

    app = create_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert "金额单位：万元" in shown(screen.query_one("#summary-title", Static))
        console = Console(width=78, file=io.StringIO(), record=True)
        console.print(screen.query_one("#summary-table", Static).content)
        text = console.export_text()
        assert "QH0101" in text and "合计" in text
        assert "…" not in text  # no figure cut short ("17…" before)
        assert all(cell_len(line) <= 78 for line in text.splitlines())
