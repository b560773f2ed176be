"""Each unit's ranking figures as of a day, from the same facts the units list holds for a day
(facts_sql at :asof), computed for the day asked without touching unit_stats.

As of day D a record dated after D does not exist yet (see facts_sql): a filing counts as filed
when it was submitted by D, spend is the year's orders completed by D, arrears are the orders
not paid by D, and a unit is trained when a seminar or training (or a reached call about
training) of the year reached it by D.
"""

from __future__ import annotations

from datetime import date

from specialist_tui.client.cache.facts_sql import (
    FACT_COLUMNS,
    day_parameters,
    facts_select_sql,
    trained_sql,
)
from specialist_tui.client.cache.store import Cache
from specialist_tui.domain.ranking import UnitFigures

_FILED = "f.filing_status IN ('submitted', 'confirmed')"

_SELECT = f"""
SELECT u.code, u.name, u.level, u.division_code, COALESCE(u.area_code, '') AS area_code,
    COALESCE(u.supervisor_code, '') AS supervisor_code, u.supervisor_name,
    {_FILED} AS filed,
    CASE WHEN {_FILED} THEN f.canteen_total ELSE 0 END AS canteen_total,
    CASE WHEN {_FILED} THEN f.canteen_reserved ELSE 0 END AS canteen_reserved,
    CASE WHEN {_FILED} THEN f.canteen_reserved + f.union_reserved ELSE 0 END AS reserved,
    f.completed_canteen + f.completed_union + f.completed_staff AS completed,
    f.unpaid_fen AS unpaid,
    {trained_sql("u.code", ":year_text", ":asof")} AS trained
FROM units u JOIN {{facts}} f ON f.code = u.code
ORDER BY u.code
"""
# Computed for the day asked (seconds at 100k units), or read where the list keeps them.
_COMPUTED = f"WITH computed({FACT_COLUMNS}) AS ({facts_select_sql()}) " + _SELECT.format(
    facts="computed"
)
_STORED = _SELECT.format(facts="unit_stats")


def unit_figures(cache: Cache, year: int, day: date, stored: bool = False) -> list[UnitFigures]:
    """Every unit's figures for the policy year as of ``day`` (its end, Beijing time).

    ``stored``: unit_stats holds the facts as of ``day`` already (the list's own day, its
    evaluation current), so they are read rather than computed again.
    """
    params = {"year": year, "year_text": str(year), **day_parameters(day)}
    return [
        UnitFigures(**{**row, "filed": bool(row["filed"]), "trained": bool(row["trained"])})
        for row in cache.rows(_STORED if stored else _COMPUTED, params)
    ]
