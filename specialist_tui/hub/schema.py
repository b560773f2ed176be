"""The hub's tables and their migrations, on both engines.

The migrations are history: the n-th SQLite migration takes a hub database from version n-1
to n, and must keep doing exactly that for a database made by an old version. PostgreSQL
support began at version 2, so a fresh PostgreSQL database gets version 2's tables at once
(``_TABLES`` with PostgreSQL's types and the txid column) and every later version appends one
migration for both engines.
"""

from __future__ import annotations

from collections.abc import Callable

from specialist_tui.hub.backend import Db

Migration = Callable[[Db], None]


def script(db: Db, text: str) -> None:
    # executescript would commit the migration's transaction half-way; run statement by statement.
    for statement in text.split(";"):
        if statement.strip():
            db.execute(statement)


# The tables of version 1 (SQLite) and version 2 (PostgreSQL's first): the same tables, with
# each engine's binary type and feed position columns filled in.
_TABLES = """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE centers (code TEXT PRIMARY KEY, name TEXT NOT NULL, area_codes TEXT NOT NULL);
    CREATE TABLE specialists (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        center_code TEXT NOT NULL REFERENCES centers(code),
        role TEXT NOT NULL,
        token_id TEXT UNIQUE,
        token_salt {binary},
        token_hash {binary}
    );
    CREATE TABLE units (
        code TEXT PRIMARY KEY,
        center_code TEXT NOT NULL REFERENCES centers(code),
        specialist_id TEXT REFERENCES specialists(id),
        area_code TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX idx_units_specialist ON units (specialist_id);
    CREATE INDEX idx_units_area ON units (area_code);
    CREATE TABLE tickets (id TEXT PRIMARY KEY, unit_code TEXT NOT NULL, version INTEGER NOT NULL);
    CREATE TABLE changes (
        {position}
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        audience TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        unit_code TEXT,
        center_code TEXT NOT NULL,
        owner TEXT,
        body TEXT
    );
    CREATE UNIQUE INDEX idx_changes_record ON changes (kind, key, audience);
    CREATE INDEX idx_changes_unit ON changes (unit_code);
"""

_FEED_INDEXES = """
    CREATE INDEX idx_changes_owner ON changes (owner, txid, seq);
    CREATE INDEX idx_changes_center ON changes (center_code, txid, seq) WHERE audience = '*';
    CREATE INDEX idx_changes_directory ON changes (center_code, txid, seq)
        WHERE kind IN ('center', 'specialist');
    CREATE INDEX idx_changes_position ON changes (txid, seq);
    CREATE INDEX idx_tickets_unit ON tickets (unit_code);
"""


def _sqlite_v1(db: Db) -> None:
    script(
        db,
        _TABLES.format(binary="BLOB", position="seq INTEGER PRIMARY KEY AUTOINCREMENT,"),
    )


def _sqlite_v2_feed_position(db: Db) -> None:
    # A position is (txid, seq) on both engines; SQLite's single writer needs no txid, so it
    # stays 0 and the order is seq's. The indexes let a poll read only the caller's scope.
    db.execute("ALTER TABLE changes ADD COLUMN txid INTEGER NOT NULL DEFAULT 0")
    script(db, _FEED_INDEXES)


_PG_V2 = (
    _TABLES.format(
        binary="BYTEA",
        position="seq BIGSERIAL PRIMARY KEY,\n"
        "        txid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),",
    )
    + _FEED_INDEXES
)

# Until when each specialist held a unit they no longer hold: what they logged on it before
# then is history, still accepted after the unit moved (Push._may_write). Both engines.
_FORMER_OWNERS = """
    CREATE TABLE former_owners (
        unit_code TEXT NOT NULL,
        specialist_id TEXT NOT NULL,
        until TEXT NOT NULL,
        PRIMARY KEY (unit_code, specialist_id)
    )
"""

# Version 4: no feed index may serve two callers' scopes. With a plain (txid, seq) index the
# planner, on fresh statistics after a bulk import, read a specialist's poll along it and
# filtered by owner: a cost in everyone's changes. Each index now leads with its scope's
# equality columns (a lead's center, a province reader's audience).
_FEED_INDEXES_V4 = """
    DROP INDEX idx_changes_position;
    DROP INDEX idx_changes_center;
    CREATE INDEX idx_changes_center ON changes (center_code, audience, txid, seq);
    CREATE INDEX idx_changes_everyone ON changes (audience, txid, seq);
"""


def _v5_letter_stamped(db: Db) -> None:
    """Both engines: the platform's former letter status "submitted" is "stamped" now.

    Rewritten in place, at the same feed positions: clients rewrite their own copies when
    they migrate, and the enum still reads the old word from anyone who has not.
    """
    db.execute(
        'UPDATE changes SET body = replace(body, \'"no_canteen_letter":"submitted"\', '
        "'\"no_canteen_letter\":\"stamped\"') WHERE kind = 'filing'"
    )


# Append only: the n-th entry takes a SQLite hub database from version n-1 to version n.
SQLITE_MIGRATIONS: list[Migration] = [
    _sqlite_v1,
    _sqlite_v2_feed_position,
    lambda db: script(db, _FORMER_OWNERS),
    lambda db: script(db, _FEED_INDEXES_V4),
    _v5_letter_stamped,
]
SCHEMA_VERSION = len(SQLITE_MIGRATIONS)

# Version → the migration to it on PostgreSQL (from 2, its first).
PG_MIGRATIONS: dict[int, Migration] = {
    2: lambda db: script(db, _PG_V2),
    3: lambda db: script(db, _FORMER_OWNERS),
    4: lambda db: script(db, _FEED_INDEXES_V4),
    5: _v5_letter_stamped,
}
