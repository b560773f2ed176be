"""The two databases a hub runs on: SQLite (embedded, a center) and PostgreSQL (a province).

The store (``store.py``) writes its SQL once, in the subset both engines share (``?``
placeholders, ``ON CONFLICT``, row values). What differs lives here, and only here: opening
connections, transactions, the schema and its migrations, and a few SQL fragments:

- ``upsert_change``: writing a record gives its ``changes`` row a fresh position;
- ``horizon``: the txid below which feed rows may be served (all of them on SQLite, whose
  single writer commits in seq order; below the oldest running transaction on PostgreSQL,
  see docs/hub.md);
- ``after_position``: the rows after a cursor, in the form each engine's index can seek;
- ``for_update``: a row lock that serialises writers of one unit (SQLite's writer lock already
  does);
- the schema version, kept in ``PRAGMA user_version`` on SQLite and in ``meta`` on PostgreSQL.

Why this and not SQLAlchemy: the store's SQL is ~40 short statements and only these fragments
differ; a dialect layer of this size keeps every statement readable next to its reason.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from specialist_tui.private_files import private_database, private_folder


class BackendError(Exception):
    """The database cannot be opened or used; the message says why (in Chinese)."""


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
    if is_postgres(target):
        return PostgresBackend(str(target))
    return SqliteBackend(Path(target))


class Backend:
    """What the store needs from a database engine."""

    name: str
    target: str
    upsert_change: str
    horizon_sql: str
    for_update: str
    after_position: str  # the feed rows after a cursor's (txid, seq), as an index seek

    def horizon(self, db: Db) -> int:
        """Feed rows at txid below this may be served (nothing can still commit under it)."""
        if not self.horizon_sql:
            return ALWAYS
        return int(db.execute(self.horizon_sql).fetchone()[0])

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


# SQLite's horizon: its single writer commits in seq order and txid stays 0.
ALWAYS = 1 << 62

# Columns written by every change upsert, in the order of the store's parameters.
_CHANGE_COLUMNS = "kind, key, audience, op, unit_code, center_code, owner, body"


class _SqliteDb:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)


def _script(db: Db, script: str) -> None:
    # executescript would commit the migration's transaction half-way; run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


_FEED_INDEXES = """
    CREATE INDEX idx_changes_owner ON changes (owner, txid, seq);
    CREATE INDEX idx_changes_center ON changes (center_code, txid, seq) WHERE audience = '*';
    CREATE INDEX idx_changes_directory ON changes (center_code, txid, seq)
        WHERE kind IN ('center', 'specialist');
    CREATE INDEX idx_changes_position ON changes (txid, seq);
    CREATE INDEX idx_tickets_unit ON tickets (unit_code);
"""


def _sqlite_v1(db: Db) -> None:
    _script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE centers (code TEXT PRIMARY KEY, name TEXT NOT NULL, area_codes TEXT NOT NULL);
        CREATE TABLE specialists (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            center_code TEXT NOT NULL REFERENCES centers(code),
            role TEXT NOT NULL,
            token_id TEXT UNIQUE,
            token_salt BLOB,
            token_hash BLOB
        );
        CREATE TABLE units (
            code TEXT PRIMARY KEY,
            center_code TEXT NOT NULL REFERENCES centers(code),
            specialist_id TEXT REFERENCES specialists(id),
            area_code TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX idx_units_specialist ON units (specialist_id);
        CREATE INDEX idx_units_area ON units (area_code);
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY, unit_code TEXT NOT NULL, version INTEGER NOT NULL
        );
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
        """,
    )


def _sqlite_v2_feed_position(db: Db) -> None:
    # A position is (txid, seq) on both engines; SQLite's single writer needs no txid, so it
    # stays 0 and the order is seq's. The indexes let a poll read only the caller's scope.
    db.execute("ALTER TABLE changes ADD COLUMN txid INTEGER NOT NULL DEFAULT 0")
    _script(db, _FEED_INDEXES)


# Until when each specialist held a unit they no longer hold: what they logged on it before
# then is history, still accepted after the unit moved (HubStore._may_write). Both engines.
_FORMER_OWNERS = """
    CREATE TABLE former_owners (
        unit_code TEXT NOT NULL,
        specialist_id TEXT NOT NULL,
        until TEXT NOT NULL,
        PRIMARY KEY (unit_code, specialist_id)
    )
"""

Migration = Callable[[Db], None]
# Append only: the n-th entry takes a SQLite hub database from version n-1 to version n.
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


