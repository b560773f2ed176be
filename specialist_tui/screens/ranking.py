"""The 通报 ranking (r on the summary): regions or supervisors ranked with bars, read in a
worker; g changes the grouping, m the figure, c the earlier day compared with."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from specialist_tui.client.ranking import Ranking, build_ranking
from specialist_tui.client.ranking_table import ranking_table
from specialist_tui.client.service import Service
from specialist_tui.domain.ranking import GROUP_LABELS, METRICS, GroupBy
from specialist_tui.widgets.fit_footer import FitFooter

GROUPS: tuple[GroupBy, ...] = ("prefecture", "county", "area", "supervisor")
# Wide enough for every figure beside the bar; narrower screens show the ranked one only.
WIDE_COLUMNS = 150


@dataclass(frozen=True, slots=True)
class Choice:
    by: GroupBy
    metric: str
    since: date | None


class RankingScreen(Screen[None]):
    """Places, bars of the ranked figure, and how each moved since an earlier day."""

    HELP_TITLE = "通报排名"  # the `?` help's title

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "返回", id="ranking.close", tooltip="回到汇总"),
        Binding("g", "next_group", "分组", id="ranking.group",
                tooltip="按市州 / 县区 / 区域代码 / 主管部门排名"),
        Binding("m", "next_metric", "指标", id="ranking.metric",
                tooltip="填报率 / 预留比例 / 完成率 / 欠款金额 / 培训覆盖率"),
        Binding("c", "next_since", "对比日", id="ranking.since",
                tooltip="与填报截止日、30 天前比较，或不比较"),
    ]  # fmt: skip

    @dataclass
    class Loaded(Message):
        choice: Choice
        ranking: Ranking

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service
        today = service.today
        # The days worth comparing with: the filing deadline (the 通报's usual mark), a month ago.
        candidates = [service.policy.deadlines.filing, today - timedelta(days=30)]
        self.sinces: list[date | None] = [
            None,
            *sorted({d for d in candidates if d is not None and d < today}),
        ]
        self.choice = Choice("prefecture", "completion", None)
        self.ranking: Ranking | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="ranking-title")
        with VerticalScroll(id="ranking-body"):
            yield Static("正在排名…", id="ranking-table")
        yield FitFooter()

    def on_mount(self) -> None:
        self._reload()

    def on_resize(self) -> None:
        if self.ranking is not None:
            self._show_table(self.ranking)

    def _reload(self) -> None:
        choice = self.choice
        since = f" · 比 {choice.since:%m-%d}" if choice.since else ""
        self.query_one("#ranking-title", Static).update(
            f"[b]通报排名 · 按{GROUP_LABELS[choice.by]} · {METRICS[choice.metric].label}[/b]"
            f"  ·  截至 {self.service.today}{since}"
        )
        self._load(choice)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ranking.load")
    def _load(self, choice: Choice) -> None:
        ranked = build_ranking(self.service, choice.by, choice.metric, choice.since)
        self.post_message(self.Loaded(choice, ranked))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.choice != self.choice:
            return  # an older choice's answer, arriving late
        self.ranking = message.ranking
        self._show_table(message.ranking)

    def _show_table(self, ranked: Ranking) -> None:
        table = self.query_one("#ranking-table", Static)
        if not ranked.rows:
            table.update("缓存中没有单位。")
            return
        wide = self.size.width >= WIDE_COLUMNS
        table.update(ranking_table(ranked, wide=wide, bar_width=16 if wide else 10))

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self._reload()

    def action_next_group(self) -> None:
        self._choose(replace(self.choice, by=_after(GROUPS, self.choice.by)))

    def action_next_metric(self) -> None:
        self._choose(replace(self.choice, metric=_after(tuple(METRICS), self.choice.metric)))

    def action_next_since(self) -> None:
        self._choose(replace(self.choice, since=_after(tuple(self.sinces), self.choice.since)))

    def action_close(self) -> None:
        self.dismiss(None)


T = TypeVar("T")


def _after(items: tuple[T, ...], current: T) -> T:
    return items[(items.index(current) + 1) % len(items)]
