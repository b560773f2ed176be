"""What every app test shares: settle() to let the app come to rest, and a harness app that
shows one work-log screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen

from specialist_tui.client.worklog import Worklog

ScreenFactory = Callable[[Worklog], Screen[object]]


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let every worker finish and the messages they posted be handled, at least ``rounds``
    times (a handler may start another worker); on the full app, also until the units list
    is no longer busy (its lists, search texts, a filter pass and the tab counts)."""
    app = pilot.app
    units = getattr(app, "units_screen", None)
    for done in range(1, 201):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if done >= rounds and (units is None or not units.busy):
            return
        if units is not None and units.busy:
            await pilot.pause(0.02)


class WorklogHarness(App[None]):
    """Pushes the screen ``factory`` makes; remembers what each pushed screen returned."""

    # The palette key as the app labels it (Textual's own label is English).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+p", "command_palette", "命令", show=False, id="app.command_palette")
    ]

    def __init__(self, worklog: Worklog, factory: ScreenFactory) -> None:
        super().__init__()
        self.worklog = worklog
        self.factory = factory
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.factory(self.worklog), self.results.append)
