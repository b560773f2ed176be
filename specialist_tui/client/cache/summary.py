"""The center summary: per area code or per supervisor, the figures provincial reports track."""

from __future__ import annotations

from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Literal

from specialist_tui.client.cache.store import Cache
from specialist_tui.client.cache.views import COMPLETED_SQL, RESERVED_SQL

GroupBy = Literal["area", "supervisor"]

_FILED = "s.filing_status IN ('submitted', 'confirmed')"

# A unit without a supervisor heads its own line (it is the competent department of its units).
_GROUPS: dict[GroupBy, tuple[str, str]] = {
    "area": ("COALESCE(u.area_code, '')", "COALESCE(u.area_code, '')"),
    "supervisor": (
        "COALESCE(NULLIF(u.supervisor_code, ''), NULLIF(u.supervisor_name, ''), u.code)",
        "MAX(CASE WHEN COALESCE(u.supervisor_code, '') = '' AND u.supervisor_name = '' "
        "THEN u.name ELSE u.supervisor_name END)",
    ),
}


@dataclass(frozen=True, slots=True)
class SummaryRow:
    key: str  # the area code or the supervisor's credit code ("" = units without an area code)
    name: str
    units: int
    filed: int
    reserved_fen: int
    completed_fen: int
    unpaid_count: int
    unpaid_fen: int
    reserved_not_bought: int  # reserved something, no completed order yet
    not_filed: int

    @property
    def filed_share(self) -> Fraction | None:
        return Fraction(self.filed, self.units) if self.units else None

    @property
    def completion_rate(self) -> Fraction | None:
        return Fraction(self.completed_fen, self.reserved_fen) if self.reserved_fen else None


def summary(cache: Cache, by: GroupBy) -> list[SummaryRow]:
    """One row per area code or supervisor, in key order, from the units' current facts."""
    key, name = _GROUPS[by]
    sql = f"""
        SELECT {key} AS key, {name} AS name, COUNT(*) AS units,
            SUM({_FILED}) AS filed,
            SUM({RESERVED_SQL}) AS reserved_fen,
            SUM({COMPLETED_SQL}) AS completed_fen,
            SUM(s.unpaid_count) AS unpaid_count,
            SUM(s.unpaid_fen) AS unpaid_fen,
            SUM({RESERVED_SQL} > 0 AND {COMPLETED_SQL} = 0) AS reserved_not_bought,
            SUM(NOT {_FILED}) AS not_filed
        FROM units u JOIN unit_stats s ON s.code = u.code
        GROUP BY 1 ORDER BY 1
    """
    return [
        SummaryRow(**{**row, "key": row["key"] or "", "name": row["name"] or ""})
        for row in cache.rows(sql)
    ]


def total(rows: list[SummaryRow], name: str = "合计") -> SummaryRow:
    """The sum of summary rows, as one more row."""
    sums = {
        f.name: sum(getattr(row, f.name) for row in rows)
        for f in fields(SummaryRow)
        if f.name not in ("key", "name")
    }
    return SummaryRow(key="", name=name, **sums)
