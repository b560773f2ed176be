"""The calls the units list shows beside its rows: the last call of a unit, who was called today.

Both read the calls index (unit_code, started_at) or (started_at), so they stay fast on
screens of 100,000 units: only the codes on screen are asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from specialist_tui.client.cache.storage_form import Row, chunks
from specialist_tui.client.cache.store import Cache


def last_calls(cache: Cache, codes: Sequence[str]) -> dict[str, Row]:
    """The latest call of each of these units (units never called are left out)."""
    found: dict[str, Row] = {}
    for chunk in chunks(list(dict.fromkeys(codes))):
        marks = ", ".join("?" for _ in chunk)
        # SQLite takes the bare columns from the row holding MAX(started_at).
        rows = cache.rows(
            "SELECT unit_code, MAX(started_at) AS started_at, outcome, notes, contact_name, "
            f"author FROM calls WHERE unit_code IN ({marks}) GROUP BY unit_code",
            chunk,
        )
        found.update((row["unit_code"], row) for row in rows)
    return found


def called_on(cache: Cache, day: date) -> set[str]:
    """The units with a call started on this day (Beijing time, as calls are stored)."""
    start = day.isoformat()
    rows = cache.rows(
        "SELECT DISTINCT unit_code FROM calls WHERE started_at >= ? AND started_at < ?",
        [start, f"{start}T99"],  # every moment of the day sorts between the two
    )
    return {row["unit_code"] for row in rows}
