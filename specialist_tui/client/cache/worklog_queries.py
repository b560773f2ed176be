"""Read queries behind the work log: calls, the tickets queue, a ticket's timeline, follow-ups.

Every listing says whether each item still waits in the outbox (``pushed`` is false then).
"""

from __future__ import annotations

import json
from datetime import date

from specialist_tui.client.cache.store import Cache, Row

# Items with an outbox row the hub has not accepted yet; SQLite builds this set once per query.
_PENDING = "(SELECT item_id FROM outbox WHERE pushed_at IS NULL)"

_PRIORITY_RANK = (
    "CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END"
)
_ACTIVE = "t.status IN ('open', 'in_progress', 'waiting')"


def calls(cache: Cache, since: date | None = None, unit_code: str | None = None) -> list[Row]:
    """Calls, newest first, optionally from a date on and for one unit."""
    where = ["1"]
    params: list[str] = []
    if since is not None:
        where.append("c.started_at >= ?")
        params.append(since.isoformat())
    if unit_code:
        where.append("c.unit_code = ?")
        params.append(unit_code)
    rows = cache.rows(
        "SELECT c.*, u.name AS unit_name, "
        f"c.id NOT IN {_PENDING} AS pushed "
        "FROM calls c LEFT JOIN units u ON u.code = c.unit_code "
        f"WHERE {' AND '.join(where)} ORDER BY c.started_at DESC, c.id",
        params,
    )
    return [_call_row(r) for r in rows]


def call(cache: Cache, call_id: str) -> Row | None:
    rows = cache.rows(
        f"SELECT c.*, c.id NOT IN {_PENDING} AS pushed FROM calls c WHERE id = ?", [call_id]
    )
    return _call_row(rows[0]) if rows else None


def tickets(
    cache: Cache,
    now_iso: str,
    statuses: list[str] | None = None,
    category: str | None = None,
) -> list[Row]:
    """Tickets in queue order: overdue first, then by due time, then by priority."""
    where = ["1"]
    params: list[str] = [now_iso]
    if statuses:
        where.append(f"t.status IN ({', '.join('?' for _ in statuses)})")
        params.extend(statuses)
    if category:
        where.append("t.category = ?")
        params.append(category)
    rows = cache.rows(
        "SELECT t.*, u.name AS unit_name, "
        f"({_ACTIVE} AND t.due_at IS NOT NULL AND t.due_at < ?) AS overdue, "
        f"t.id NOT IN {_PENDING} AS pushed "
        "FROM tickets t LEFT JOIN units u ON u.code = t.unit_code "
        f"WHERE {' AND '.join(where)} "
        f"ORDER BY overdue DESC, t.due_at IS NULL, t.due_at, {_PRIORITY_RANK}, t.created_at",
        params,
    )
    return [_ticket_row(r) for r in rows]


def ticket(cache: Cache, ticket_id: str) -> Row | None:
    rows = cache.rows(
        "SELECT t.*, u.name AS unit_name, "
        f"t.id NOT IN {_PENDING} AS pushed "
        "FROM tickets t LEFT JOIN units u ON u.code = t.unit_code WHERE t.id = ?",
        [ticket_id],
    )
    return _ticket_row(rows[0]) if rows else None


def ticket_events(cache: Cache, ticket_id: str) -> list[Row]:
    """A ticket's timeline, oldest first."""
    rows = cache.rows(
        f"SELECT e.*, e.id NOT IN {_PENDING} AS pushed FROM ticket_events e "
        "WHERE e.ticket_id = ? ORDER BY e.at, e.rowid",
        [ticket_id],
    )
    for row in rows:
        row["pushed"] = bool(row["pushed"])
    return rows


def follow_ups(cache: Cache, until: date) -> list[Row]:
    """Units with an open promise due on or before ``until``, earliest first.

    The row carries the call that made the earliest open promise (its action and contact, so
    the specialist can dial at once) and how many promises are open.
    """
    rows = cache.rows(
        "SELECT u.code, u.name, u.contacts, s.next_follow_up AS follow_up_on, "
        "s.open_promises, s.last_call_at, c.id AS call_id, c.follow_up_action, "
        "c.contact_name, c.contact_phone, c.outcome, c.notes "
        "FROM unit_stats s JOIN units u ON u.code = s.code "
        "LEFT JOIN calls c ON c.id = s.promise_call_id "
        "WHERE s.next_follow_up IS NOT NULL AND s.next_follow_up <= ? "
        "ORDER BY s.next_follow_up, u.name",
        [until.isoformat()],
    )
    for row in rows:
        row["contacts"] = json.loads(row["contacts"] or "[]")
    return rows


def _call_row(row: Row) -> Row:
    row["topics"] = json.loads(row["topics"] or "[]")
    row["pushed"] = bool(row["pushed"])
    return row


def _ticket_row(row: Row) -> Row:
    row["pushed"] = bool(row["pushed"])
    if "overdue" in row:
        row["overdue"] = bool(row["overdue"])
    return row
