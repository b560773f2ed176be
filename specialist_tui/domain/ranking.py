"""The 通报 ranking: regions (市州, 县区, area codes) and supervisors ranked by the figures the
finance departments report, as of a day, with the change since an earlier day.

Pure: the caller gives each unit's figures as of the day; this module groups, rates, ranks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction
from typing import Literal

from specialist_tui.domain.divisions import Divisions, county_of, prefecture_of
from specialist_tui.domain.enums import Level
from specialist_tui.domain.money import percent_floor, yuan

GroupBy = Literal["prefecture", "county", "area", "supervisor"]
GROUP_LABELS: dict[GroupBy, str] = {
    "prefecture": "市州",
    "county": "县区",
    "area": "区域代码",
    "supervisor": "主管部门",
}
PROVINCIAL_KEY, PROVINCIAL_NAME = "province", "省本级"


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """One unit's figures as of a day (money in fen), and where it belongs."""

    code: str
    name: str
    level: str
    division_code: str
    area_code: str
    supervisor_code: str
    supervisor_name: str
    filed: bool
    canteen_total: int
    canteen_reserved: int
    reserved: int  # canteen and union parts
    completed: int
    unpaid: int
    trained: bool


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """A region's or supervisor's sums; the rates are None where there is nothing to divide."""

    key: str
    name: str
    units: int = 0
    filed: int = 0
    canteen_total: int = 0
    canteen_reserved: int = 0
    reserved: int = 0
    completed: int = 0
    unpaid: int = 0
    trained: int = 0

    @property
    def filing_rate(self) -> Fraction | None:
        return Fraction(self.filed, self.units) if self.units else None

    @property
    def reservation_ratio(self) -> Fraction | None:
        return Fraction(self.canteen_reserved, self.canteen_total) if self.canteen_total else None

    @property
    def completion_rate(self) -> Fraction | None:
        return Fraction(self.completed, self.reserved) if self.reserved else None

    @property
    def trained_share(self) -> Fraction | None:
        return Fraction(self.trained, self.units) if self.units else None


Value = Fraction | int | None


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    label: str
    value: Callable[[GroupFigures], Value]
    higher_is_better: bool
    kind: Literal["percent", "yuan"]

    def shown(self, value: Value) -> str:
        if value is None:
            return "—"
        if self.kind == "yuan":
            return yuan(int(value))
        share = Fraction(value)
        return percent_floor(share.numerator, share.denominator)


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("filing", "填报率", lambda g: g.filing_rate, True, "percent"),
        Metric("ratio", "预留比例", lambda g: g.reservation_ratio, True, "percent"),
        Metric("completion", "完成率", lambda g: g.completion_rate, True, "percent"),
        Metric("unpaid", "欠款金额", lambda g: g.unpaid, False, "yuan"),
        Metric("trained", "培训覆盖率", lambda g: g.trained_share, True, "percent"),
    )
}


@dataclass(frozen=True, slots=True)
class Ranked:
    """A group's place on one metric, and how it moved since the earlier day (if given)."""

    rank: int | None  # None: nothing to rank on (no units filed, nothing reserved...)
    group: GroupFigures
    value: Value
    earlier_value: Value = None
    earlier_rank: int | None = None

    @property
    def change(self) -> Value:
        if self.value is None or self.earlier_value is None:
            return None
        return self.value - self.earlier_value


def group_key(unit: UnitFigures, by: GroupBy, divisions: Divisions) -> tuple[str, str]:
    """The group a unit counts in, as (key, name)."""
    if by == "area":
        return unit.area_code, unit.area_code or "（未填写）"
    if by == "supervisor":
        # A unit without a supervisor is the competent department of its units: it heads its line.
        if unit.supervisor_code or unit.supervisor_name:
            return unit.supervisor_code or unit.supervisor_name, unit.supervisor_name
        return unit.code, unit.name
    prefecture = prefecture_of(unit.division_code)
    if unit.level == Level.PROVINCIAL or prefecture is None:
        return PROVINCIAL_KEY, PROVINCIAL_NAME
    if by == "prefecture":
        return prefecture, divisions.name(prefecture)
    county = county_of(unit.division_code)
    if county is None:  # the prefecture's own units: its seat level
        return prefecture, f"{divisions.name(prefecture)}{divisions.seat_label(prefecture)}"
    return county, f"{divisions.name(prefecture)}{divisions.name(county)}"


