"""Nothing typed is lost: quitting from a changed form asks; quitting with unpushed work says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

import specialist_tui.app
from specialist_tui.app import SpecialistApp
from specialist_tui.client.config import Settings
from specialist_tui.screens.call_form import CallForm
from specialist_tui.screens.dialogs import ConfirmDialog
from tests.harness import settle


async def test_ctrl_q_in_a_changed_form_asks_before_quitting(app: SpecialistApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CallForm)
        form.query_one("#notes", Input).focus()
        await pilot.press(*"说好周五回电", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and app.is_running
        assert form.query_one("#notes", Input).value == "说好周五回电"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


def test_quitting_with_unpushed_calls_says_how_many_and_that_they_are_safe(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Quits(SpecialistApp):
        def run(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            self.unpushed = 2  # what on_unmount reads from the outbox

    monkeypatch.setattr(specialist_tui.app, "create_app", lambda s, service=None: Quits(s))
    assert specialist_tui.app.run_app(settings) == 0
    said = capsys.readouterr().err
    assert "还有 2 条通话/工单未推送到服务中心，已安全保存在本机缓存" in said
    assert str(Path(settings.cache_dir)) in said and "下次同步时推送" in said
