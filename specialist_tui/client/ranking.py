"""The 通报 ranking of the cache's units for a day, with the change since an earlier day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from specialist_tui.client.cache.ranking import unit_figures
from specialist_tui.domain.ranking import (
    GROUP_LABELS,
    METRICS,
    GroupBy,
    GroupFigures,
    Metric,
    Ranked,
    group_figures,
    rank,
    total,
)
from specialist_tui.policies import load_divisions

if TYPE_CHECKING:
    from specialist_tui.client.service import Service


@dataclass(frozen=True, slots=True)
class Ranking:
    by: GroupBy
    metric: Metric
    day: date
    since: date | None
    rows: list[Ranked]
    total: GroupFigures

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.by]

    @property
    def title(self) -> str:
        return f"按{self.group_label}排名 · {self.metric.label} · 截至 {self.day}"


def build_ranking(
    service: Service, by: GroupBy, metric: str = "completion", since: date | None = None
) -> Ranking:
    """Groups ranked on ``metric`` as of the service's day; with ``since``, the change since."""
    chosen = METRICS[metric]
    year, divisions = service.policy.year, load_divisions(service.policy)
    day = service.today
    # The list's facts are this day's once it is evaluated: read them, compute only others.
    current = not service.needs_preparing()
    groups = group_figures(unit_figures(service.reader, year, day, current), by, divisions)
    earlier = None
    if since is not None:
        earlier = group_figures(unit_figures(service.reader, year, since), by, divisions)
    return Ranking(by, chosen, day, since, rank(groups, chosen, earlier), total(groups))
