"""The ranking as a rich table with bars, shared by `specialist-tui summary --rank` and the app."""

from __future__ import annotations

from fractions import Fraction

from rich.table import Table
from rich.text import Text

from specialist_tui.client.ranking import Ranking
from specialist_tui.client.summary_table import bar
from specialist_tui.domain.ranking import METRICS, Ranked, change_text
from specialist_tui.inert import terminal_text


def bar_share(ranking: Ranking, row: Ranked) -> Fraction | None:
    """How much of its bar a row fills: the percent itself, or money against the largest."""
    if row.value is None:
        return None
    if ranking.metric.kind == "percent":
        return Fraction(row.value)
    largest = max((int(r.value or 0) for r in ranking.rows), default=0)
    return Fraction(int(row.value), largest) if largest else Fraction(0)


def moved(row: Ranked) -> str:
    """↑3 / ↓1 / — : places gained or lost since the earlier day."""
    if row.rank is None or row.earlier_rank is None or row.rank == row.earlier_rank:
        return "—" if row.earlier_rank is not None else ""
    gained = row.earlier_rank - row.rank
    return f"↑{gained}" if gained > 0 else f"↓{-gained}"


def ranking_table(ranking: Ranking, wide: bool = True, bar_width: int = 16) -> Table:
    """Place, group, a bar of the ranked figure; every figure when ``wide``; the change when
    an earlier day is given."""
    metric = ranking.metric
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("名次", justify="right", no_wrap=True)
    table.add_column(ranking.group_label, overflow="fold")
    table.add_column(metric.label, no_wrap=True)
    others = [m for m in METRICS.values() if m is not metric] if wide else []
    if wide:
        table.add_column("单位数", justify="right")
    for other in others:
        table.add_column(other.label, justify="right", no_wrap=True)
    if ranking.since is not None:
        table.add_column(f"比 {ranking.since:%m-%d}", no_wrap=True)
        table.add_column("名次变化", justify="right", no_wrap=True)
    for row in ranking.rows:
        cells: list[str | Text] = [
            str(row.rank) if row.rank is not None else "—",
            Text(terminal_text(row.group.name or row.group.key or "（未填写）")),
            Text.assemble(
                (bar(bar_share(ranking, row), bar_width), "cyan"), f" {metric.shown(row.value):>7}"
            ),
        ]
        if wide:
            cells.append(str(row.group.units))
        cells += [other.shown(other.value(row.group)) for other in others]
        if ranking.since is not None:
            change = change_text(row, metric, ranking.since)
            cells += [change.removeprefix(f"比 {ranking.since:%m-%d} "), moved(row)]
        table.add_row(*cells)
    return table
