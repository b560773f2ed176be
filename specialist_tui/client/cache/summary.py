"""The center summary: per area code or per supervisor, the figures provincial reports track."""

from __future__ import annotations

from specialist_tui.client.cache.facts_sql import TRAINED_IN_LIST
from specialist_tui.client.cache.store import Cache
from specialist_tui.client.cache.views import COMPLETED_SQL, RESERVED_SQL
from specialist_tui.client.read_models import GroupBy, SummaryRow

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
            SUM(NOT {_FILED}) AS not_filed,
            SUM({TRAINED_IN_LIST}) AS trained
        FROM units u JOIN unit_stats s ON s.code = u.code
        GROUP BY 1 ORDER BY 1
    """
    return [
        SummaryRow(**{**row, "key": row["key"] or "", "name": row["name"] or ""})
        for row in cache.rows(sql)
    ]
