"""The hub's SQLite store: the only hub module that speaks SQL.

Every record lives in ``changes`` as its canonical JSON (the domain model's dump) with the
sequence number of its latest change. Writing a record replaces its row, so the row gets a new,
higher ``seq``: the table is both the store and a compacted change feed. A client that has read
up to seq S asks for ``seq > S`` and gets the latest state of everything changed since.

Why a change is never skipped: SQLite has a single writer, and AUTOINCREMENT hands out seqs
inside the writing transaction, so every seq of a transaction that commits later is larger than
every seq of one that committed earlier; a reader's snapshot (WAL) holds whole transactions only.
So when a reader has seen seq S, any row it has not seen yet gets a seq above S. Rows are never
updated in place, only replaced, so a record that changes again reappears above the cursor.

Visibility: a row names its unit's center and owner (the unit's specialist when written). A lead
sees the rows of the center; a specialist sees the rows they own, the center and its specialists,
and "revoke" rows (audience = their id) telling them a unit is no longer theirs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from specialist_tui.domain.enums import Role
from specialist_tui.domain.models import (
    Call,
    Center,
    Filing,
    Order,
    Specialist,
    Ticket,
    TicketEvent,
    Unit,
)
from specialist_tui.wire import (
    ItemResult,
    ItemStatus,
    PushRequest,
    PushResult,
    TicketUpdate,
    filing_key,
)

# Rows meant for everyone allowed to see the unit; a specialist id marks a revoke row.
EVERYONE = "*"
NOT_FOUND = "not found"


class StoreError(Exception):
    """A hub database or an admin request the hub cannot use; the message says why."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The specialist a request's token belongs to."""

    id: str
    name: str
    center_code: str
    role: Role

    @property
    def is_lead(self) -> bool:
        return self.role is Role.LEAD


@dataclass(frozen=True, slots=True)
class TokenRecord:
    caller: Caller
    salt: bytes
    hash: bytes


@dataclass(frozen=True, slots=True)
class Home:
    """Where a unit belongs: its center and its specialist."""

    center_code: str
    owner: str | None


def _v1_initial(db: sqlite3.Connection) -> None:
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


def _script(db: sqlite3.Connection, script: str) -> None:
    # executescript would commit the migration's transaction half-way; run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


Migration = Callable[[sqlite3.Connection], None]
# Append only: the n-th entry takes a hub database from version n-1 to version n.
MIGRATIONS: list[Migration] = [_v1_initial]
SCHEMA_VERSION = len(MIGRATIONS)

_UPSERT = (
    "INSERT OR REPLACE INTO changes (kind, key, audience, op, unit_code, center_code, owner, body) "
    "VALUES (?, ?, '*', 'upsert', ?, ?, ?, ?)"
)


