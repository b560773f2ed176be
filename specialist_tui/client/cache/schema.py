"""The cache's tables and their forward migrations, versioned by SQLite's user_version.

Over 400 lines on purpose: migrations are history, applied in list order, and each must keep
the exact tables it made when it shipped; one file keeps that order readable top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1_initial(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.table("centers").create({"code": str, "name": str, "area_codes": str}, pk="code")
    db.table("specialists").create(
        {"id": str, "name": str, "phone": str, "center_code": str, "role": str}, pk="id"
    )
    db.table("units").create(
        {
            "code": str,
            "name": str,
            "supervisor_code": str,
            "supervisor_name": str,
            "level": str,
            "division_code": str,
            "area_code": str,
            "specialist_id": str,
            "contacts": str,  # JSON list of {name, role, phone}
            "staff_count": int,
            "name_pinyin": str,
            "name_initials": str,
            "supervisor_pinyin": str,
            "supervisor_initials": str,
            "search": str,
        },
        pk="code",
        not_null={"name", "level", "division_code"},
        defaults={"supervisor_name": "", "area_code": "", "staff_count": 0, "contacts": "[]"},
    )
    db.table("filings").create(
        {
            "unit_code": str,
            "year": int,
            "status": str,
            "canteen_mode": str,
            "union_mode": str,
            "submitted_at": str,
            "confirmed_at": str,
            "canteen_total": int,
            "canteen_reserved": int,
            "contractor": str,
            "contract_clause": int,
            "executor": str,
            "executor_account_opened": int,
            "representative_code": str,
            "no_canteen_letter": str,
            "union_total": int,
            "union_reserved": int,
            "decline_explained": int,
            "decline_explanation": str,
        },
        pk=("unit_code", "year"),
    )
    db.table("orders").create(
        {
            "id": str,
            "unit_code": str,
            "year": int,
            "placed_at": str,
            "amount": int,
            "part": str,
            "area_code": str,
            "status": str,
            "paid_at": str,
            "received_at": str,
            "completed_at": str,
        },
        pk="id",
    )
    db.table("calls").create(
        {
            "id": str,
            "unit_code": str,
            "contact_name": str,
            "contact_phone": str,
            "direction": str,
            "started_at": str,
            "ended_at": str,
            "duration_s": int,
            "topics": str,  # JSON list of topic codes
            "outcome": str,
            "notes": str,
            "follow_up_on": str,
            "follow_up_action": str,
            "author": str,
        },
        pk="id",
    )
    db.table("tickets").create(
        {
            "id": str,
            "unit_code": str,
            "order_id": str,
            "category": str,
            "priority": str,
            "status": str,
            "subject": str,
            "description": str,
            "created_at": str,
            "updated_at": str,
            "due_at": str,
            "author": str,
            "version": int,
        },
        pk="id",
    )
    db.table("ticket_events").create(
        {
            "id": str,
            "ticket_id": str,
            "at": str,
            "author": str,
            "kind": str,
            "from_status": str,
            "to_status": str,
            "comment": str,
        },
        pk="id",
    )
    # Per-unit figures for the policy year. The first block depends only on the data and is
    # refreshed when a unit's data changes; the verdict block depends on the date as well.
    db.table("unit_stats").create(
        {
            "code": str,
            "year": int,
            "filing_status": str,
            "canteen_mode": str,
            "union_mode": str,
            "canteen_total": int,
            "canteen_reserved": int,
            "contract_clause": int,
            "executor": str,
            "executor_account_opened": int,
            "representative_code": str,
            "representative_status": str,
            "no_canteen_letter": str,
            "union_total": int,
            "union_reserved": int,
            "decline_explained": int,
            "prev_canteen_total": int,
            "prev_canteen_reserved": int,
            "prev_union_reserved": int,
            "completed_canteen": int,
            "completed_union": int,
            "completed_staff": int,
            "union_staff_spend": int,
            "unpaid_count": int,
            "unpaid_fen": int,
            "unpaid_oldest_on": str,
            "stray_area_count": int,
            "open_count": int,
            "open_fen": int,
            "order_count": int,
            "last_call_at": str,
            "next_follow_up": str,
            "ticket_due_on": str,
            "active_tickets": int,
            # verdict as of evaluated_on
            "flags": str,  # JSON list of {rule, severity, label, reason}
            "flag_mask": int,
            "score": int,
            "due_on": str,
        },
        pk="code",
        defaults={"flags": "[]", "flag_mask": 0, "score": 0},
    )
    db.table("filings").create_index(["representative_code"])
    db.table("orders").create_index(["unit_code", "year"])
    db.table("calls").create_index(["unit_code", "started_at"])
    db.table("calls").create_index(["started_at"])
    db.table("tickets").create_index(["unit_code"])
    db.table("tickets").create_index(["status", "due_at"])
    db.table("ticket_events").create_index(["ticket_id", "at"])
    db.table("units").create_index(["name"])
    db.table("units").create_index(["supervisor_code"])
    db.table("units").create_index(["specialist_id"])
    db.table("unit_stats").create_index(["score"])
    db.table("unit_stats").create_index(["next_follow_up"])
    db.table("unit_stats").create_index(["filing_status"])


def _v2_outbox(db: sqlite_utils.Database) -> None:
    # Local calls, tickets and ticket events wait here until the hub has accepted them.
    # The row is written in the same transaction as the item, before the UI says "saved".
    db.execute(
        """
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('call', 'ticket', 'ticket_event')),
            item_id TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            pushed_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_outbox_pending ON outbox (pushed_at, seq)")


