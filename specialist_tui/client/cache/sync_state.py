"""The cache's side of sync: applying pulled pages, the items to push, and ticket conflicts.

Kept beside ``store.py`` (not in it) so sync's SQL reads as one piece. Every function takes the
open Cache and runs inside its lock and transactions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from specialist_tui.client.cache import latest_facts
from specialist_tui.client.cache.storage_form import Row, chunks, now_iso
from specialist_tui.client.cache.store import Cache
from specialist_tui.domain.policy import Policy

CURSOR_KEY = "sync_cursor"
# Set while pulled pages wait for a full facts refresh (a first sync refreshes once, at the end).
STALE_KEY = "sync_facts_stale"
LAST_SYNC_KEY = "last_sync_at"
IDENTITY_KEY = "hub_identity"

_KEYS = {"units": "code", "centers": "code"}


@dataclass
class Page:
    """One pulled page, as storage rows grouped by table, ready to write.

    Rows are in storage form (``storage_form.storage_rows``: JSON text, units' search keys), so that
    form can be computed away from the writing thread, even in another process.
    """

    upserts: dict[str, list[Row]] = field(default_factory=dict)
    deletes: list[tuple[str, str]] = field(default_factory=list)  # (table, key)
    cursor: str = ""
    # Why each change the page held that this client could not take was left out.
    skipped: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(rows) for rows in self.upserts.values()) + len(self.deletes)


def apply_page(cache: Cache, page: Page, policy: Policy, today: date, *, bulk: bool) -> list[str]:
    """Write a page and its cursor in one transaction; returns the units it touched.

    Local items still waiting to be pushed (and tickets in conflict) are not overwritten: the
    hub's copy of a ticket we changed becomes or refreshes a conflict instead. ``bulk`` leaves
    the facts refresh to ``finish_pull`` (a first sync refreshes everything once).
    """
    with cache.transaction():
        held = _held_items(cache)
        touched: set[str] = set()
        for table, rows in page.upserts.items():
            keep = rows
            if table in ("calls", "tickets"):
                keep = [r for r in rows if str(r["id"]) not in held]
                if table == "tickets":
                    _refresh_conflicts(cache, [r for r in rows if str(r["id"]) in held])
            written = cache.write_rows(table, keep)
            touched.update(cache.units_of(table, written))
        for table, key in page.deletes:
            touched.update(_delete(cache, table, key, held))
        cache.set_meta(CURSOR_KEY, page.cursor)
        codes = sorted(touched)
        if bulk:
            cache.set_meta(STALE_KEY, "1")
        else:
            cache.refresh_units(codes, policy, today)
    return codes


def finish_pull(cache: Cache, policy: Policy, today: date) -> bool:
    """After a bulk pull, refresh every unit's facts and flags once; True when it did."""
    if cache.get_meta(STALE_KEY) != "1":
        return False
    with cache.transaction():
        cache.refresh_facts(policy.year, cache.facts_as_of())
        cache.evaluate(policy, today)
        cache.db.execute("DELETE FROM meta WHERE key = ?", [STALE_KEY])
    return True


def stamp_sync(cache: Cache) -> None:
    cache.set_meta(LAST_SYNC_KEY, now_iso())


def _held_items(cache: Cache) -> set[str]:
    rows = cache.db.execute(
        "SELECT item_id FROM outbox WHERE pushed_at IS NULL "
        "UNION SELECT ticket_id FROM ticket_conflicts"
    ).fetchall()
    return {str(r[0]) for r in rows}


def _refresh_conflicts(cache: Cache, hub_tickets: Iterable[Row]) -> None:
    """A held ticket changed on the hub again: keep the newest hub copy beside ours."""
    for row in hub_tickets:
        ticket_id = str(row["id"])
        if base_version(cache, ticket_id) == row["version"]:
            continue  # the hub has exactly the version our edit started from: nothing to choose
        _save_conflict(cache, ticket_id, row)


def base_version(cache: Cache, ticket_id: str) -> int | None:
    """The hub version our pending edits of a ticket started from (outbox payload, else local)."""
    pending = cache.rows(
        "SELECT payload FROM outbox WHERE pushed_at IS NULL AND kind = 'ticket' AND item_id = ? "
        "ORDER BY seq LIMIT 1",
        [ticket_id],
    )
    if pending:
        value = json.loads(pending[0]["payload"] or "{}").get("base_version")
        if value is not None:
            return int(value)
    local = cache.rows("SELECT version FROM tickets WHERE id = ?", [ticket_id])
    return int(local[0]["version"]) if local else None


def _delete(cache: Cache, table: str, key: str, held: set[str]) -> set[str]:
    """Delete a record; a unit goes with all its data except local items not yet pushed."""
    db = cache.db
    if table == "units":
        keep = list(held) or [""]
        marks = ", ".join("?" for _ in keep)
        db.execute(
            "DELETE FROM ticket_events WHERE ticket_id IN "
            f"(SELECT id FROM tickets WHERE unit_code = ?) AND id NOT IN ({marks})",
            [key, *keep],
        )
        for child in ("tickets", "calls", "event_attendance", "letter_marks", "follow_ups_done"):
            db.execute(
                f"DELETE FROM {child} WHERE unit_code = ? AND id NOT IN ({marks})", [key, *keep]
            )
        for child in ("orders", "filings"):
            db.execute(f"DELETE FROM {child} WHERE unit_code = ?", [key])
        db.execute("DELETE FROM unit_stats WHERE code = ?", [key])
        db.execute("DELETE FROM units WHERE code = ?", [key])
        latest_facts.forget(cache)
        return set()
    if table == "filings":
        unit_code, _, year = key.rpartition(":")
        db.execute("DELETE FROM filings WHERE unit_code = ? AND year = ?", [unit_code, int(year)])
        return {unit_code}
    if key in held:
        return set()
    pk = _KEYS.get(table) or "id"
    unit_col = "ticket_id" if table == "ticket_events" else "unit_code"
    row = None
    if table not in ("centers", "specialists"):
        row = db.execute(f"SELECT {unit_col} FROM {table} WHERE {pk} = ?", [key]).fetchone()
    db.execute(f"DELETE FROM {table} WHERE {pk} = ?", [key])
    if row is None:
        return set()
    if table == "ticket_events":
        return cache.units_of(table, [{"ticket_id": row[0]}])
    return {str(row[0])}


# -- push ----------------------------------------------------------------------------------


def outbox_after(cache: Cache, after_seq: int, limit: int) -> list[Row]:
    """Up to ``limit`` pending outbox rows after ``after_seq``, oldest first."""
    return cache.rows(
        "SELECT * FROM outbox WHERE pushed_at IS NULL AND seq > ? ORDER BY seq LIMIT ?",
        [after_seq, limit],
    )


def local_items(cache: Cache, table: str, ids: Sequence[str]) -> dict[str, Row]:
    """The local calls, tickets, ticket events or event parts with these ids, JSON decoded."""
    found: dict[str, Row] = {}
    for chunk in chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        for row in cache.rows(f"SELECT * FROM {table} WHERE id IN ({marks})", chunk):
            if table == "calls":
                row["topics"] = json.loads(row["topics"] or "[]")
            if table == "event_attendance":
                row["specialists"] = json.loads(row["specialists"] or "[]")
            found[str(row["id"])] = row
    return found


def whole_events(cache: Cache, part_ids: Sequence[str]) -> tuple[dict[str, Row], list[Row]]:
    """Every local part of the events these parts belong to (JSON decoded, by id), and the
    pending outbox rows of all those parts: an event goes to the hub whole, since the hub
    drops the parts a push leaves out, even when its parts span several push batches."""
    events = sorted(
        {str(p["event_id"]) for p in local_items(cache, "event_attendance", part_ids).values()}
    )
    parts: dict[str, Row] = {}
    for chunk in chunks(events):
        marks = ", ".join("?" for _ in chunk)
        rows = cache.rows(f"SELECT id FROM event_attendance WHERE event_id IN ({marks})", chunk)
        parts.update(local_items(cache, "event_attendance", [str(r["id"]) for r in rows]))
    pending: list[Row] = []
    for chunk in chunks(list(parts)):
        marks = ", ".join("?" for _ in chunk)
        pending += cache.rows(
            "SELECT seq, kind, item_id FROM outbox WHERE pushed_at IS NULL AND kind = 'event' "
            f"AND item_id IN ({marks})",
            chunk,
        )
    return parts, pending


def ticket_accepted(cache: Cache, ticket_id: str, version: int, sent_seqs: Sequence[int]) -> None:
    """The hub stored our ticket as ``version``: adopt it, and base later local edits on it."""
    with cache.transaction():
        cache.db.execute("UPDATE tickets SET version = ? WHERE id = ?", [version, ticket_id])
        _rebase(cache, ticket_id, version, exclude=sent_seqs)


def _rebase(cache: Cache, ticket_id: str, version: int, exclude: Sequence[int] = ()) -> None:
    rows = cache.db.execute(
        "SELECT seq, payload FROM outbox WHERE pushed_at IS NULL AND kind = 'ticket' "
        "AND item_id = ?",
        [ticket_id],
    ).fetchall()
    for seq, payload in rows:
        if seq in exclude:
            continue
        data = json.loads(payload or "{}")
        data["base_version"] = version
        cache.db.execute("UPDATE outbox SET payload = ? WHERE seq = ?", [json.dumps(data), seq])


# -- conflicts -----------------------------------------------------------------------------


def save_conflict(cache: Cache, ticket_id: str, hub_ticket: Mapping[str, Any]) -> None:
    with cache.transaction():
        _save_conflict(cache, ticket_id, hub_ticket)


def _save_conflict(cache: Cache, ticket_id: str, hub_ticket: Mapping[str, Any]) -> None:
    cache.db.execute(
        "INSERT OR REPLACE INTO ticket_conflicts (ticket_id, hub_ticket, hub_version, "
        "detected_at) VALUES (?, ?, ?, ?)",
        [
            ticket_id,
            json.dumps(dict(hub_ticket), ensure_ascii=False),
            int(hub_ticket["version"]),
            now_iso(),
        ],
    )


def conflicts(cache: Cache) -> list[Row]:
    """Open conflicts: our ticket row and the hub's, side by side."""
    rows = cache.rows(
        "SELECT c.ticket_id, c.hub_ticket, c.hub_version, c.detected_at FROM ticket_conflicts c "
        "ORDER BY c.detected_at"
    )
    for row in rows:
        row["hub_ticket"] = json.loads(row["hub_ticket"])
        local = cache.rows("SELECT * FROM tickets WHERE id = ?", [row["ticket_id"]])
        row["local_ticket"] = local[0] if local else None
    return rows


def conflicted_ids(cache: Cache) -> set[str]:
    return {str(r["ticket_id"]) for r in cache.rows("SELECT ticket_id FROM ticket_conflicts")}


def keep_mine(cache: Cache, ticket_id: str) -> None:
    """Resolve a conflict with our version: push it again, based on the hub's version."""
    with cache.transaction():
        row = cache.db.execute(
            "SELECT hub_version FROM ticket_conflicts WHERE ticket_id = ?", [ticket_id]
        ).fetchone()
        if row is None:
            return
        _rebase(cache, ticket_id, int(row[0]))
        cache.db.execute("DELETE FROM ticket_conflicts WHERE ticket_id = ?", [ticket_id])


def take_theirs(cache: Cache, ticket_id: str, policy: Policy, today: date) -> None:
    """Resolve a conflict with the hub's version: it replaces ours, our edit is dropped."""
    with cache.transaction():
        row = cache.db.execute(
            "SELECT hub_ticket FROM ticket_conflicts WHERE ticket_id = ?", [ticket_id]
        ).fetchone()
        if row is None:
            return
        hub_ticket = json.loads(row[0])
        hub_ticket.pop("events", None)
        cache.upsert("tickets", [hub_ticket], policy, today)
        now = now_iso()
        cache.db.execute(
            "UPDATE outbox SET pushed_at = ?, last_error = 'superseded by the hub' "
            "WHERE pushed_at IS NULL AND kind = 'ticket' AND item_id = ?",
            [now, ticket_id],
        )
        cache.db.execute("DELETE FROM ticket_conflicts WHERE ticket_id = ?", [ticket_id])