class HubStore:
    """One hub database. Each thread gets its own connection; SQLite serialises the writers."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        """Open (``create``: or make) the hub database at ``path``.

        Without ``create`` a missing file or an empty database is refused, so that a mistyped
        path never becomes a new, empty hub. Any other SQLite database is refused untouched.
        """
        self.path = path
        self._local = threading.local()
        if path.is_dir():
            raise StoreError(f"{path} 是一个文件夹，不是中心数据库；--db 要给出数据库文件")
        if not create and not path.is_file():
            raise StoreError(
                f"中心数据库不存在：{path}（新建请运行 specialist-tui hub init --db {path}）"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._check_kind(create)
            self._migrate(self.conn)
            self.hub_id = self._hub_id()
        except sqlite3.DatabaseError as exc:
            detail = "不是 SQLite 数据库" if "not a database" in str(exc) else "无法打开"
            raise StoreError(f"{path} 不是中心数据库（{detail}）") from None

    def _check_kind(self, create: bool) -> None:
        """Refuse, before writing anything, a database that is not a hub's (e.g. a client cache)."""
        if not self.path.exists():
            return
        probe = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master")}
        finally:
            probe.close()
        if tables and "changes" not in tables:
            raise StoreError(f"{self.path} 不是中心数据库（可能是客户端缓存或别的数据库）")
        if not tables and not create:
            raise StoreError(
                f"{self.path} 是空文件，不是中心数据库（新建请运行 specialist-tui hub init）"
            )

    def _hub_id(self) -> str:
        """A random id made once per hub database: clients use it to tell hubs apart."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('hub_id', ?)", [uuid.uuid4().hex]
            )
            return str(db.execute("SELECT value FROM meta WHERE key = 'hub_id'").fetchone()[0])

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} 由更新版本的 specialist-tui 写入（结构版本 {current} > "
                f"{SCHEMA_VERSION}）；请升级 specialist-tui 后再启动中心"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                MIGRATIONS[version - 1](conn)
                conn.execute(f"PRAGMA user_version = {version}")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- centers and specialists ----------------------------------------------------------

    def add_center(self, center: Center) -> None:
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM centers WHERE code = ?", [center.code]).fetchone():
                raise StoreError(f"服务中心 {center.code} 已存在")
            self._put_center(db, center)

    def _put_center(self, db: sqlite3.Connection, center: Center) -> None:
        db.execute(
            "INSERT OR REPLACE INTO centers (code, name, area_codes) VALUES (?, ?, ?)",
            [center.code, center.name, json.dumps(center.area_codes)],
        )
        db.execute(_UPSERT, ["center", center.code, None, center.code, None, _json(center)])

    def add_specialist(
        self, specialist: Specialist, token_id: str, salt: bytes, token_hash: bytes
    ) -> None:
        with self.transaction() as db:
            if not db.execute(
                "SELECT 1 FROM centers WHERE code = ?", [specialist.center_code]
            ).fetchone():
                raise StoreError(f"没有服务中心 {specialist.center_code}；先运行 hub center add")
            if db.execute("SELECT 1 FROM specialists WHERE id = ?", [specialist.id]).fetchone():
                raise StoreError(f"服务专员 {specialist.id} 已存在")
            db.execute(
                "INSERT INTO specialists (id, name, center_code, role, token_id, token_salt, "
                "token_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    specialist.id,
                    specialist.name,
                    specialist.center_code,
                    specialist.role.value,
                    token_id,
                    salt,
                    token_hash,
                ],
            )
            db.execute(
                _UPSERT,
                [
                    "specialist",
                    specialist.id,
                    None,
                    specialist.center_code,
                    None,
                    _json(specialist),
                ],
            )

    def set_token(self, specialist_id: str, token_id: str, salt: bytes, token_hash: bytes) -> None:
        """Replace a specialist's token: the old one stops working at once."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE specialists SET token_id = ?, token_salt = ?, token_hash = ? WHERE id = ?",
                [token_id, salt, token_hash, specialist_id],
            )
            if cursor.rowcount == 0:
                raise StoreError(f"没有服务专员 {specialist_id}")

    def token_record(self, token_id: str) -> TokenRecord | None:
        row = self.conn.execute(
            "SELECT id, name, center_code, role, token_salt, token_hash FROM specialists "
            "WHERE token_id = ?",
            [token_id],
        ).fetchone()
        if row is None:
            return None
        return TokenRecord(Caller(row[0], row[1], row[2], Role(row[3])), row[4], row[5])

    def center_name(self, code: str) -> str:
        row = self.conn.execute("SELECT name FROM centers WHERE code = ?", [code]).fetchone()
        return str(row[0]) if row else ""

    def specialists(self) -> list[dict[str, Any]]:
        """Every specialist with their center, role and number of units."""
        rows = self.conn.execute(
            "SELECT s.id, s.name, s.center_code, s.role, "
            "(SELECT COUNT(*) FROM units u WHERE u.specialist_id = s.id) "
            "FROM specialists s ORDER BY s.center_code, s.id"
        )
        keys = ("id", "name", "center", "role", "units")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # -- units and their records ----------------------------------------------------------

    def center_for_area(self, db: sqlite3.Connection, area_code: str) -> str:
        """The center covering an area code; the only center when there is just one."""
        centers = db.execute("SELECT code, area_codes FROM centers").fetchall()
        for code, areas in centers:
            if area_code and area_code in json.loads(areas):
                return str(code)
        if len(centers) == 1:
            return str(centers[0][0])
        raise StoreError(f"没有服务中心覆盖区域代码 {area_code!r}")

    def upsert_units(self, units: Sequence[Unit]) -> None:
        """Add or replace units; each joins the center covering its area code.

        A unit given without a specialist keeps the specialist it already has.
        """
        with self.transaction() as db:
            for unit in units:
                center = self.center_for_area(db, unit.area_code)
                if unit.specialist_id is None:
                    # A platform export knows nothing of assignments: keep the one we have.
                    row = db.execute(
                        "SELECT specialist_id FROM units WHERE code = ?", [unit.code]
                    ).fetchone()
                    if row is not None and row[0] is not None:
                        unit = unit.model_copy(update={"specialist_id": row[0]})
                if unit.specialist_id and not self._specialist_center(db, unit.specialist_id):
                    raise StoreError(
                        f"单位 {unit.code} 的服务专员 {unit.specialist_id} 不存在；"
                        f"先运行 hub specialist add 姓名 --center 中心 --id {unit.specialist_id}"
                    )
                db.execute(
                    "INSERT OR REPLACE INTO units (code, center_code, specialist_id, area_code) "
                    "VALUES (?, ?, ?, ?)",
                    [unit.code, center, unit.specialist_id, unit.area_code],
                )
                db.execute(
                    _UPSERT, ["unit", unit.code, unit.code, center, unit.specialist_id, _json(unit)]
                )

    def _specialist_center(self, db: sqlite3.Connection, specialist_id: str) -> str | None:
        row = db.execute(
            "SELECT center_code FROM specialists WHERE id = ?", [specialist_id]
        ).fetchone()
        return str(row[0]) if row else None

    def upsert_records(
        self, kind: str, records: Sequence[Filing | Order | Call | Ticket | TicketEvent]
    ) -> None:
        """Add or replace records of a unit (admin paths: seed, import); all units must exist."""
        keyed: list[tuple[str, str | None, BaseModel]]
        with self.transaction() as db:
            if kind == "ticket_event":
                events = [r for r in records if isinstance(r, TicketEvent)]
                units = self._ticket_units(db, [str(e.ticket_id) for e in events])
                keyed = [(str(e.id), units.get(str(e.ticket_id)), e) for e in events]
            else:
                keyed = [(_key(r), getattr(r, "unit_code", None), r) for r in records]
            homes = self._homes(db, {u for _, u, _ in keyed if u})
            rows = []
            for key, unit_code, record in keyed:
                home = homes.get(unit_code or "")
                if home is None:
                    raise StoreError(f"{kind} {key}: 单位 {unit_code or '?'} 不在中心")
                if isinstance(record, Ticket):
                    record = _stored_ticket(record, record.version)
                    db.execute(
                        "INSERT OR REPLACE INTO tickets (id, unit_code, version) VALUES (?, ?, ?)",
                        [key, record.unit_code, record.version],
                    )
                rows.append((kind, key, unit_code, home.center_code, home.owner, _json(record)))
            db.executemany(_UPSERT, rows)

    def delete_records(self, kind: str, keys: Sequence[str]) -> None:
        """Delete records; deleting a unit deletes everything of it (one tombstone)."""
        with self.transaction() as db:
            for key in keys:
                row = db.execute(
                    "SELECT unit_code, center_code, owner FROM changes "
                    "WHERE kind = ? AND key = ? AND audience = '*' AND op = 'upsert'",
                    [kind, key],
                ).fetchone()
                if row is None:
                    continue
                if kind == "unit":
                    # Revoke rows stay: a former owner who has not synced yet still needs them.
                    db.execute("DELETE FROM changes WHERE unit_code = ? AND audience = '*'", [key])
                    db.execute("DELETE FROM tickets WHERE unit_code = ?", [key])
                    db.execute("DELETE FROM units WHERE code = ?", [key])
                if kind == "ticket":
                    db.execute("DELETE FROM tickets WHERE id = ?", [key])
                db.execute(
                    "INSERT OR REPLACE INTO changes (kind, key, audience, op, unit_code, "
                    "center_code, owner, body) VALUES (?, ?, '*', 'delete', ?, ?, ?, NULL)",
                    [kind, key, row[0], row[1], row[2]],
                )

    def units_in_area(self, area_code: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT code FROM units WHERE area_code = ? ORDER BY code", [area_code]
        )
        return [r[0] for r in rows]

    def assign(self, codes: Sequence[str], specialist_id: str | None) -> int:
        """Give units to a specialist (None: unassign); returns how many changed hands.

        The new owner gets every record of the unit again (fresh seqs); the old owner gets a
        revoke row, on which their client drops the unit and its data.
        """
        changed = 0
        with self.transaction() as db:
            center = self._specialist_center(db, specialist_id) if specialist_id else None
            if specialist_id and center is None:
                raise StoreError(f"没有服务专员 {specialist_id}")
            for code in codes:
                row = db.execute(
                    "SELECT center_code, specialist_id FROM units WHERE code = ?", [code]
                ).fetchone()
                if row is None:
                    raise StoreError(f"中心没有单位 {code}")
                unit_center, old = row
                if center is not None and unit_center != center:
                    raise StoreError(f"单位 {code} 属于服务中心 {unit_center}，不属于 {center}")
                if old == specialist_id:
                    continue
                self._move_unit(db, code, unit_center, old, specialist_id)
                changed += 1
        return changed

    def _move_unit(
        self, db: sqlite3.Connection, code: str, center: str, old: str | None, new: str | None
    ) -> None:
        db.execute("UPDATE units SET specialist_id = ? WHERE code = ?", [new, code])
        rows = db.execute(
            "SELECT kind, key, op, body FROM changes WHERE unit_code = ? AND audience = '*' "
            "ORDER BY seq",
            [code],
        ).fetchall()
        db.execute("DELETE FROM changes WHERE unit_code = ? AND audience = '*'", [code])
        if new is not None:  # the unit is theirs again: their old revoke row must not win
            db.execute(
                "DELETE FROM changes WHERE kind = 'unit' AND key = ? AND audience = ?", [code, new]
            )
        moved = []
        for kind, key, op, body in rows:
            if kind == "unit":
                body = Unit.model_validate_json(body).model_copy(update={"specialist_id": new})
                body = _json(body)
            moved.append((kind, key, op, code, center, new, body))
        db.executemany(
            "INSERT INTO changes (kind, key, audience, op, unit_code, center_code, owner, body) "
            "VALUES (?, ?, '*', ?, ?, ?, ?, ?)",
            moved,
        )
        if old is not None:
            db.execute(
                "INSERT OR REPLACE INTO changes (kind, key, audience, op, unit_code, center_code, "
                "owner) VALUES ('unit', ?, ?, 'delete', ?, ?, ?)",
                [code, old, code, center, old],
            )

    def _homes(self, db: sqlite3.Connection, codes: Iterable[str]) -> dict[str, Home]:
        found: dict[str, Home] = {}
        wanted = list(codes)
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            for code, center, owner in db.execute(
                f"SELECT code, center_code, specialist_id FROM units WHERE code IN ({marks})",
                chunk,
            ):
                found[code] = Home(center, owner)
        return found

    def _ticket_units(self, db: sqlite3.Connection, ticket_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ticket_ids), 900):
            chunk = ticket_ids[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            for tid, code in db.execute(
                f"SELECT id, unit_code FROM tickets WHERE id IN ({marks})", chunk
            ):
                found[tid] = code
        return found

    def count(self, kind: str) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM changes WHERE kind = ? AND audience = '*' AND op = 'upsert'",
            [kind],
        ).fetchone()
        return int(row[0])

    def record_json(self, kind: str, key: str) -> str | None:
        row = self.conn.execute(
            "SELECT body FROM changes WHERE kind = ? AND key = ? AND audience = '*'", [kind, key]
        ).fetchone()
        return None if row is None else row[0]

    # -- the change feed ------------------------------------------------------------------

    def changes_after(
        self, caller: Caller, since: int, limit: int
    ) -> tuple[list[tuple[int, str, str, str, str | None]], bool]:
        """Up to ``limit`` rows after seq ``since`` the caller may see, oldest first."""
        if caller.is_lead:
            where = "audience = '*' AND center_code = :center"
        else:
            where = (
                "(audience = '*' AND owner = :me) OR audience = :me OR "
                "(audience = '*' AND kind IN ('center', 'specialist') AND center_code = :center)"
            )
        # One read transaction, so the page is a consistent snapshot.
        rows = self.conn.execute(
            f"SELECT seq, kind, key, op, body FROM changes WHERE seq > :since AND ({where}) "
            "ORDER BY seq LIMIT :limit",
            {"since": since, "me": caller.id, "center": caller.center_code, "limit": limit + 1},
        ).fetchall()
        return rows[:limit], len(rows) > limit

    def visible_unit(self, caller: Caller, code: str) -> bool:
        row = self.conn.execute(
            "SELECT center_code, specialist_id FROM units WHERE code = ?", [code]
        ).fetchone()
        return row is not None and _may_see(caller, Home(row[0], row[1]))

    def unit_records(self, code: str) -> list[tuple[str, str, str]]:
        """(kind, key, body) of a unit and all its records."""
        rows = self.conn.execute(
            "SELECT kind, key, body FROM changes WHERE unit_code = ? AND audience = '*' "
            "AND op = 'upsert' ORDER BY seq",
            [code],
        )
        return [(r[0], r[1], r[2]) for r in rows]

    # -- push -----------------------------------------------------------------------------

    def apply_push(self, caller: Caller, request: PushRequest) -> PushResult:
        """Store a client's calls, tickets and ticket events, idempotently, in one transaction."""
        results: list[ItemResult] = []
        with self.transaction() as db:
            homes = self._homes(
                db,
                {c.unit_code for c in request.calls}
                | {t.ticket.unit_code for t in request.tickets},
            )
            for call in request.calls:
                results.append(self._push_call(db, caller, call, homes.get(call.unit_code)))
            for update in request.tickets:
                home = homes.get(update.ticket.unit_code)
                results.append(self._push_ticket(db, caller, update, home))
            for event in request.ticket_events:
                results.append(self._push_event(db, caller, event))
        return PushResult(items=results)

    def _push_call(
        self, db: sqlite3.Connection, caller: Caller, call: Call, home: Home | None
    ) -> ItemResult:
        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind="call", id=call.id, status=status, reason=reason)

        if home is None or not _may_see(caller, home):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        if self._exists(db, "call", str(call.id)):
            return result(ItemStatus.DUPLICATE)
        # The author is whoever holds the token, whatever the client wrote.
        stored = call.model_copy(update={"author": caller.id})
        db.execute(
            _UPSERT,
            ["call", str(call.id), call.unit_code, home.center_code, home.owner, _json(stored)],
        )
        return result(ItemStatus.ACCEPTED)

    def _push_ticket(
        self, db: sqlite3.Connection, caller: Caller, update: TicketUpdate, home: Home | None
    ) -> ItemResult:
        ticket = update.ticket

        def result(
            status: ItemStatus, reason: str = "", current: Ticket | None = None
        ) -> ItemResult:
            return ItemResult(
                kind="ticket", id=ticket.id, status=status, reason=reason, ticket=current
            )

        if home is None or not _may_see(caller, home):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        row = db.execute(
            "SELECT unit_code, version FROM tickets WHERE id = ?", [str(ticket.id)]
        ).fetchone()
        if row is None:
            version = 1
        else:
            body = self.record_json("ticket", str(ticket.id))
            assert body is not None, "a ticket row without its record"
            current = Ticket.model_validate_json(body)
            if row[0] != ticket.unit_code:
                return result(ItemStatus.REJECTED, "unit_code 工单所属单位不能修改")
            if _same_ticket(current, ticket):
                return result(ItemStatus.DUPLICATE, current=current)
            if update.base_version != row[1]:
                return result(ItemStatus.CONFLICT, "工单已在中心被修改", current)
            version = int(row[1]) + 1
        stored = _stored_ticket(ticket, version)
        db.execute(
            "INSERT OR REPLACE INTO tickets (id, unit_code, version) VALUES (?, ?, ?)",
            [str(ticket.id), ticket.unit_code, version],
        )
        db.execute(
            _UPSERT,
            [
                "ticket",
                str(ticket.id),
                ticket.unit_code,
                home.center_code,
                home.owner,
                _json(stored),
            ],
        )
        return result(ItemStatus.ACCEPTED, current=stored)

    def _push_event(self, db: sqlite3.Connection, caller: Caller, event: TicketEvent) -> ItemResult:
        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind="ticket_event", id=event.id, status=status, reason=reason)

        unit_code = self._ticket_units(db, [str(event.ticket_id)]).get(str(event.ticket_id))
        home = self._homes(db, [unit_code]).get(unit_code) if unit_code else None
        if unit_code is None or home is None or not _may_see(caller, home):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        if self._exists(db, "ticket_event", str(event.id)):
            return result(ItemStatus.DUPLICATE)
        db.execute(
            _UPSERT,
            ["ticket_event", str(event.id), unit_code, home.center_code, home.owner, _json(event)],
        )
        return result(ItemStatus.ACCEPTED)

    def _exists(self, db: sqlite3.Connection, kind: str, key: str) -> bool:
        row = db.execute(
            "SELECT 1 FROM changes WHERE kind = ? AND key = ? AND audience = '*' AND op = 'upsert'",
            [kind, key],
        ).fetchone()
        return row is not None


def _may_see(caller: Caller, home: Home) -> bool:
    if caller.is_lead:
        return home.center_code == caller.center_code
    return home.owner == caller.id


def _json(record: BaseModel) -> str:
    return record.model_dump_json()


def _key(record: BaseModel) -> str:
    if isinstance(record, Filing):
        return filing_key(record.unit_code, record.year)
    return str(getattr(record, "id"))  # noqa: B009 - every other record kind has an id


def _stored_ticket(ticket: Ticket, version: int) -> Ticket:
    # The timeline travels as ticket_event records of its own, never inside the ticket.
    return ticket.model_copy(update={"version": version, "events": []})


def _same_ticket(a: Ticket, b: Ticket) -> bool:
    """Same content apart from the version the hub assigns and the timeline kept apart."""
    ignore = {"version", "events"}
    return a.model_dump(exclude=ignore) == b.model_dump(exclude=ignore)