SQLITE_MIGRATIONS: list[Migration] = [
    _sqlite_v1,
    _sqlite_v2_feed_position,
    lambda db: _script(db, _FORMER_OWNERS),
    lambda db: _script(db, _FEED_INDEXES_V4),
    _v5_letter_stamped,
]
SCHEMA_VERSION = len(SQLITE_MIGRATIONS)


def _newer(target: str, current: int) -> BackendError:
    return BackendError(
        f"{target} 由更新版本的 specialist-tui 写入（结构版本 {current} > {SCHEMA_VERSION}）；"
        "请升级 specialist-tui 后再启动中心"
    )


def _sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    """SQLite's English reason, said in Chinese."""
    return "不是 SQLite 数据库" if "not a database" in str(exc) else "无法打开"


class SqliteBackend(Backend):
    """One file; each thread its own connection; BEGIN IMMEDIATE takes the one writer lock."""

    name = "sqlite"
    upsert_change = (
        f"INSERT OR REPLACE INTO changes ({_CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    horizon_sql = ""
    for_update = ""
    # txid is always 0 here, so "after (txid, seq)" is "txid = 0 and seq after": written so,
    # SQLite seeks the index to the cursor (it scans the whole prefix for a row value).
    after_position = "txid = ? AND seq > ?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.target = str(path)
        self._local = threading.local()

    def check(self, create: bool) -> None:
        path = self.path
        if path.is_dir():
            raise BackendError(f"{path} 是一个文件夹，不是中心数据库；--db 要给出数据库文件")
        if not path.exists():
            if not create:
                raise BackendError(
                    f"中心数据库不存在：{path}（新建请运行 specialist-tui hub init --db {path}）"
                )
            private_folder(path.parent)
            return
        # Read-only, so that a client cache or any other database is left exactly as it was.
        try:
            probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master")}
            finally:
                probe.close()
        except sqlite3.DatabaseError:
            raise BackendError(f"{path} 不是中心数据库（不是 SQLite 数据库）") from None
        if tables and "changes" not in tables:
            raise BackendError(f"{path} 不是中心数据库（可能是客户端缓存或别的数据库）")
        if not tables and not create:
            raise BackendError(
                f"{path} 是空文件，不是中心数据库（新建请运行 specialist-tui hub init）"
            )

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                private_database(self.path)  # 0600 before SQLite creates it (and its WAL)
                conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
            except sqlite3.DatabaseError as exc:
                raise BackendError(f"{self.path} 不是中心数据库（{_sqlite_reason(exc)}）") from None
            except OSError as exc:
                raise BackendError(f"{self.path} 无法创建或打开（{exc.strerror or exc}）") from None
            self._local.conn = conn
        return conn

    @contextmanager
    def read(self) -> Iterator[Db]:
        yield _SqliteDb(self._conn())

    @contextmanager
    def write(self) -> Iterator[Db]:
        conn = self._conn()
        if conn.in_transaction:
            yield _SqliteDb(conn)
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield _SqliteDb(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        try:
            current = self.schema_version
        except sqlite3.DatabaseError as exc:
            raise BackendError(f"{self.path} 不是中心数据库（{_sqlite_reason(exc)}）") from None
        if current > SCHEMA_VERSION:
            raise _newer(self.target, current)
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.write() as db:
                SQLITE_MIGRATIONS[version - 1](db)
                db.execute(f"PRAGMA user_version = {version}")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


# PostgreSQL support began at schema version 2: a fresh database gets it at once, and every
# later version appends a migration here as it does for SQLite.
_PG_SCHEMA = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE centers (code TEXT PRIMARY KEY, name TEXT NOT NULL, area_codes TEXT NOT NULL);
    CREATE TABLE specialists (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        center_code TEXT NOT NULL REFERENCES centers(code),
        role TEXT NOT NULL,
        token_id TEXT UNIQUE,
        token_salt BYTEA,
        token_hash BYTEA
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
        seq BIGSERIAL PRIMARY KEY,
        txid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
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
    + _FEED_INDEXES
)
PG_MIGRATIONS: dict[int, Migration] = {
    2: lambda db: _script(db, _PG_SCHEMA),
    3: lambda db: _script(db, _FORMER_OWNERS),
    4: lambda db: _script(db, _FEED_INDEXES_V4),
    5: _v5_letter_stamped,
}
_PG_POOL_SIZE = 10


class _PgDb:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        cursor: Rows = self.conn.execute(_pg_sql(sql), params)
        return cursor

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(_pg_sql(sql), rows)


_PG_SQL: dict[str, str] = {}


def _pg_sql(sql: str) -> str:
    """The store's ``?`` placeholders as psycopg's ``%s`` (its statements hold no literal ?)."""
    text = _PG_SQL.get(sql)
    if text is None:
        text = _PG_SQL[sql] = sql.replace("%", "%%").replace("?", "%s")
    return text


class PostgresBackend(Backend):
    """A connection pool per hub process; all state in the database, so processes may be many."""

    name = "postgresql"
    upsert_change = (
        f"INSERT INTO changes ({_CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (kind, key, audience) DO UPDATE SET op = excluded.op, "
        "unit_code = excluded.unit_code, center_code = excluded.center_code, "
        "owner = excluded.owner, body = excluded.body, "
        "seq = nextval(pg_get_serial_sequence('changes', 'seq')), "
        "txid = pg_current_xact_id()::text::bigint"
    )
    # A row is served only below the oldest transaction still running in this database: it
    # may yet commit rows below positions already read (docs/hub.md, "Why the feed never
    # skips"). Transactions of other databases on the cluster cannot write here and are left
    # out; one that ends between the snapshot and the activity read is only counted in, which
    # holds rows back a moment longer, never lets one through early. An xid8's low 32 bits are
    # the xid pg_stat_activity shows.
    horizon_sql = """
        SELECT COALESCE(MIN(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
        FROM pg_snapshot_xip(pg_current_snapshot()) AS x
        WHERE (x::text::bigint % 4294967296) NOT IN (
            SELECT backend_xid::text::bigint FROM pg_stat_activity
            WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
        )
    """
    for_update = " FOR UPDATE"
    after_position = "(txid, seq) > (?, ?)"

    def __init__(self, url: str) -> None:
        # psycopg only where PostgreSQL is asked for: a center's SQLite hub never loads it.
        import psycopg
        from psycopg_pool import ConnectionPool

        self.target = _safe_url(url)
        self._errors = psycopg.Error
        self._local = threading.local()
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=_PG_POOL_SIZE,
            kwargs={"autocommit": True},
            open=False,
            name="specialist-tui-hub",
        )
        try:
            self._pool.open(wait=True, timeout=15)
        except Exception as exc:
            self._pool.close()
            raise BackendError(f"连接不上 PostgreSQL {self.target}（{exc}）") from None

    @contextmanager
    def read(self) -> Iterator[Db]:
        current: _PgDb | None = getattr(self._local, "db", None)
        if current is not None:
            yield current
            return
        with self._pool.connection() as conn:
            yield _PgDb(conn)

    @contextmanager
    def write(self) -> Iterator[Db]:
        current: _PgDb | None = getattr(self._local, "db", None)
        if current is not None:
            yield current
            return
        with self._pool.connection() as conn, conn.transaction():
            self._local.db = _PgDb(conn)
            try:
                yield self._local.db
            finally:
                self._local.db = None

    @property
    def schema_version(self) -> int:
        with self.read() as db:
            exists = db.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]
            if not exists:
                return 0
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return int(row[0]) if row else 0

    def check(self, create: bool) -> None:
        if not create and self.schema_version == 0:
            raise BackendError(
                f"{self.target} 里还没有中心数据（新建请运行 specialist-tui hub init --db URL）"
            )

    def migrate(self) -> None:
        with self.write() as db:
            # One migrator at a time when several hub processes start together.
            db.execute("SELECT pg_advisory_xact_lock(832001)")
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise _newer(self.target, current)
            first = min(PG_MIGRATIONS)
            for version in range(max(current + 1, first), SCHEMA_VERSION + 1):
                PG_MIGRATIONS[version](db)
            if current < SCHEMA_VERSION:
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [str(SCHEMA_VERSION)],
                )

    def copy_in(self, table: str, columns: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
        with self.write() as db:
            conn = db.conn  # type: ignore[attr-defined]
            with (
                conn.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)

    def after_copy(self) -> None:
        with self.write() as db:
            db.execute(
                "SELECT setval(pg_get_serial_sequence('changes', 'seq'), "
                "COALESCE((SELECT MAX(seq) FROM changes), 0) + 1, false)"
            )

    def close(self) -> None:
        self._pool.close()


def _safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, user = head.partition("//")
    return f"{scheme}//{user.split(':', 1)[0]}:***@{tail}"
