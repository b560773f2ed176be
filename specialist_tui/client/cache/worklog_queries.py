"""Read queries behind the work log: calls, the tickets queue, a ticket's timeline, follow-ups.

Every listing says whether each item still waits in the outbox (``pushed`` is false then).
"""

from __future__ import annotations

import json
from datetime import date, datetime

from specialist_tui.client.cache.facts_sql import trained_sql
from specialist_tui.client.cache.records import record
from specialist_tui.client.cache.storage_form import Row
from specialist_tui.client.cache.store import Cache
from specialist_tui.client.read_models import FollowUp, LoggedCall, TicketRow, decode_contacts
from specialist_tui.domain.enums import CallOutcome
from specialist_tui.domain.models import Call, Ticket, TicketEvent

# Items with an outbox row the hub has not accepted yet; SQLite builds this set once per query.
_PENDING = "(SELECT item_id FROM outbox WHERE pushed_at IS NULL)"

_PRIORITY_RANK = (
    "CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END"
)
_ACTIVE = "t.status IN ('open', 'in_progress', 'waiting')"


def calls(
    cache: Cache, since: date | None = None, unit_code: str | None = None
) -> list[LoggedCall]:
    """Calls, newest first, optionally from a date on and for one unit."""
    where, params = _filters(("c.started_at >= ?", since), ("c.unit_code = ?", unit_code))
    rows = cache.rows(
        "SELECT c.*, u.name AS unit_name, "
        f"c.id NOT IN {_PENDING} AS pushed "
        "FROM calls c LEFT JOIN units u ON u.code = c.unit_code "
        f"WHERE {where} ORDER BY c.started_at DESC, c.id",
        params,
    )
    return [LoggedCall(record(Call, r), r["unit_name"], bool(r["pushed"])) for r in rows]


def _filters(*conditions: tuple[str, date | str | None]) -> tuple[str, list[str]]:
    """A WHERE clause of the conditions whose value is given (a date as its ISO day), with
    their parameters in order: the optional "from this day" and "this unit" of the listings."""
    given = [(sql, value) for sql, value in conditions if value]
    clause = " AND ".join(["1", *(sql for sql, _ in given)])
    return clause, [v.isoformat() if isinstance(v, date) else v for _, v in given]


def tickets(
    cache: Cache,
    now_iso: str,
    statuses: list[str] | None = None,
    category: str | None = None,
) -> list[TicketRow]:
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


def ticket(cache: Cache, ticket_id: str) -> TicketRow | None:
    """One ticket (its ``overdue`` is left false: the caller knows the time)."""
    rows = cache.rows(
        "SELECT t.*, u.name AS unit_name, "
        f"t.id NOT IN {_PENDING} AS pushed "
        "FROM tickets t LEFT JOIN units u ON u.code = t.unit_code WHERE t.id = ?",
        [ticket_id],
    )
    return _ticket_row(rows[0]) if rows else None


def ticket_events(cache: Cache, ticket_id: str) -> list[TicketEvent]:
    """A ticket's timeline, oldest first."""
    rows = cache.rows(
        "SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY at, rowid", [ticket_id]
    )
    return [record(TicketEvent, r) for r in rows]


def follow_ups(cache: Cache, until: date) -> list[FollowUp]:
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
    return [
        FollowUp(
            code=row["code"],
            name=row["name"],
            contacts=decode_contacts(row["contacts"]),
            follow_up_on=date.fromisoformat(row["follow_up_on"]),
            follow_up_action=row["follow_up_action"] or "",
            contact_name=row["contact_name"] or "",
            contact_phone=row["contact_phone"],
            outcome=CallOutcome(row["outcome"]) if row["outcome"] else None,
            call_id=row["call_id"],
            open_promises=int(row["open_promises"] or 1),
        )
        for row in rows
    ]


