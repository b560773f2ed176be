"""What the store needs of a database engine; SQLite and PostgreSQL give it (backend_*.py).

SQLite is embedded, for a center; PostgreSQL is for a province or the platform.

The store (``store*.py``) writes its SQL once, in the subset both engines share (``?``
placeholders, ``ON CONFLICT``, row values). What differs lives here, and only here: opening
connections, transactions, the schema version and a few SQL fragments:

- ``upsert_change``: writing a record gives its ``changes`` row a fresh position;
- ``horizon_sql``: the txid below which feed rows may be served (all of them on SQLite, whose
  single writer commits in seq order; below the oldest running transaction on PostgreSQL,
  see docs/hub.md);
- ``after_position``: the rows after a cursor, in the form each engine's index can seek;
- ``for_update``: a row lock that serialises writers of one unit (SQLite's writer lock already
  does);
- the schema version, kept in ``PRAGMA user_version`` on SQLite and in ``meta`` on PostgreSQL.

Why this and not SQLAlchemy: the store's SQL is ~40 short statements and only these fragments
differ; a dialect layer of this size keeps every statement readable next to its reason. The
tables and their migrations are in schema.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol


class BackendError(Exception):
    """The database cannot be opened or used; the message says why (in Chinese)."""


class DatabaseBusy(Exception):
    """The database did not take the request in time (SQLite's writer lock, PostgreSQL's
    pool): the hub answers 503 with Retry-After, and the client tries again later."""


class Rows(Protocol):
    """What a statement gives back: the rows, and how many a write touched."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchmany(self, size: int) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Db(Protocol):
    """One connection, inside a transaction or reading on its own."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def open_backend(target: str | Path) -> Backend:
    """SQLite for a file path, PostgreSQL for a ``postgresql://`` URL."""
    # Imported here: the engines' modules build on this one, and psycopg loads only when asked.
    if is_postgres(target):
        from specialist_tui.hub.backend_postgres import PostgresBackend

        return PostgresBackend(str(target))
    from specialist_tui.hub.backend_sqlite import SqliteBackend

    return SqliteBackend(Path(target))


class Backend:
    """What the store needs from a database engine."""

    name: str
    target: str
    upsert_change: str
    horizon_sql: str  # a query of one value: feed rows at txid below it may be served
    for_update: str
    after_position: str  # the feed rows after a cursor's (txid, seq), as an index seek

    def read(self) -> Any:  # a context manager giving a Db
        raise NotImplementedError

    def write(self) -> Any:  # a context manager giving a Db in one transaction
        raise NotImplementedError

    def migrate(self) -> None:
        raise NotImplementedError

    def check(self, create: bool) -> None:
        """Refuse, before anything is written, a database this hub must not open or make."""
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def copy_in(self, table: str, columns: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
        """Bulk-write rows into an empty table (``hub migrate``)."""
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        with self.write() as db:
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 5_000:
                    db.executemany(sql, batch)
                    batch = []
            if batch:
                db.executemany(sql, batch)

    def after_copy(self) -> None:
        """Bring counters past the copied rows (PostgreSQL's seq)."""


# Columns written by every change upsert, in the order of the store's parameters.
CHANGE_COLUMNS = "kind, key, audience, op, unit_code, center_code, owner, body"


def newer_version(target: str, current: int, supported: int) -> BackendError:
    return BackendError(
        f"{target} 由更新版本的 specialist-tui 写入（结构版本 {current} > {supported}）；"
        "请升级 specialist-tui 后再启动中心"
    )
