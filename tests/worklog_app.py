"""A bare Textual app that shows one work-log screen, for Pilot and snapshot tests."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

from specialist_tui.client.worklog import Worklog

ScreenFactory = Callable[[Worklog], Screen[object]]


class WorklogHarness(App[None]):
    """Pushes the screen ``factory`` makes; remembers what each pushed screen returned."""

    def __init__(self, worklog: Worklog, factory: ScreenFactory) -> None:
        super().__init__()
        self.worklog = worklog
        self.factory = factory
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.factory(self.worklog), self.results.append)