def _v3_ticket_conflicts(db: sqlite_utils.Database) -> None:
    # A ticket changed both here and on the hub: the hub's version waits here, beside ours in
    # tickets, until the specialist keeps one. Nothing is overwritten silently.
    db.execute(
        """
        CREATE TABLE ticket_conflicts (
            ticket_id TEXT PRIMARY KEY,
            hub_ticket TEXT NOT NULL,
            hub_version INTEGER NOT NULL,
            detected_at TEXT NOT NULL
        )
        """
    )


def _v4_events(db: sqlite_utils.Database) -> None:
    # Seminars, trainings and visits, one row per attending unit (the hub's feed sends each
    # specialist only their units' parts); the outbox learns the new kind, which SQLite can
    # only do by copying the table.
    db.execute(
        """
        CREATE TABLE event_attendance (
            id TEXT PRIMARY KEY,
            event_id TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            kind TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT,
            place TEXT NOT NULL DEFAULT '',
            online_link TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL,
            specialists TEXT NOT NULL DEFAULT '[]',
            people INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '',
            follow_up TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX idx_event_attendance_unit ON event_attendance (unit_code, starts_at)")
    db.execute("CREATE INDEX idx_event_attendance_event ON event_attendance (event_id)")
    db.execute(
        """
        CREATE TABLE outbox_v4 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('call', 'ticket', 'ticket_event', 'event')),
            item_id TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            pushed_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )
        """
    )
    db.execute("INSERT INTO outbox_v4 SELECT * FROM outbox")
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_v4 RENAME TO outbox")
    db.execute("CREATE INDEX idx_outbox_pending ON outbox (pushed_at, seq)")


# The columns that date a record: a record is known from its stamp's day on (due dates and
# promised days are not stamps: they point ahead).
STAMPS: dict[str, tuple[str, ...]] = {
    "filings": ("submitted_at", "confirmed_at"),
    "orders": ("placed_at", "paid_at", "received_at", "completed_at"),
    "calls": ("started_at",),
    "tickets": ("created_at", "updated_at"),
    "ticket_events": ("at",),
    "letter_marks": ("at",),
    "follow_ups_done": ("at",),
}

# The stamped tables as version 5 knew them: a migration must not depend on later tables.
_V5_STAMPS = {
    table: columns
    for table, columns in STAMPS.items()
    if table not in ("letter_marks", "follow_ups_done")
}


def _v5_facts_as_of(db: sqlite_utils.Database) -> None:
    # unit_stats is derived data: rebuilt for facts known as of a day (submission and
    # confirmation days, open promises, the union's own spend, missing vs wrong area codes).
    db.execute("DROP TABLE unit_stats")
    db.execute("DELETE FROM meta WHERE key IN ('facts_year', 'evaluated_on', 'policy_id')")
    days = " UNION ALL ".join(
        f"SELECT MAX(substr({column}, 1, 10)) AS day FROM {table}"
        for table, columns in _V5_STAMPS.items()
        for column in columns
    )
    db.execute(
        f"INSERT INTO meta (key, value) SELECT 'data_until', MAX(day) FROM ({days}) "
        "HAVING MAX(day) IS NOT NULL"
    )
    db.table("unit_stats").create(
        {
            "code": str,
            "year": int,
            "filing_status": str,
            "submitted_on": str,
            "confirmed_on": str,
            "canteen_mode": str,
            "union_mode": str,
            "canteen_total": int,
            "canteen_reserved": int,
            "contract_clause": int,
            "executor": str,
            "executor_account_opened": int,
            "representative_code": str,
            "representative_status": str,
            "no_canteen_letter": str,
            "union_total": int,
            "union_reserved": int,
            "decline_explained": int,
            "prev_canteen_total": int,
            "prev_canteen_reserved": int,
            "prev_union_total": int,
            "prev_union_reserved": int,
            "completed_canteen": int,
            "completed_union": int,
            "completed_staff": int,
            "union_spend": int,
            "unpaid_count": int,
            "unpaid_fen": int,
            "unpaid_oldest_on": str,
            "area_missing_count": int,
            "area_wrong_count": int,
            "open_count": int,
            "open_fen": int,
            "order_count": int,
            "last_call_at": str,
            "next_follow_up": str,
            "open_promises": int,
            "promise_call_id": str,
            "ticket_due_on": str,
            "active_tickets": int,
            # verdict as of evaluated_on; flag_mask also holds the lateness bits
            "flags": str,  # JSON list of {rule, severity, label, reason}
            "flag_mask": int,
            "score": int,
            "due_on": str,
        },
        pk="code",
        defaults={"flags": "[]", "flag_mask": 0, "score": 0},
    )
    for columns in (["score"], ["next_follow_up"], ["filing_status"]):
        db.table("unit_stats").create_index(columns)


def _v6_letter_marks(db: sqlite_utils.Database) -> None:
    # The specialist's marks of a no-canteen letter (sent, stamped, verified, rejected), each
    # with the platform status it was made against; the outbox learns the new kind (a copy:
    # SQLite cannot change a CHECK). The platform's former "submitted" is "stamped" now.
    db.execute(
        """
        CREATE TABLE letter_marks (
            id TEXT PRIMARY KEY,
            unit_code TEXT NOT NULL,
            year INTEGER NOT NULL,
            state TEXT NOT NULL,
            seen TEXT NOT NULL DEFAULT 'missing',
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX idx_letter_marks_unit ON letter_marks (unit_code, year, at)")
    db.execute(
        """
        CREATE TABLE outbox_v6 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL
                CHECK (kind IN ('call', 'ticket', 'ticket_event', 'event', 'letter_mark')),
            item_id TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            pushed_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )
        """
    )
    db.execute("INSERT INTO outbox_v6 SELECT * FROM outbox")
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_v6 RENAME TO outbox")
    db.execute("CREATE INDEX idx_outbox_pending ON outbox (pushed_at, seq)")
    db.execute(
        "UPDATE filings SET no_canteen_letter = 'stamped' WHERE no_canteen_letter = 'submitted'"
    )
    # Derived data: new facts (the latest mark, canteen orders of a no-canteen unit) and a new
    # rule's bit; forgetting the facts' year makes the next open compute them all again.
    for column in ("letter_mark", "letter_mark_seen", "letter_marked_on", "canteen_orders"):
        db.execute(f"ALTER TABLE unit_stats ADD COLUMN {column} TEXT")
    db.execute("DELETE FROM meta WHERE key IN ('facts_year', 'evaluated_on', 'policy_id')")


def _v7_follow_ups_done(db: sqlite_utils.Database) -> None:
    # A call's promise the specialist marked done; its own record, synced like a call, so the
    # call stays as logged and a day before the mark still sees the promise open. The outbox
    # learns the new kind (a copy, as in v4 and v6).
    db.execute(
        """
        CREATE TABLE follow_ups_done (
            id TEXT PRIMARY KEY,
            call_id TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            at TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX idx_follow_ups_done_call ON follow_ups_done (call_id, at)")
    db.execute(
        """
        CREATE TABLE outbox_v7 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('call', 'ticket', 'ticket_event', 'event',
                                               'letter_mark', 'follow_up_done')),
            item_id TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            pushed_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )
        """
    )
    db.execute("INSERT INTO outbox_v7 SELECT * FROM outbox")
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_v7 RENAME TO outbox")
    db.execute("CREATE INDEX idx_outbox_pending ON outbox (pushed_at, seq)")


Migration = Callable[[sqlite_utils.Database], None]

# Append only: the n-th entry takes a cache from version n-1 to version n.
MIGRATIONS: list[Migration] = [
    _v1_initial,
    _v2_outbox,
    _v3_ticket_conflicts,
    _v4_events,
    _v5_facts_as_of,
    _v6_letter_marks,
    _v7_follow_ups_done,
]
SCHEMA_VERSION = len(MIGRATIONS)
