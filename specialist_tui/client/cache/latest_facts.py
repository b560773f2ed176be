"""Today's facts and flags, kept aside while the list looks back at an earlier day.

Why: facts known from every record cost the facts SQL over every order (the slowest step of
evaluating 100k units); a look back replaces them in unit_stats with the facts as known on the
day. Copying unit_stats aside before the look back makes coming back a copy back, followed by
the rules alone when the day moved meanwhile. Any write that changes a unit's facts makes the
copy stale, so the cache's write paths forget it (``forget``) and coming back computes again.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from specialist_tui.client.cache.store import Cache

TABLE = "unit_stats_latest"
# Meta key: JSON [facts year, policy id, day evaluated] of the copy; absent or "" when none.
KEY = "latest_facts_saved"


def keep(cache: Cache) -> None:
    """Copy the latest facts and their flags aside (unit_stats must hold them now)."""
    with cache.transaction():
        cache.db.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cache.db.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM unit_stats")
        state = [cache.get_meta(k) for k in ("facts_year", "policy_id", "evaluated_on")]
        cache.set_meta(KEY, json.dumps(state))


def bring_back(cache: Cache, year: int) -> bool:
    """Put the copy back in unit_stats, with the meta that says what it is; False (and
    nothing changed) when there is no copy for this year's facts."""
    with cache.transaction():
        saved = cache.get_meta(KEY)
        if not saved:
            return False
        facts_year, policy_id, evaluated_on = json.loads(saved)
        if facts_year != str(year) or _columns(cache, TABLE) != _columns(cache, "unit_stats"):
            return False  # another year's facts, or a migration changed unit_stats since
        cache.db.execute("DELETE FROM unit_stats")
        cache.db.execute(f"INSERT INTO unit_stats SELECT * FROM {TABLE}")
        cache.set_meta("facts_asof", "")
        cache.set_meta("policy_id", policy_id or "")
        cache.set_meta("evaluated_on", evaluated_on or "")
        return True


def forget(cache: Cache) -> None:
    """Drop the copy: a write changed what the latest facts are."""
    if cache.get_meta(KEY):
        cache.db.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cache.set_meta(KEY, "")


def _columns(cache: Cache, table: str) -> list[str]:
    return [str(row[1]) for row in cache.db.execute(f"PRAGMA table_info([{table}])")]
