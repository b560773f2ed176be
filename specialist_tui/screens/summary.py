"""The center summary (ctrl+r): per area code or supervisor, with bars, read in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from specialist_tui.client.read_models import GroupBy, SummaryRow
from specialist_tui.client.service import Service
from specialist_tui.client.summary_table import NARROW, NARROW_NOTE, summary_table
from specialist_tui.widgets.fit_footer import FitFooter

GROUPS: dict[GroupBy, str] = {"area": "区域代码", "supervisor": "主管部门"}


class SummaryScreen(Screen[None]):
    """Units, share filed, reserved, completed, completion rate, unpaid: per group and in total."""

    HELP_TITLE = "中心汇总"  # the `?` help's title

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "返回", id="summary.close", tooltip="回到单位列表"),
        Binding("g", "toggle_group", "切换分组", id="summary.group",
                tooltip="按区域代码 / 按主管部门汇总"),
        Binding("r", "ranking", "通报排名", id="summary.ranking",
                tooltip="按市州、县区、区域代码或主管部门排名，带条形图和与较早一天的变化"),
    ]  # fmt: skip

    @dataclass
    class Loaded(Message):
        by: GroupBy
        rows: list[SummaryRow]

    def __init__(self, service: Service, by: GroupBy = "area") -> None:
        super().__init__()
        self.service = service
        self.by: GroupBy = by
        self.rows: list[SummaryRow] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="summary-title")
        with VerticalScroll(id="summary-body"):
            yield Static("正在汇总…", id="summary-table")
        yield FitFooter()

    def on_mount(self) -> None:
        self._render_title()
        self._load(self.by)

    @work(thread=True, exclusive=True, exit_on_error=False, group="summary.load")
    def _load(self, by: GroupBy) -> None:
        self.post_message(self.Loaded(by, self.service.summary(by)))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        if message.by != self.by:
            return
        self.rows = message.rows
        table = self.query_one("#summary-table", Static)
        if not message.rows:
            table.update("缓存中没有单位。")
            return
        table.update(summary_table(message.rows, GROUPS[message.by], self.app.size.width))

    def _render_title(self) -> None:
        other = GROUPS["supervisor" if self.by == "area" else "area"]
        narrow = self.app.size.width < NARROW
        unit = f" · {NARROW_NOTE}" if narrow else ""
        self.query_one("#summary-title", Static).update(
            f"[b]中心汇总 · 按{GROUPS[self.by]}[/b] · 截至 {self.service.today}{unit}"
            f" · [$text-muted]g 改为按{other}[/]"
        )

    def action_toggle_group(self) -> None:
        self.by = "supervisor" if self.by == "area" else "area"
        self.rows = None
        self._render_title()
        self._load(self.by)

    def action_ranking(self) -> None:
        from specialist_tui.screens.ranking import RankingScreen

        self.app.push_screen(RankingScreen(self.service))

    def action_close(self) -> None:
        self.dismiss(None)
