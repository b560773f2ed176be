"""The hub on PostgreSQL: a connection pool per process, all state in the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from specialist_tui.hub.backend import (
    CHANGE_COLUMNS,
    Backend,
    BackendError,
    DatabaseBusy,
    Db,
    Rows,
    newer_version,
)
from specialist_tui.hub.schema import PG_MIGRATIONS, SCHEMA_VERSION

_PG_POOL_SIZE = 10
# Every statement of the hub is a short index read or write, so a prepared statement's one
# generic plan is right for every value. Left to choose, PostgreSQL kept planning the poll
# anew for each call at 300,000 units (its estimate for the generic plan was worse): 0.47 ms
# of server CPU per poll against 0.12 ms with the generic plan (docs/hub.md, "What a poll
# costs"). psycopg prepares a statement from its fifth call on a connection.
_SESSION_OPTIONS = "-c plan_cache_mode=force_generic_plan"
# Seconds a request waits for a pooled connection before it is answered 503 (Retry-After).
_POOL_WAIT = 10.0


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
        f"INSERT INTO changes ({CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
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
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.target = _safe_url(url)
        self._errors = psycopg.Error
        self._pool_timeout = PoolTimeout
        self._local = threading.local()
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=_PG_POOL_SIZE,
            kwargs={"autocommit": True, "options": _SESSION_OPTIONS},
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
        with self._connection() as conn:
            yield _PgDb(conn)

    @contextmanager
    def write(self) -> Iterator[Db]:
        current: _PgDb | None = getattr(self._local, "db", None)
        if current is not None:
            yield current
            return
        with self._connection() as conn, conn.transaction():
            self._local.db = _PgDb(conn)
            try:
                yield self._local.db
            finally:
                self._local.db = None

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        """A pooled connection; DatabaseBusy when none frees up within _POOL_WAIT seconds."""
        try:
            with self._pool.connection(timeout=_POOL_WAIT) as conn:
                yield conn
        except self._pool_timeout:
            raise DatabaseBusy("no database connection free") from None

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
                raise newer_version(self.target, current, SCHEMA_VERSION)
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