def calls_like(cache: Cache, call_id: str) -> list[Call]:
    """The calls whose id is ``call_id`` or starts with it (a prefix people copy)."""
    rows = cache.rows(
        "SELECT * FROM calls WHERE id = :id OR substr(id, 1, length(:id)) = :id LIMIT 2",
        {"id": call_id.strip().lower()},
    )
    return [record(Call, r) for r in rows]


def promise_state(cache: Cache, call: Call) -> tuple[str | None, str | None]:
    """When the call's promise was marked done, and when a later call settled it (reached or
    resolved), as ISO stamps; (None, None) while it is open."""
    done = cache.rows(
        "SELECT MIN(at) AS at FROM follow_ups_done WHERE call_id = ?", [str(call.id)]
    )[0]["at"]
    settled = cache.rows(
        "SELECT MIN(started_at) AS at FROM calls WHERE unit_code = ? AND started_at > ? "
        "AND outcome IN ('reached', 'resolved')",
        [call.unit_code, call.started_at.isoformat()],
    )[0]["at"]
    return done, settled


def promise_call_id(cache: Cache, unit_code: str) -> str | None:
    """The call of the unit's earliest open promise (as the unit's facts hold it)."""
    rows = cache.rows("SELECT promise_call_id FROM unit_stats WHERE code = ?", [unit_code])
    return rows[0]["promise_call_id"] if rows else None


def _ticket_row(row: Row) -> TicketRow:
    return TicketRow(
        record(Ticket, row),
        row["unit_name"],
        bool(row.get("overdue")),
        bool(row["pushed"]),
    )


def events(cache: Cache, since: date | None = None, unit_code: str | None = None) -> list[Row]:
    """Seminars, trainings and visits, newest first: one row per event with the units it
    reached here (this cache holds only this specialist's units' parts) and their people."""
    where, params = _filters(
        ("e.starts_at >= ?", since),
        ("e.event_id IN (SELECT event_id FROM event_attendance WHERE unit_code = ?)", unit_code),
    )
    rows = cache.rows(
        "SELECT e.event_id AS id, e.kind, e.starts_at, e.ends_at, e.place, e.online_link, "
        "e.topic, e.specialists, e.notes, e.follow_up, e.author, COUNT(*) AS units, "
        "SUM(e.people) AS people, MIN(e.id NOT IN " + _PENDING + ") AS pushed, "
        "json_group_array(e.unit_code) AS unit_codes "
        f"FROM event_attendance e WHERE {where} "
        "GROUP BY e.event_id ORDER BY e.starts_at DESC, e.event_id",
        params,
    )
    for row in rows:
        row["specialists"] = json.loads(row["specialists"] or "[]")
        row["unit_codes"] = sorted(json.loads(row["unit_codes"]))
        row["pushed"] = bool(row["pushed"])
    return rows


def units_under(cache: Cache, supervisor: str) -> list[str]:
    """The codes of the units whose supervisor has this name or credit code, and its own."""
    rows = cache.rows(
        "SELECT code FROM units WHERE supervisor_name = :s OR supervisor_code = :s "
        "OR name = :s OR code = :s ORDER BY code",
        {"s": supervisor.strip()},
    )
    return [r["code"] for r in rows]


def untrained(cache: Cache, year: int, day: date) -> list[Row]:
    """Units no seminar or training of ``year`` reached by ``day`` (nor a reached call about
    training), by name: whom to invite next."""
    trained = trained_sql("u.code", ":year_text", ":asof")
    return cache.rows(
        "SELECT u.code, u.name, u.supervisor_name AS supervisor, u.area_code FROM units u "
        f"WHERE NOT {trained} ORDER BY u.name_pinyin, u.code",
        {"year_text": str(year), "asof": day.isoformat()},
    )


def last_letter_mark_at(cache: Cache, unit_code: str, year: int) -> datetime | None:
    """When the unit's no-canteen letter was last marked for the year (None: never)."""
    rows = cache.rows(
        "SELECT MAX(at) AS at FROM letter_marks WHERE unit_code = ? AND year = ?", [unit_code, year]
    )
    value = rows[0]["at"] if rows else None
    return datetime.fromisoformat(value) if value else None
