"""The Textual app: its screens, app-wide keys, the theme and keymap, and background preparation."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import Worker, WorkerState

from specialist_tui.cache import Evaluation
from specialist_tui.config import Settings
from specialist_tui.screens.help import HelpScreen, screen_keys
from specialist_tui.screens.unit import UnitScreen
from specialist_tui.screens.units import UnitsScreen
from specialist_tui.service import Service


class SpecialistApp(App[int]):
    """832 平台区域服务专员工作台."""

    CSS_PATH = "app.tcss"
    TITLE = "832 服务专员工作台"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "退出", id="app.quit", tooltip="退出程序"),
        Binding("question_mark", "help", "帮助", id="app.help", tooltip="列出本屏幕的全部按键"),
        Binding("ctrl+p", "command_palette", "命令", show=False, id="app.command_palette",
                tooltip="命令面板：转到单位（支持拼音）和本屏幕的操作"),
    ]  # fmt: skip

    class Prepared(Message):
        """Flags were brought up to date for today (None: they already were)."""

        def __init__(self, evaluation: Evaluation | None) -> None:
            super().__init__()
            self.evaluation = evaluation

    def __init__(self, settings: Settings, service: Service | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.service = service or Service(settings)
        self.units_screen = UnitsScreen(self.service)

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"没有主题 {self.settings.theme!r}，使用默认主题", severity="warning")
        self.set_keymap(self.settings.keymap)
        self.push_screen(self.units_screen)
        if self.service.unit_count() and self.service.needs_preparing():
            self.units_screen.set_preparing(True)
            self._prepare()

    def on_unmount(self) -> None:
        self.service.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="app.prepare")
    def _prepare(self) -> None:
        # Re-evaluating 100k units takes seconds: the list shows the last evaluation meanwhile.
        self.post_message(self.Prepared(self.service.prepare_separately()))

    @on(Prepared)
    def _prepared(self, message: Prepared) -> None:
        self.units_screen.set_preparing(False)
        self.units_screen.data_changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker errors reach the user as one line; the full traceback goes to the dev log.
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            if event.worker.group == "app.prepare":
                self.units_screen.set_preparing(False)
            self.notify(f"{type(error).__name__}: {error}", title="出错了", severity="error")

    def open_unit(self, code: str) -> None:
        """Show one unit's screen on top of the list."""
        self.push_screen(UnitScreen(self.service, code))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        title = "单位详情" if isinstance(self.screen, UnitScreen) else "单位列表"
        self.push_screen(HelpScreen(screen_keys(self.screen), title))


def create_app(settings: Settings, service: Service | None = None) -> SpecialistApp:
    """The app as the CLI runs it; tests and the bench build it the same way."""
    return SpecialistApp(settings, service)


def run_app(settings: Settings) -> int:
    """Run the app in the terminal until the user quits; returns the exit status."""
    app = create_app(settings)
    app.run()
    return app.return_code or 0
