"""The hub on SQLite: one file, a connection per thread, BEGIN IMMEDIATE for the one writer."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
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
from specialist_tui.hub.schema import SCHEMA_VERSION, SQLITE_MIGRATIONS
from specialist_tui.private_files import private_database, private_folder

# Seconds a write waits for SQLite's one writer lock before the request is answered 503.
BUSY_TIMEOUT = 30.0


class _SqliteDb:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)


def _sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    """SQLite's English reason, said in Chinese."""
    return "不是 SQLite 数据库" if "not a database" in str(exc) else "无法打开"


class SqliteBackend(Backend):
    """One file; each thread its own connection; BEGIN IMMEDIATE takes the one writer lock."""

    name = "sqlite"
    upsert_change = (
        f"INSERT OR REPLACE INTO changes ({CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    # Every row: the single writer commits in seq order and txid stays 0.
    horizon_sql = "SELECT 4611686018427387904"
    for_update = ""
    # txid is always 0 here, so "after (txid, seq)" is "txid = 0 and seq after": written so,
    # SQLite seeks the index to the cursor (it scans the whole prefix for a row value).
    after_position = "txid = ? AND seq > ?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.target = str(path)
        self._local = threading.local()
        # Every connection any thread opened, so that close() ends them all at once rather
        # than when each thread's locals are collected (a late WAL checkpoint would follow).
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self._generation = 0  # bumped by close(): a thread's older connection is closed

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
        if conn is None or self._local.generation != self._generation:
            try:
                private_database(self.path)  # 0600 before SQLite creates it (and its WAL)
                # Only the opening thread uses a connection; close() may end it from another.
                conn = sqlite3.connect(
                    str(self.path),
                    timeout=BUSY_TIMEOUT,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
            except sqlite3.DatabaseError as exc:
                raise BackendError(f"{self.path} 不是中心数据库（{_sqlite_reason(exc)}）") from None
            except OSError as exc:
                raise BackendError(f"{self.path} 无法创建或打开（{exc.strerror or exc}）") from None
            with self._opened_lock:
                self._opened.append(conn)
                self._local.conn, self._local.generation = conn, self._generation
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
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction or "locked" not in str(exc):
                raise
            raise DatabaseBusy(str(exc)) from None  # the writer lock stayed taken all along
        try:
            yield _SqliteDb(conn)
            conn.execute("COMMIT")
        except BaseException:
            # Also when COMMIT itself failed: a transaction left open would hold the writer
            # lock for ever and every later write would time out.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        try:
            current = self.schema_version
        except sqlite3.DatabaseError as exc:
            raise BackendError(f"{self.path} 不是中心数据库（{_sqlite_reason(exc)}）") from None
        if current > SCHEMA_VERSION:
            raise newer_version(self.target, current, SCHEMA_VERSION)
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.write() as db:
                SQLITE_MIGRATIONS[version - 1](db)
                db.execute(f"PRAGMA user_version = {version}")

    def close(self) -> None:
        """Close every thread's connection (a thread that reads again opens a new one)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
            self._generation += 1
        for conn in opened:
            conn.close()