def group_figures(
    units: Iterable[UnitFigures], by: GroupBy, divisions: Divisions
) -> list[GroupFigures]:
    """Each group's sums, in key order."""
    sums: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for unit in units:
        key, name = group_key(unit, by, divisions)
        names.setdefault(key, name)
        row = sums.setdefault(key, dict.fromkeys(_SUMMED, 0))
        row["units"] += 1
        row["filed"] += unit.filed
        row["canteen_total"] += unit.canteen_total
        row["canteen_reserved"] += unit.canteen_reserved
        row["reserved"] += unit.reserved
        row["completed"] += unit.completed
        row["unpaid"] += unit.unpaid
        row["trained"] += unit.trained
    return [GroupFigures(key, names[key], **sums[key]) for key in sorted(sums)]


_SUMMED = tuple(f.name for f in fields(GroupFigures) if f.name not in ("key", "name"))


def total(groups: Sequence[GroupFigures], name: str = "合计") -> GroupFigures:
    return GroupFigures("", name, **{f: sum(getattr(g, f) for g in groups) for f in _SUMMED})


def rank(
    groups: Sequence[GroupFigures],
    metric: Metric,
    earlier: Sequence[GroupFigures] | None = None,
) -> list[Ranked]:
    """Groups best first on ``metric`` (ties share a place: 1, 1, 3), those without a value last;
    with ``earlier``, each group's value and place on that day too."""
    places = _places(groups, metric)
    before = {g.key: g for g in earlier or ()}
    earlier_places = _places(list(before.values()), metric)
    out = []
    for group in groups:
        old = before.get(group.key)
        out.append(
            Ranked(
                rank=places.get(group.key),
                group=group,
                value=metric.value(group),
                earlier_value=metric.value(old) if old is not None else None,
                earlier_rank=earlier_places.get(group.key),
            )
        )
    return sorted(out, key=lambda r: (r.rank or math.inf, r.group.key))


def _places(groups: Sequence[GroupFigures], metric: Metric) -> dict[str, int]:
    valued: list[tuple[Fraction, str]] = []
    for group in groups:
        value = metric.value(group)
        if value is not None:
            better_first = -Fraction(value) if metric.higher_is_better else Fraction(value)
            valued.append((better_first, group.key))
    valued.sort()
    places: dict[str, int] = {}
    for position, (value, key) in enumerate(valued, start=1):
        tied = position > 1 and valued[position - 2][0] == value
        places[key] = places[valued[position - 2][1]] if tied else position
    return places


def change_text(ranked: Ranked, metric: Metric, earlier_day: date) -> str:
    """How the value moved: 比 02-20 提高 12.3 个百分点, 比 02-20 减少 1,200.00 元, 比 02-20 持平
    (基本持平 when a rate moved by less than the 0.1 point we show); "" when either day has no
    value."""
    change = ranked.change
    if change is None:
        return ""
    day = f"{earlier_day:%m-%d}"
    if change == 0:
        return f"比 {day} 持平"
    up = change > 0
    if metric.kind == "yuan":
        return f"比 {day} {'增加' if up else '减少'} {yuan(abs(int(change)))} 元"
    tenths = abs(Fraction(change)) * 1000 // 1  # floored, like every percent we show
    if tenths == 0:
        return f"比 {day} 基本持平"  # not "提高 0.0 个百分点"
    return f"比 {day} {'提高' if up else '下降'} {tenths // 10}.{tenths % 10} 个百分点"
