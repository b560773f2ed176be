"""The local SQLite cache: the only place on the client that speaks SQL.

Writes go through methods that keep each unit's row of unit_stats current in the same
transaction, so the list views never scan orders. Bulk paths use one-transaction executemany.

About 540 lines: the Cache class is the connection and its lock, and every write must refresh
facts and flags under that same lock and transaction, so writes, the outbox and the evaluation
stay in one class. Row forms live in storage_form.py and stats_rows.py; the detail, worklog and
sync-state queries in modules of their own.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from pydantic import BaseModel

from specialist_tui.client.cache import facts_sql, latest_facts
from specialist_tui.client.cache.records import unit_row
from specialist_tui.client.cache.schema import MIGRATIONS, SCHEMA_VERSION, STAMPS
from specialist_tui.client.cache.stats_rows import VerdictUpdate, facts_from_row, verdict_updates
from specialist_tui.client.cache.storage_form import (
    Row,
    chunks,
    now_iso,
    parameters,
    storage_row,
    storage_rows,
)
from specialist_tui.client.cache.views import VIEWS, order_by, view
from specialist_tui.client.read_models import Evaluation, UnitRow
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules import RULE_BITS
from specialist_tui.domain.search import normalise_query
from specialist_tui.private_files import private_database

CACHE_FILE = "specialist.sqlite"
# Meta key: the latest day a record in the cache is dated. Facts for a day on or after it are
# the facts of every record, so only a look further back computes them again.
DATA_UNTIL_KEY = "data_until"

# Told (units done, units in all) while every unit's facts are computed for another day.
Progress = Callable[[int, int], None]

# Units per statement when every unit's facts are computed again with progress shown.
FACTS_SLICE = 10_000


# What the rules read of the units in temp._scope, their stored verdict last.
_READ_SCOPE = (
    f"SELECT {facts_sql.EVALUATE_COLUMNS} FROM unit_stats s "
    "JOIN units u ON u.code = s.code WHERE s.code IN (SELECT code FROM temp._scope)"
)


class CacheError(Exception):
    """A cache the app cannot use (newer schema, not a database); the message says what to do."""


class Cache:
    """One SQLite file. Safe to share between threads: every use takes the connection's lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            private_database(path)
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        except (OSError, sqlite3.OperationalError):
            raise CacheError(
                f"无法打开缓存 {path}（文件夹不可写？）；请换一个 --cache-dir"
            ) from None
        self.db = sqlite_utils.Database(conn)
        self.lock = threading.RLock()
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            # FULL: a saved call survives a power cut, not only a crash; ~0.5 ms per save.
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA temp_store=MEMORY")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            detail = "不是 SQLite 数据库" if "not a database" in str(exc) else "无法打开"
            raise CacheError(
                f"{path} 不是可用的缓存数据库（{detail}）；请移走该文件后重试"
            ) from None
        self._columns = {
            name: [c.name for c in self.db[name].columns] for name in self.db.table_names()
        }

    @classmethod
    def open(cls, directory: Path) -> Cache:
        return cls(directory / CACHE_FILE)

    @classmethod
    def background(cls, path: Path) -> Cache:
        """A second connection for long reads off the UI thread.

        Its big sorts (a whole view of 100k units) spill to a temporary file instead of
        memory: ~15 MB less at the process's peak, and the UI never waits for them.
        """
        cache = cls(path)
        cache.db.execute("PRAGMA temp_store = FILE")
        return cache

    def close(self) -> None:
        # Under the lock: closing while another thread is inside a query crashes the process
        # (the app quitting while a background list query still runs).
        with self.lock:
            self.db.close()

    # -- schema -------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        row = self.db.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise CacheError(
                f"{self.path} 由更新版本的 specialist-tui 写入（结构版本 {current} > "
                f"{SCHEMA_VERSION}）；请升级 specialist-tui"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.db.atomic():
                MIGRATIONS[version - 1](self.db)
                self.db.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; nested uses become savepoints."""
        with self.lock, self.db.atomic():
            yield

    # -- meta ---------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- writes -------------------------------------------------------------------------

    def write_rows(self, table: str, rows: Iterable[Row | BaseModel]) -> list[Row]:
        """Upsert rows (storage dicts or models) into a table in one executemany; returns them."""
        prepared = storage_rows(table, rows)
        if not prepared:
            return prepared
        columns = self._columns[table]
        sql = (
            f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        latest = latest_stamp(table, prepared)
        with self.transaction():
            self.db.conn.executemany(sql, parameters(prepared, columns))
            if latest and latest > (self.get_meta(DATA_UNTIL_KEY) or ""):
                self.set_meta(DATA_UNTIL_KEY, latest)
        return prepared

    def data_until(self) -> date | None:
        """The latest day any record in the cache is dated (None: no dated record yet)."""
        value = self.get_meta(DATA_UNTIL_KEY)
        return date.fromisoformat(value) if value else None

    def load(
        self, tables: Mapping[str, Sequence[Row | BaseModel]], policy: Policy, today: date
    ) -> None:
        """Bulk-write whole tables (demo, first sync), then refresh and evaluate everything."""
        with self.transaction():
            for table, rows in tables.items():
                self.write_rows(table, rows)
            self.refresh_facts(policy.year, self.facts_as_of())
            self.evaluate(policy, today)
            self.set_meta("refreshed_at", now_iso())

    def clear(self) -> None:
        """Empty every data table (a demo replaces the cache), keeping the schema.

        Refuses while the outbox holds work the hub has not accepted: that would lose it.
        """
        with self.transaction():
            if self.outbox_count():
                raise CacheError(
                    f"缓存中有 {self.outbox_count()} 条通话/工单尚未同步到中心；"
                    "请先同步，或换一个 --cache-dir"
                )
            for table in self.db.table_names():
                self.db.execute(f"DELETE FROM [{table}]")

    def upsert(
        self, table: str, rows: Sequence[Row | BaseModel], policy: Policy, today: date
    ) -> list[str]:
        """Write rows of any table and bring the touched units' facts and flags up to date."""
        with self.transaction():
            written = self.write_rows(table, rows)
            codes = sorted(self.units_of(table, written))
            self.refresh_units(codes, policy, today)
        return codes

    def units_of(self, table: str, rows: Iterable[Row]) -> set[str]:
        """The units these stored rows belong to (a ticket event's through its ticket)."""
        if table == "units":
            return {str(row["code"]) for row in rows}
        if table in ("centers", "specialists"):
            return set()
        if table == "ticket_events":
            found: set[str] = set()
            ticket_ids = [str(row["ticket_id"]) for row in rows]
            for chunk in chunks(ticket_ids):
                marks = ", ".join("?" for _ in chunk)
                found.update(
                    r[0]
                    for r in self.db.execute(
                        f"SELECT DISTINCT unit_code FROM tickets WHERE id IN ({marks})", chunk
                    )
                )
            return found
        return {str(row["unit_code"]) for row in rows if row.get("unit_code")}

    # -- local work and the outbox --------------------------------------------------------

    def save_local(
        self,
        kind: str,
        table: str,
        rows: Sequence[Row | BaseModel],
        policy: Policy,
        today: date,
        payload: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Write the user's own items and queue them for the hub, atomically and durably."""
        now = now_iso()
        with self.transaction():
            written = self.upsert(table, rows, policy, today)
            pk = "code" if table == "units" else "id"
            ids = [str(storage_row(table, row)[pk]) for row in rows]
            self.db.conn.executemany(
                "INSERT INTO outbox (kind, item_id, payload, created_at) VALUES (?, ?, ?, ?)",
                [(kind, item, json.dumps(payload or {}, ensure_ascii=False), now) for item in ids],
            )
        return written

    def delete_local(self, table: str, ids: Sequence[str], policy: Policy, today: date) -> None:
        """Delete the user's own items (and their outbox rows not yet pushed), then bring
        their units' facts and flags up to date, atomically."""
        if not ids:
            return
        with self.transaction():
            codes: set[str] = set()
            for chunk in chunks(ids):
                marks = ", ".join("?" for _ in chunk)
                codes.update(
                    str(r[0])
                    for r in self.db.execute(
                        f"SELECT unit_code FROM {table} WHERE id IN ({marks})", chunk
                    )
                )
                self.db.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)
                self.db.execute(
                    f"DELETE FROM outbox WHERE pushed_at IS NULL AND item_id IN ({marks})", chunk
                )
            self.refresh_units(sorted(codes), policy, today)

    def outbox_count(self) -> int:
        with self.lock:
            row = self.db.execute("SELECT COUNT(*) FROM outbox WHERE pushed_at IS NULL").fetchone()
        return int(row[0])

    def outbox_done(self, seqs: Sequence[int], pushed_at: str) -> None:
        with self.transaction():
            self.db.conn.executemany(
                "UPDATE outbox SET pushed_at = ? WHERE seq = ?", [(pushed_at, s) for s in seqs]
            )

    def outbox_failed(self, seqs: Sequence[int], error: str) -> None:
        with self.transaction():
            self.db.conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
                [(error, s) for s in seqs],
            )

    # -- facts and flags ------------------------------------------------------------------

    def refresh_units(self, codes: Sequence[str], policy: Policy, today: date) -> None:
        """Recompute facts and flags of these units and of the shared-canteen groups they lead."""
        if not codes:
            return
        with self.transaction():
            latest_facts.forget(self)
            self._fill_scope(codes)
            # A representative's filing decides R5 for every unit that names it.
            self.db.execute(
                "INSERT OR IGNORE INTO temp._scope SELECT unit_code FROM filings "
                "WHERE year = ? AND representative_code IN (SELECT code FROM temp._scope)",
                [policy.year],
            )
            asof = self.facts_as_of()
            sql = facts_sql.refresh_facts_sql(scoped=True, latest=asof is None)
            self.db.execute(sql, facts_sql.parameters(policy.year, asof))
            self._evaluate_scope(policy, today)

    def facts_as_of(self) -> date | None:
        """The day the stored facts are known as of; None: every record (the usual case)."""
        value = self.get_meta("facts_asof")
        return date.fromisoformat(value) if value else None

    def refresh_facts(
        self, year: int, asof: date | None = None, progress: Progress | None = None
    ) -> None:
        """Recompute every unit's facts as known on ``asof`` (None: every record), in slices
        of units so that ``progress`` can tell how far it is."""
        parameters = facts_sql.parameters(year, asof)
        with self.transaction():
            latest_facts.forget(self)
            self.db.execute("DELETE FROM unit_stats")
            codes = [row[0] for row in self.db.execute("SELECT code FROM units ORDER BY code")]
            if progress is None:
                sql = facts_sql.refresh_facts_sql(scoped=False, latest=asof is None)
                self.db.execute(sql, parameters)
            else:
                sql = facts_sql.refresh_facts_sql(scoped=True, latest=asof is None)
                for start in range(0, len(codes), FACTS_SLICE):
                    self._fill_scope(codes[start : start + FACTS_SLICE])
                    self.db.execute(sql, parameters)
                    progress(min(len(codes), start + FACTS_SLICE), len(codes))
            self.set_meta("facts_year", str(year))
            self.set_meta("facts_asof", asof.isoformat() if asof else "")

    def evaluate(self, policy: Policy, today: date, progress: Progress | None = None) -> Evaluation:
        """Re-run the rules for every unit as of ``today`` and remember that date."""
        started = datetime.now()
        with self.transaction():
            units, changed = self._judge(policy, today, progress)
            self._mark_judged(policy, today)
        return _finished(units, changed, started, progress)

    def ensure_current(
        self,
        policy: Policy,
        today: date,
        asof: date | None = None,
        progress: Progress | None = None,
    ) -> Evaluation | None:
        """Make facts (known as of ``asof``, None: every record) and flags match this policy
        and date; None when they already did. ``progress`` counts the units judged."""
        if self.is_current(policy, today, asof):
            return None
        same_year = self.get_meta("facts_year") == str(policy.year)
        if same_year and self.facts_as_of() == asof:
            return self.evaluate(policy, today, progress)
        started = datetime.now()
        if asof is None and latest_facts.bring_back(self, policy.year):
            # Back from a look back: the latest facts as they were, judged again only if
            # the day or the policy moved meanwhile.
            if not self.is_current(policy, today):
                return self.evaluate(policy, today, progress)
            units = self.count("unit_stats")  # every row was replaced
            return _finished(units, units, started, progress)
        if asof is not None and same_year and self.facts_as_of() is None:
            latest_facts.keep(self)  # coming back is then a copy, not the facts SQL again
        return self.recompute(policy, today, asof, progress)

    def recompute(
        self,
        policy: Policy,
        today: date,
        asof: date | None = None,
        progress: Progress | None = None,
    ) -> Evaluation:
        """Every unit's facts as known on ``asof`` and its flags on ``today``, slice by slice."""
        started = datetime.now()
        with self.transaction():
            self.db.execute("DELETE FROM unit_stats")
            units, changed = self._judge(policy, today, progress, asof, refresh=True)
            self.set_meta("facts_year", str(policy.year))
            self.set_meta("facts_asof", asof.isoformat() if asof else "")
            self._mark_judged(policy, today)
        return _finished(units, changed, started, progress)

    def _mark_judged(self, policy: Policy, today: date) -> None:
        """Remember the policy and day the flags now stand for (``is_current`` reads them)."""
        self.set_meta("evaluated_on", today.isoformat())
        self.set_meta("policy_id", policy.id)

    def _judge(
        self,
        policy: Policy,
        today: date,
        progress: Progress | None,
        asof: date | None = None,
        *,
        refresh: bool = False,
    ) -> tuple[int, int]:
        """The rules over every unit (after its facts as of ``asof`` when ``refresh``), in
        slices of units; returns (units judged, verdicts changed).

        With ``refresh``, the rules for one slice run in a second thread while SQLite computes
        the next slice's facts: sqlite3 lets go of the GIL for the whole of that one long
        statement, so on two cores the two overlap. Reading rows and writing verdicts wait
        until the rules are done instead: executemany and fetchall let go of the GIL and take
        it back for every row, and each take-back behind a busy thread waits for Python's
        switch interval, which made the writes several times slower than the rules they
        overlapped. An exception from ``progress`` (a newer day chosen meanwhile) leaves the
        caller's transaction to roll everything back.
        """
        parameters = facts_sql.parameters(policy.year, asof)
        facts = facts_sql.refresh_facts_sql(scoped=True, latest=asof is None)
        codes = [row[0] for row in self.db.execute("SELECT code FROM units ORDER BY code")]
        slices = [codes[start : start + FACTS_SLICE] for start in range(0, len(codes), FACTS_SLICE)]
        units = changed = 0

        rows: list[Any] = []
        if slices:
            self._fill_scope(slices[0])
            if refresh:
                self.db.execute(facts, parameters)
            rows = self.db.execute(_READ_SCOPE).fetchall()
        if progress is not None:
            progress(0, len(codes))
        with ThreadPoolExecutor(1, "rules") as rules:
            for index in range(len(slices)):
                following = index + 1 < len(slices)
                if following:
                    self._fill_scope(slices[index + 1])  # this slice's rows are read already
                judged = rules.submit(verdict_updates, rows, policy, today)
                if following and refresh:
                    self.db.execute(facts, parameters)  # beside this slice's rules
                done, updates = judged.result()
                if following:
                    rows = self.db.execute(_READ_SCOPE).fetchall()
                units += done
                changed += len(updates)
                self._write_verdicts(updates)
                if progress is not None:
                    progress(units, len(codes))
        return units, changed

    def _fill_scope(self, codes: Sequence[str]) -> None:
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS _scope (code TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM temp._scope")
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO temp._scope (code) VALUES (?)", [(c,) for c in codes]
        )

    def _evaluate_scope(self, policy: Policy, today: date) -> None:
        """The rules over the units in temp._scope (a write touched them)."""
        rows = self.db.execute(_READ_SCOPE).fetchall()
        self._write_verdicts(verdict_updates(rows, policy, today)[1])

    def _write_verdicts(self, updates: list[VerdictUpdate]) -> None:
        self.db.conn.executemany(
            "UPDATE unit_stats SET flags = ?, flag_mask = ?, score = ?, due_on = ? WHERE code = ?",
            updates,
        )

    # -- reads --------------------------------------------------------------------------

    def view_codes(
        self,
        view_name: str,
        text: str = "",
        sort: str | None = None,
        limit: int | None = None,
        rule: str | None = None,
    ) -> list[str]:
        """The codes of a view's units matching ``text`` (and flagged by ``rule``), sorted.

        The rule is a condition of the query, not a filter after it, so ``limit`` counts only
        the units it keeps.
        """
        chosen = view(view_name)
        where, params = filter_sql(chosen.where, text)
        if rule is not None:
            where += f" AND (s.flag_mask & {RULE_BITS[rule]}) != 0"
        # A whole list reads every unit anyway: scanning units first (CROSS JOIN fixes the
        # order) halves the time against walking the score index. A first page (LIMIT) is
        # best left to the planner, which can then read it in index order.
        join = "JOIN" if limit is not None else "CROSS JOIN"
        sql = (
            f"SELECT u.code FROM units u {join} unit_stats s ON s.code = u.code "
            f"WHERE {where} ORDER BY {order_by(sort or chosen.default_sort)}"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self.lock:
            return [r[0] for r in self.db.execute(sql, params)]

    def search_keys(self) -> dict[str, bytes]:
        """Every unit's search text (name, code, supervisor, area, pinyin) as UTF-8, by code.

        Read row by row as bytes: at 100k units a fetchall of str would briefly take ~80 MB.
        """
        with self.lock:
            cursor = self.db.execute("SELECT code, CAST(search AS BLOB) FROM units")
            return {code: search or b"" for code, search in cursor}

    def view_counts(self, text: str = "") -> dict[str, int]:
        """How many units each view holds under the same text filter, in one pass."""
        where, params = filter_sql("1", text)
        sums = ", ".join(f"SUM(CASE WHEN {v.where} THEN 1 ELSE 0 END)" for v in VIEWS.values())
        sql = f"SELECT {sums} FROM units u CROSS JOIN unit_stats s ON s.code = u.code WHERE {where}"
        with self.lock:
            row = self.db.execute(sql, params).fetchone()
        return {name: int(row[i] or 0) for i, name in enumerate(VIEWS)}

    def unit_rows(self, codes: Sequence[str], today: date) -> list[UnitRow]:
        """List rows for these units, in the order given."""
        found: dict[str, UnitRow] = {}
        for chunk in chunks(codes):
            marks = ", ".join("?" for _ in chunk)
            sql = (
                "SELECT u.code, u.name, u.supervisor_code, u.supervisor_name, u.level, "
                "u.division_code, u.area_code, u.specialist_id, u.contacts, u.staff_count, "
                f"s.*, {facts_sql.TRAINED_IN_LIST} AS trained "
                "FROM units u JOIN unit_stats s ON s.code = u.code "
                f"WHERE u.code IN ({marks})"
            )
            with self.lock:
                for row in self.db.query(sql, chunk):
                    found[row["code"]] = unit_row(row, today)
        return [found[c] for c in codes if c in found]

    def unit(self, code: str) -> Row | None:
        with self.lock:
            rows = list(self.db.query("SELECT * FROM units WHERE code = ?", [code]))
        if not rows:
            return None
        row = rows[0]
        row["contacts"] = json.loads(row["contacts"] or "[]")
        return row

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        """Rows of a read-only query, for the service layer's detail queries."""
        with self.lock:
            return list(self.db.query(sql, params))

    def has_rows(self, table: str) -> bool:
        """Whether a table holds any row (without counting them all)."""
        with self.lock:
            row = self.db.execute(f"SELECT EXISTS (SELECT 1 FROM [{table}])").fetchone()
        return bool(row[0])

    def unit_facts(self, code: str) -> UnitFacts | None:
        """The facts the rules read for one unit, as stored in unit_stats."""
        with self.lock:
            row = self.db.execute(
                f"SELECT {facts_sql.EVALUATE_COLUMNS} FROM unit_stats s "
                "JOIN units u ON u.code = s.code WHERE s.code = ?",
                [code],
            ).fetchone()
        return None if row is None else facts_from_row(row)

    def is_current(self, policy: Policy, today: date, asof: date | None = None) -> bool:
        """Whether facts and flags are those of this policy, date and as-of day."""
        return (
            self.get_meta("facts_year") == str(policy.year)
            and self.facts_as_of() == asof
            and self.get_meta("evaluated_on") == today.isoformat()
            and self.get_meta("policy_id") == policy.id
        )

    def count(self, table: str) -> int:
        with self.lock:
            return int(self.db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0])


def latest_stamp(table: str, rows: Sequence[Row]) -> str:
    """The latest day (ISO text) among the rows' stamps, or "" when they carry none."""
    days = [
        max((row.get(column) or "" for row in rows), default="")[:10]
        for column in STAMPS.get(table, ())
    ]
    return max(days, default="")


def filter_sql(where: str, text: str) -> tuple[str, list[str]]:
    words = normalise_query(text)
    clauses = [where, *("instr(u.search, ?) > 0" for _ in words)]
    return " AND ".join(f"({c})" for c in clauses), words


def _finished(units: int, changed: int, started: datetime, progress: Progress | None) -> Evaluation:
    """An evaluation's result, its progress reported whole."""
    if progress is not None:
        progress(units, units)
    return Evaluation(units, changed, (datetime.now() - started).total_seconds())
