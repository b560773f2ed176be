"""Each unit's ranking figures as of a day, read from the cache's records (not unit_stats,
which holds today's facts only).

As of day D, a record dated after D does not exist yet: a filing counts as filed when it was
submitted by D (and is not returned now), spend is the orders completed in the year by D, arrears
are the year's orders placed by D and not paid by D, and a unit is trained when it attended a
seminar or training this year by D (or, one on one, had a reached call about training).
Spend is the year's spend as the rules count it (domain/rules/purchasing.py): orders completed
within the year, so an order of December completed in January counts for January's year, and
one completed after 31 December never counts for its own.
"""

from __future__ import annotations

from datetime import date, timedelta

from specialist_tui.client.cache.store import Cache
from specialist_tui.domain.enums import EventKind
from specialist_tui.domain.ranking import UnitFigures

TRAINING_KINDS = ", ".join(f"'{k.value}'" for k in EventKind if k.trains)

_SQL = f"""
WITH f AS (
    SELECT unit_code,
        status IN ('submitted', 'confirmed') AND submitted_at < :next AS filed,
        canteen_total, canteen_reserved, union_reserved
    FROM filings WHERE year = :year
), o AS (
    SELECT unit_code,
        SUM(CASE WHEN status = 'completed' AND COALESCE(completed_at, placed_at) >= :year_start
                AND COALESCE(completed_at, placed_at) < :spend_end
            THEN amount ELSE 0 END) AS completed,
        SUM(CASE WHEN year = :year AND placed_at < :next AND (status = 'pending_payment'
                OR (status NOT IN ('cancelled', 'refunded') AND paid_at >= :next))
            THEN amount ELSE 0 END) AS unpaid
    FROM orders WHERE year IN (:year - 1, :year) GROUP BY unit_code
), t AS (
    SELECT unit_code FROM calls
    WHERE started_at >= :year_start AND started_at < :next
        AND outcome IN ('reached', 'resolved') AND topics LIKE '%"training"%'
    UNION
    SELECT unit_code FROM event_attendance
    WHERE starts_at >= :year_start AND starts_at < :next AND kind IN ({TRAINING_KINDS})
)
SELECT u.code, u.name, u.level, u.division_code, COALESCE(u.area_code, '') AS area_code,
    COALESCE(u.supervisor_code, '') AS supervisor_code, u.supervisor_name,
    COALESCE(f.filed, 0) AS filed,
    CASE WHEN f.filed THEN f.canteen_total ELSE 0 END AS canteen_total,
    CASE WHEN f.filed THEN f.canteen_reserved ELSE 0 END AS canteen_reserved,
    CASE WHEN f.filed THEN f.canteen_reserved + f.union_reserved ELSE 0 END AS reserved,
    COALESCE(o.completed, 0) AS completed, COALESCE(o.unpaid, 0) AS unpaid,
    t.unit_code IS NOT NULL AS trained
FROM units u
LEFT JOIN f ON f.unit_code = u.code
LEFT JOIN o ON o.unit_code = u.code
LEFT JOIN t ON t.unit_code = u.code
ORDER BY u.code
"""


def unit_figures(cache: Cache, year: int, day: date) -> list[UnitFigures]:
    """Every unit's figures for the policy year as of ``day`` (end of that day, Beijing time)."""
    # Times are stored as ISO text at +08:00, so "before the next midnight" compares as text.
    params = {
        "year": year,
        "next": f"{day + timedelta(days=1)}T00:00:00+08:00",
        "year_start": f"{date(year, 1, 1)}T00:00:00+08:00",
        "spend_end": f"{min(day + timedelta(days=1), date(year + 1, 1, 1))}T00:00:00+08:00",
    }
    return [
        UnitFigures(**{**row, "filed": bool(row["filed"]), "trained": bool(row["trained"])})
        for row in cache.rows(_SQL, params)
    ]
