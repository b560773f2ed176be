"""Read queries for one unit's screen and the app's header: everything about a single unit."""

from __future__ import annotations

import json
from datetime import date

from specialist_tui.client.cache.records import record
from specialist_tui.client.cache.storage_form import Row
from specialist_tui.client.cache.store import Cache, filter_sql
from specialist_tui.client.read_models import SpecialistInfo, UnitMatch
from specialist_tui.domain.models import Call, EventAttendance, Filing, Order, Ticket, Unit


def unit(cache: Cache, code: str) -> Unit | None:
    row = cache.unit(code)
    return None if row is None else record(Unit, row)


def filings(cache: Cache, code: str, years: tuple[int, ...]) -> dict[int, Filing]:
    """The unit's filings of these years, by year."""
    marks = ", ".join("?" for _ in years)
    rows = cache.rows(
        f"SELECT * FROM filings WHERE unit_code = ? AND year IN ({marks})", [code, *years]
    )
    return {int(r["year"]): record(Filing, r) for r in rows}


def orders(cache: Cache, code: str, year: int, limit: int = 60) -> list[Order]:
    """The unit's orders of the year: unpaid first (oldest first), then the newest."""
    rows = cache.rows(
        "SELECT * FROM orders WHERE unit_code = ? AND year = ? "
        "ORDER BY status != 'pending_payment', "
        "CASE WHEN status = 'pending_payment' THEN placed_at END, placed_at DESC LIMIT ?",
        [code, year, limit],
    )
    return [record(Order, r) for r in rows]


def order_count(cache: Cache, code: str, year: int) -> int:
    rows = cache.rows(
        "SELECT COUNT(*) AS n FROM orders WHERE unit_code = ? AND year = ?", [code, year]
    )
    return int(rows[0]["n"])


def monthly_completed(cache: Cache, code: str, year: int) -> tuple[int, ...]:
    """Completed spend (fen) per month of the year, by the month the order was placed."""
    rows = cache.rows(
        "SELECT CAST(substr(placed_at, 6, 2) AS INTEGER) AS month, SUM(amount) AS fen "
        "FROM orders WHERE unit_code = ? AND year = ? AND status = 'completed' "
        "GROUP BY month",
        [code, year],
    )
    months = [0] * 12
    for row in rows:
        if 1 <= row["month"] <= 12:
            months[row["month"] - 1] = int(row["fen"])
    return tuple(months)


def calls(cache: Cache, code: str, limit: int = 100) -> list[Call]:
    rows = cache.rows(
        "SELECT * FROM calls WHERE unit_code = ? ORDER BY started_at DESC LIMIT ?", [code, limit]
    )
    return [record(Call, r) for r in rows]


def tickets(cache: Cache, code: str) -> list[Ticket]:
    """The unit's tickets: active ones first, then by due time and creation."""
    rows = cache.rows(
        "SELECT * FROM tickets WHERE unit_code = ? "
        "ORDER BY status IN ('resolved', 'closed'), due_at IS NULL, due_at, created_at DESC",
        [code],
    )
    return [record(Ticket, r) for r in rows]


def specialist(cache: Cache, specialist_id: str) -> SpecialistInfo | None:
    """A specialist with the name of their center."""
    rows = cache.rows(
        "SELECT s.id, s.name, c.name AS center_name "
        "FROM specialists s LEFT JOIN centers c ON c.code = s.center_code WHERE s.id = ?",
        [specialist_id],
    )
    if not rows:
        return None
    row = rows[0]
    return SpecialistInfo(row["id"], row["name"] or "", row["center_name"] or "")


def find_units(cache: Cache, text: str, limit: int = 20) -> list[UnitMatch]:
    """Units whose name, code, supervisor, area or pinyin contain every word of ``text``."""
    where, params = filter_sql("1", text)
    rows = cache.rows(
        f"SELECT u.code, u.name, u.supervisor_name FROM units u WHERE {where} "
        "ORDER BY length(u.name), u.name_pinyin LIMIT ?",
        [*params, limit],
    )
    return [UnitMatch(r["code"], r["name"], r["supervisor_name"] or "") for r in rows]


def events(cache: Cache, code: str, limit: int = 100) -> list[EventAttendance]:
    """The seminars, trainings and visits the unit took part in, newest first."""
    rows = cache.rows(
        "SELECT * FROM event_attendance WHERE unit_code = ? ORDER BY starts_at DESC LIMIT ?",
        [code, limit],
    )
    return [_part(r) for r in rows]


def event_parts(cache: Cache, event_id: str) -> list[EventAttendance]:
    """The parts of one event this cache holds (its units' parts only)."""
    rows = cache.rows("SELECT * FROM event_attendance WHERE event_id = ?", [event_id])
    return [_part(r) for r in rows]


def all_event_parts(cache: Cache, since: date | None = None) -> list[tuple[EventAttendance, str]]:
    """Every event part (with its unit's name) from ``since`` on, by time, event, unit name."""
    rows = cache.rows(
        "SELECT e.*, COALESCE(u.name, '') AS unit_name FROM event_attendance e "
        "LEFT JOIN units u ON u.code = e.unit_code WHERE e.starts_at >= ? "
        "ORDER BY e.starts_at, e.event_id, u.name_pinyin, e.unit_code",
        [since.isoformat() if since else ""],
    )
    return [(_part(r), r["unit_name"]) for r in rows]


def _part(row: Row) -> EventAttendance:
    data = {k: v for k, v in row.items() if k != "unit_name"}
    return EventAttendance.model_validate(
        {**data, "specialists": json.loads(row["specialists"] or "[]")}
    )


def center_contacts(cache: Cache, specialist_id: str) -> tuple[str, list[Row]]:
    """The name of a specialist's center and its specialists (the lead first) with phones."""
    rows = cache.rows(
        "SELECT o.name, o.phone, o.role, c.name AS center_name FROM specialists s "
        "JOIN specialists o ON o.center_code = s.center_code "
        "LEFT JOIN centers c ON c.code = s.center_code "
        "WHERE s.id = ? ORDER BY o.role != 'lead', o.id",
        [specialist_id],
    )
    return (rows[0]["center_name"] or "" if rows else ""), rows


def letter_codes(cache: Cache) -> set[str]:
    """The units that send a no-canteen letter: provincial level, canteen mode none (the
    predicate of domain.letters.needs_no_canteen_letter, in SQL)."""
    rows = cache.rows(
        "SELECT s.code FROM unit_stats s JOIN units u ON u.code = s.code "
        "WHERE u.level = 'provincial' AND s.canteen_mode = 'none'"
    )
    return {str(r["code"]) for r in rows}
