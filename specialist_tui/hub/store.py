"""The hub's store: the only hub module that speaks SQL (with backend.py, its two engines).

Every record lives in ``changes`` as its canonical JSON (the domain model's dump) at a feed
position (txid, seq). Writing a record replaces its row, so the row gets a new, higher
position: the table is both the store and a compacted change feed. A client that has read up
to position P asks for positions after P and gets the latest state of everything changed since.

Why a change is never skipped: a reader is only ever served positions below a horizon no
transaction still running can write under. On SQLite the single writer commits in seq order
(txid stays 0), so the horizon is "everything committed"; on PostgreSQL txid is the writing
transaction's id and the horizon is the oldest transaction still running (docs/hub.md argues
both). Rows are never updated in place but moved, so a record that changes again reappears
above the cursor.

Visibility: a row names its unit's center and owner (the unit's specialist when written). A lead
sees the rows of the center; a specialist sees the rows they own, the center and its specialists,
and "revoke" rows (audience and owner = their id) telling them a unit is no longer theirs; a
province reader sees every center's rows and writes nothing.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from specialist_tui.domain.enums import Role
from specialist_tui.domain.models import (
    Call,
    Center,
    Event,
    Filing,
    FollowUpDone,
    Order,
    Specialist,
    Ticket,
    TicketEvent,
    Unit,
    now_beijing,
)
from specialist_tui.hub.backend import SCHEMA_VERSION as SCHEMA_VERSION
from specialist_tui.hub.backend import BackendError, Db, open_backend
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


_T = TypeVar("_T")

# Records written per statement batch by the admin paths (bounded memory, few round trips).
_WRITE_CHUNK = 5_000

# How long a poll waits for older transactions when committed rows in its scope wait behind
# them (they are served below the horizon only); past it the poll answers what is ready.
HELD_BACK_WAIT = 1.0

# What `hub migrate` copies, in an order the foreign keys accept, with each table's key.
# txid is copied as it is: 0 on a SQLite hub, so a client's cursor stays valid on the copy.
# The copy takes the source's hub_id too (adopt_hub_id), so clients know it for the same hub.
COPIED_TABLES: list[tuple[str, tuple[str, ...]]] = [
    ("centers", ("code", "name", "area_codes")),
    ("specialists", ("id", "name", "center_code", "role", "token_id", "token_salt", "token_hash")),
    ("units", ("code", "center_code", "specialist_id", "area_code")),
    ("tickets", ("id", "unit_code", "version")),
    (
        "changes",
        (
            "seq",
            "txid",
            "kind",
            "key",
            "audience",
            "op",
            "unit_code",
            "center_code",
            "owner",
            "body",
        ),
    ),
    ("former_owners", ("unit_code", "specialist_id", "until")),
]


def _copied(table: str) -> tuple[tuple[str, ...], str]:
    columns = dict(COPIED_TABLES)[table]
    return columns, columns[0]


# A place in the change feed: (writing transaction's id, seq); see the module's docstring.
Position = tuple[int, int]


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


class HubStore:
    """One hub database, SQLite (a file path) or PostgreSQL (a ``postgresql://`` URL)."""

    def __init__(self, target: str | Path, *, create: bool = True) -> None:
        """Open (``create``: or make) the hub database.

        Without ``create`` a missing file or an empty database is refused, so that a mistyped
        --db never becomes a new, empty hub; a database that is not a hub's is refused untouched.
        """
        try:
            self._db = open_backend(target)
            self._db.check(create)
            self.created = self._db.schema_version == 0  # this open makes the hub's tables
            self._db.migrate()
            self.hub_id = self._hub_id()
        except BackendError as exc:
            raise StoreError(str(exc)) from None
        self.target = self._db.target
        self.engine = self._db.name

    def _hub_id(self) -> str:
        """A random id made once per hub database: clients use it to tell hubs apart."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('hub_id', ?) ON CONFLICT (key) DO NOTHING",
                [uuid.uuid4().hex],
            )
            return str(db.execute("SELECT value FROM meta WHERE key = 'hub_id'").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    @property
    def schema_version(self) -> int:
        return self._db.schema_version

    def transaction(self) -> AbstractContextManager[Db]:
        """One write transaction (nested calls join the outer one)."""
        result: AbstractContextManager[Db] = self._db.write()
        return result

    def _read(self) -> AbstractContextManager[Db]:
        result: AbstractContextManager[Db] = self._db.read()
        return result

    # -- centers and specialists ----------------------------------------------------------

    def add_center(self, center: Center) -> None:
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM centers WHERE code = ?", [center.code]).fetchone():
                raise StoreError(f"服务中心 {center.code} 已存在")
            self._put_center(db, center)

    def _put_center(self, db: Db, center: Center) -> None:
        db.execute(
            "INSERT INTO centers (code, name, area_codes) VALUES (?, ?, ?) ON CONFLICT (code) "
            "DO UPDATE SET name = excluded.name, area_codes = excluded.area_codes",
            [center.code, center.name, json.dumps(center.area_codes)],
        )
        self._put(db, [("center", center.code, None, center.code, None, _json(center))])

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
            self._put(
                db,
                [
                    (
                        "specialist",
                        specialist.id,
                        None,
                        specialist.center_code,
                        None,
                        _json(specialist),
                    )
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
        with self._read() as db:
            row = db.execute(
                "SELECT id, name, center_code, role, token_salt, token_hash FROM specialists "
                "WHERE token_id = ?",
                [token_id],
            ).fetchone()
        if row is None:
            return None
        return TokenRecord(
            Caller(row[0], row[1], row[2], Role(row[3])), bytes(row[4]), bytes(row[5])
        )

    def center_name(self, code: str) -> str:
        with self._read() as db:
            row = db.execute("SELECT name FROM centers WHERE code = ?", [code]).fetchone()
        return str(row[0]) if row else ""

    def specialists(self) -> list[dict[str, Any]]:
        """Every specialist with their center, role and number of units."""
        with self._read() as db:
            rows = db.execute(
                "SELECT s.id, s.name, s.center_code, s.role, "
                "(SELECT COUNT(*) FROM units u WHERE u.specialist_id = s.id) "
                "FROM specialists s ORDER BY s.center_code, s.id"
            ).fetchall()
        keys = ("id", "name", "center", "role", "units")
        return [dict(zip(keys, (*r[:4], int(r[4])), strict=True)) for r in rows]

    # -- units and their records ----------------------------------------------------------

    def center_for_area(self, db: Db, area_code: str) -> str:
        """The center covering an area code; the only center when there is just one."""
        return _center_for_area(self._centers(db), area_code)

    def _centers(self, db: Db) -> list[tuple[str, list[str]]]:
        rows = db.execute("SELECT code, area_codes FROM centers ORDER BY code").fetchall()
        return [(str(code), json.loads(areas)) for code, areas in rows]

    def upsert_units(self, units: Iterable[Unit]) -> None:
        """Add or replace units; each joins the center covering its area code.

        A unit given without a specialist keeps the specialist it already has. Units may come
        from a generator: they are written in chunks inside the one transaction.
        """
        with self.transaction() as db:
            centers = self._centers(db)
            known: dict[str, bool] = {}
            for chunk in _chunked(units):
                self._upsert_unit_chunk(db, chunk, centers, known)

    def _upsert_unit_chunk(
        self,
        db: Db,
        units: list[Unit],
        centers: list[tuple[str, list[str]]],
        known: dict[str, bool],
    ) -> None:
        homes = self._homes(db, {u.code for u in units}, lock=True)
        rows: list[tuple[str, str, str | None, str]] = []
        changes: list[tuple[str, str, str | None, str, str | None, str | None]] = []
        for unit in units:
            center = _center_for_area(centers, unit.area_code)
            home = homes.get(unit.code)
            if unit.specialist_id is None and home is not None and home.owner is not None:
                # A platform export knows nothing of assignments: keep the one we have.
                unit = unit.model_copy(update={"specialist_id": home.owner})
            owner = unit.specialist_id
            if owner and owner not in known:
                known[owner] = self._specialist_center(db, owner) is not None
            if owner and not known[owner]:
                raise StoreError(
                    f"单位 {unit.code} 的服务专员 {owner} 不存在；"
                    f"先运行 hub specialist add 姓名 --center 中心 --id {owner}"
                )
            rows.append((unit.code, center, owner, unit.area_code))
            changes.append(("unit", unit.code, unit.code, center, owner, _json(unit)))
        # Batched: PostgreSQL pipelines an executemany, one round trip for the lot.
        db.executemany(
            "INSERT INTO units (code, center_code, specialist_id, area_code) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
            "center_code = excluded.center_code, specialist_id = excluded.specialist_id, "
            "area_code = excluded.area_code",
            rows,
        )
        self._put(db, changes)

    def lock_units(self, codes: Iterable[str]) -> None:
        """Lock these units for the rest of the current transaction, in one sorted sweep.

        A transaction that writes several batches (an import) locks all its units first:
        taking them batch by batch could wait on a push that waits on an earlier batch.
        """
        if self._db.for_update:  # SQLite's single writer needs no row locks
            with self.transaction() as db:
                self._homes(db, codes, lock=True)

    def _specialist_center(self, db: Db, specialist_id: str) -> str | None:
        row = db.execute(
            "SELECT center_code FROM specialists WHERE id = ?", [specialist_id]
        ).fetchone()
        return str(row[0]) if row else None

    def upsert_records(
        self, kind: str, records: Iterable[Filing | Order | Call | Ticket | TicketEvent]
    ) -> None:
        """Add or replace records of a unit (admin paths: seed, import); all units must exist.

        Records may come from a generator: they are written in chunks inside the one
        transaction, so memory stays bounded whatever the size of an import.
        """
        with self.transaction() as db:
            for chunk in _chunked(records):
                self._upsert_chunk(db, kind, chunk)

    def _upsert_chunk(
        self, db: Db, kind: str, records: Sequence[Filing | Order | Call | Ticket | TicketEvent]
    ) -> None:
        keyed: list[tuple[str, str | None, BaseModel]]
        if kind == "ticket_event":
            events = [r for r in records if isinstance(r, TicketEvent)]
            units = self._ticket_units(db, [str(e.ticket_id) for e in events])
            keyed = [(str(e.id), units.get(str(e.ticket_id)), e) for e in events]
        else:
            keyed = [(_key(r), getattr(r, "unit_code", None), r) for r in records]
        homes = self._homes(db, {u for _, u, _ in keyed if u}, lock=True)
        rows = []
        for key, unit_code, record in keyed:
            home = homes.get(unit_code or "")
            if home is None:
                raise StoreError(f"{kind} {key}: 单位 {unit_code or '?'} 不在中心")
            if isinstance(record, Ticket):
                record = _stored_ticket(record, record.version)
                self._put_ticket(db, key, record.unit_code, record.version)
            rows.append((kind, key, unit_code, home.center_code, home.owner, _json(record)))
        self._put(db, rows)

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
                self._put(db, [(kind, key, row[0], row[1], row[2], None)], op="delete")

    def units_in_area(self, area_code: str) -> list[str]:
        with self._read() as db:
            rows = db.execute(
                "SELECT code FROM units WHERE area_code = ? ORDER BY code", [area_code]
            ).fetchall()
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
            wanted = list(dict.fromkeys(codes))
            homes = self._homes(db, wanted, lock=True)
            for code in wanted:
                home = homes.get(code)
                if home is None:
                    raise StoreError(f"中心没有单位 {code}")
                unit_center, old = home.center_code, home.owner
                if center is not None and unit_center != center:
                    raise StoreError(f"单位 {code} 属于服务中心 {unit_center}，不属于 {center}")
                if old == specialist_id:
                    continue
                self._move_unit(db, code, unit_center, old, specialist_id)
                changed += 1
        return changed

    def _move_unit(self, db: Db, code: str, center: str, old: str | None, new: str | None) -> None:
        db.execute("UPDATE units SET specialist_id = ? WHERE code = ?", [new, code])
        rows = db.execute(
            "SELECT kind, key, op, body FROM changes WHERE unit_code = ? AND audience = '*' "
            "ORDER BY txid, seq",
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
            self._put(db, [("unit", code, code, center, old, None)], op="delete", audience=old)
            # What the old owner logged on the unit until now stays theirs to push (may_write).
            db.execute(
                "INSERT INTO former_owners (unit_code, specialist_id, until) VALUES (?, ?, ?) "
                "ON CONFLICT (unit_code, specialist_id) DO UPDATE SET until = excluded.until",
                [code, old, now_beijing().isoformat()],
            )

    def _homes(self, db: Db, codes: Iterable[str], *, lock: bool = False) -> dict[str, Home]:
        found: dict[str, Home] = {}
        wanted = sorted(codes)
        locking = f" ORDER BY code{self._db.for_update}" if lock else ""
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            for code, center, owner in db.execute(
                "SELECT code, center_code, specialist_id FROM units "
                f"WHERE code IN ({marks}){locking}",
                chunk,
            ).fetchall():
                found[code] = Home(center, owner)
        return found

    def _ticket_units(self, db: Db, ticket_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ticket_ids), 900):
            chunk = ticket_ids[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            for tid, code in db.execute(
                f"SELECT id, unit_code FROM tickets WHERE id IN ({marks})", chunk
            ).fetchall():
                found[tid] = code
        return found

    def count(self, kind: str) -> int:
        with self._read() as db:
            row = db.execute(
                "SELECT COUNT(*) FROM changes WHERE kind = ? AND audience = '*' AND op = 'upsert'",
                [kind],
            ).fetchone()
        return int(row[0])

    def record_json(self, kind: str, key: str) -> str | None:
        with self._read() as db:
            row = db.execute(
                "SELECT body FROM changes WHERE kind = ? AND key = ? AND audience = '*'",
                [kind, key],
            ).fetchone()
        return None if row is None else row[0]

    def records_json(self, kind: str) -> list[str]:
        """Every stored record of a kind as its JSON body, for admin reports (the roster)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT body FROM changes WHERE kind = ? AND audience = '*' AND op = 'upsert' "
                "ORDER BY key",
                [kind],
            ).fetchall()
        return [r[0] for r in rows]

    # -- moving a hub to another database (`hub migrate`) ---------------------------------

    def is_empty(self) -> bool:
        with self._read() as db:
            return all(
                db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None
                for table, _ in COPIED_TABLES
            )

    def adopt_hub_id(self, hub_id: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE meta SET value = ? WHERE key = 'hub_id'", [hub_id])
        self.hub_id = hub_id

    def dump(self, table: str) -> Iterator[tuple[Any, ...]]:
        """Every row of a copied table in key order, bytes as bytes, streamed in chunks."""
        columns, key = _copied(table)
        with self._read() as db:
            rows = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {key}")
            while chunk := rows.fetchmany(5_000):
                for row in chunk:
                    yield tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)

    def load(self, table: str, rows: Iterator[tuple[Any, ...]]) -> None:
        """Write dumped rows into this (empty) database, positions and all."""
        self._db.copy_in(table, _copied(table)[0], rows)
        if table == "changes":
            self._db.after_copy()

    # -- the change feed ------------------------------------------------------------------

    def changes_after(
        self, caller: Caller, since: Position, limit: int
    ) -> tuple[list[tuple[int, int, str, str, str, str | None]], bool]:
        """Up to ``limit`` rows after position ``since`` the caller may see, oldest first.

        Each branch of the caller's scope reads its own index range from ``since`` on, so a poll
        costs what the caller's own changes cost, not everyone's.
        """
        branches: list[tuple[str, list[str]]]
        if caller.role is Role.PROVINCE:
            branches = [("audience = '*'", [])]
        elif caller.is_lead:
            branches = [("audience = '*' AND center_code = ?", [caller.center_code])]
        else:
            branches = [
                # Their units' records, and the revoke rows addressed to them.
                ("owner = ?", [caller.id]),
                ("kind IN ('center', 'specialist') AND center_code = ?", [caller.center_code]),
            ]
        selects = []
        params: list[Any] = []
        for number, (where, values) in enumerate(branches):
            selects.append(
                "SELECT * FROM (SELECT txid, seq, kind, key, op, body FROM changes "
                f"WHERE {where} AND {self._db.after_position} ORDER BY txid, seq LIMIT ?) "
                f"AS branch{number}"
            )
            params += [*values, since[0], since[1], limit + 1]
        sql = " UNION ALL ".join(selects)
        if len(selects) > 1:
            sql = f"SELECT * FROM ({sql}) AS scope ORDER BY txid, seq LIMIT ?"
            params.append(limit + 1)
        deadline = time.monotonic() + HELD_BACK_WAIT
        while True:
            with self._read() as db:
                # The horizon first: whatever the page's (later) snapshot holds below it is
                # final, since every transaction under it had ended before.
                horizon = self._db.horizon(db)
                rows = db.execute(sql, params).fetchall()
            # Rows are ordered by txid, so those below the horizon are a prefix.
            ready = [tuple(r) for r in rows if r[0] < horizon]
            held_back = len(ready) < len(rows)
            if not held_back or ready or time.monotonic() > deadline:
                break
            # Committed rows wait behind an older transaction still running; it is usually
            # a push a few milliseconds from its commit, so wait rather than answer "nothing".
            time.sleep(0.01)
        page: list[tuple[int, int, str, str, str, str | None]] = ready[:limit]
        return page, len(ready) > limit or (held_back and bool(ready))

    def visible_unit(self, caller: Caller, code: str) -> bool:
        with self._read() as db:
            row = db.execute(
                "SELECT center_code, specialist_id FROM units WHERE code = ?", [code]
            ).fetchone()
        return row is not None and _may_see(caller, Home(row[0], row[1]))

    def unit_records(self, code: str) -> list[tuple[str, str, str]]:
        """(kind, key, body) of a unit and all its records."""
        with self._read() as db:
            rows = db.execute(
                "SELECT kind, key, body FROM changes WHERE unit_code = ? AND audience = '*' "
                "AND op = 'upsert' ORDER BY txid, seq",
                [code],
            ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    # -- push -----------------------------------------------------------------------------

    def apply_push(self, caller: Caller, request: PushRequest) -> PushResult:
        """Store a client's calls, tickets and ticket events, idempotently, in one transaction."""
        results: list[ItemResult] = []
        with self.transaction() as db:
            tickets = self._ticket_units(db, [str(e.ticket_id) for e in request.ticket_events])
            # Locking the units first (in code order, so two pushes never deadlock) serialises
            # every writer of a unit: pushes, assignments and imports (PostgreSQL's row lock;
            # SQLite's one writer already does).
            homes = self._homes(
                db,
                {c.unit_code for c in request.calls}
                | {t.ticket.unit_code for t in request.tickets}
                | set(tickets.values())
                | {a.unit_code for e in request.events for a in e.attendees}
                | {m.unit_code for m in request.follow_ups_done},
                lock=True,
            )
            for call in request.calls:
                results.append(self._push_call(db, caller, call, homes.get(call.unit_code)))
            for update in request.tickets:
                home = homes.get(update.ticket.unit_code)
                results.append(self._push_ticket(db, caller, update, home))
            for event in request.ticket_events:
                results.append(self._push_event(db, caller, event))
            for gathering in request.events:
                results.append(self._push_gathering(db, caller, gathering, homes))
            # After the calls: a mark may arrive in the same push as the call it closes.
            for mark in request.follow_ups_done:
                home = homes.get(mark.unit_code)
                results.append(self._push_follow_up_done(db, caller, mark, home))
        return PushResult(items=results)

    def _push_gathering(
        self, db: Db, caller: Caller, event: Event, homes: dict[str, Home]
    ) -> ItemResult:
        """A seminar, training or visit: stored as one row per attending unit, so the feed
        scopes and moves each unit's part like a call. All units must be the caller's."""

        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind="event", id=event.id, status=status, reason=reason)

        unseen = [
            a.unit_code
            for a in event.attendees
            if (home := homes.get(a.unit_code)) is None or not _may_see(caller, home)
        ]
        if unseen:
            return result(ItemStatus.REJECTED, f"{NOT_FOUND}: {', '.join(unseen)}")
        stored = event.model_copy(update={"author": caller.id})
        parts = [(part, _json(part)) for part in stored.parts()]
        if all(self._body(db, "event", part.id) == body for part, body in parts):
            return result(ItemStatus.DUPLICATE)
        rows = []
        for part, body in parts:
            home = homes[part.unit_code]
            rows.append(("event", part.id, part.unit_code, home.center_code, home.owner, body))
        self._put(db, rows)
        return result(ItemStatus.ACCEPTED)

    def _push_call(self, db: Db, caller: Caller, call: Call, home: Home | None) -> ItemResult:
        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind="call", id=call.id, status=status, reason=reason)

        if home is None or not self._may_write(db, caller, home, call.unit_code, call.started_at):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        # The author is whoever holds the token, whatever the client wrote.
        stored = call.model_copy(update={"author": caller.id})
        body = self._body(db, "call", str(call.id))
        if body is not None:
            return result(*_again(Call.model_validate_json(body), stored, caller))
        self._put(
            db,
            [("call", str(call.id), call.unit_code, home.center_code, home.owner, _json(stored))],
        )
        return result(ItemStatus.ACCEPTED)

    def _push_follow_up_done(
        self, db: Db, caller: Caller, mark: FollowUpDone, home: Home | None
    ) -> ItemResult:
        """A promise marked done: stored like a call, and only for a call of the same unit."""

        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind="follow_up_done", id=mark.id, status=status, reason=reason)

        if home is None or not self._may_write(db, caller, home, mark.unit_code, mark.at):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        call = self._body(db, "call", str(mark.call_id))
        if call is None or Call.model_validate_json(call).unit_code != mark.unit_code:
            return result(ItemStatus.REJECTED, "call_id 该单位没有这次通话")
        stored = mark.model_copy(update={"author": caller.id})
        body = self._body(db, "follow_up_done", str(mark.id))
        if body is not None:
            return result(*_again(FollowUpDone.model_validate_json(body), stored, caller))
        key = str(mark.id)
        self._put(
            db,
            [("follow_up_done", key, mark.unit_code, home.center_code, home.owner, _json(stored))],
        )
        return result(ItemStatus.ACCEPTED)

    def _push_ticket(
        self, db: Db, caller: Caller, update: TicketUpdate, home: Home | None
    ) -> ItemResult:
        ticket = update.ticket

        def result(
            status: ItemStatus, reason: str = "", current: Ticket | None = None
        ) -> ItemResult:
            return ItemResult(
                kind="ticket", id=ticket.id, status=status, reason=reason, ticket=current
            )

        at = ticket.updated_at or ticket.created_at
        if home is None or not self._may_write(db, caller, home, ticket.unit_code, at):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        row = db.execute(
            "SELECT unit_code, version FROM tickets WHERE id = ?", [str(ticket.id)]
        ).fetchone()
        if row is None:
            version = 1
            ticket = ticket.model_copy(update={"author": caller.id})
        else:
            if row[0] != ticket.unit_code:
                # Someone else's ticket id answers like an unknown unit: no existence oracle.
                theirs = self._homes(db, [row[0]]).get(row[0])
                if theirs is None or not self._may_write(db, caller, theirs, row[0], at):
                    return result(ItemStatus.REJECTED, NOT_FOUND)
                return result(ItemStatus.REJECTED, "unit_code 工单所属单位不能修改")
            body = self._body(db, "ticket", str(ticket.id))
            assert body is not None, "a ticket row without its record"
            current = Ticket.model_validate_json(body)
            # A ticket stays its creator's; who changed it is in the events, each its pusher's.
            ticket = ticket.model_copy(update={"author": current.author})
            if _same_ticket(current, ticket):
                return result(ItemStatus.DUPLICATE, current=current)
            if update.base_version != row[1]:
                return result(ItemStatus.CONFLICT, "工单已在中心被修改", current)
            version = int(row[1]) + 1
        stored = _stored_ticket(ticket, version)
        self._put_ticket(db, str(ticket.id), ticket.unit_code, version)
        self._put(
            db,
            [
                (
                    "ticket",
                    str(ticket.id),
                    ticket.unit_code,
                    home.center_code,
                    home.owner,
                    _json(stored),
                )
            ],
        )
        return result(ItemStatus.ACCEPTED, current=stored)

    def _push_event(self, db: Db, caller: Caller, event: TicketEvent) -> ItemResult:
        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind="ticket_event", id=event.id, status=status, reason=reason)

        unit_code = self._ticket_units(db, [str(event.ticket_id)]).get(str(event.ticket_id))
        home = self._homes(db, [unit_code]).get(unit_code) if unit_code else None
        if (
            unit_code is None
            or home is None
            or not self._may_write(db, caller, home, unit_code, event.at)
        ):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        stored = event.model_copy(update={"author": caller.id})
        body = self._body(db, "ticket_event", str(event.id))
        if body is not None:
            return result(*_again(TicketEvent.model_validate_json(body), stored, caller))
        self._put(
            db,
            [
                (
                    "ticket_event",
                    str(event.id),
                    unit_code,
                    home.center_code,
                    home.owner,
                    _json(stored),
                )
            ],
        )
        return result(ItemStatus.ACCEPTED)

    def _may_write(self, db: Db, caller: Caller, home: Home, unit_code: str, at: datetime) -> bool:
        """The unit is the caller's now, or was when the record was made (it is history then)."""
        if _may_see(caller, home):
            return True
        row = db.execute(
            "SELECT until FROM former_owners WHERE unit_code = ? AND specialist_id = ?",
            [unit_code, caller.id],
        ).fetchone()
        return row is not None and at <= datetime.fromisoformat(row[0])

    def _body(self, db: Db, kind: str, key: str) -> str | None:
        """A stored record's JSON, read inside the push's transaction."""
        row = db.execute(
            "SELECT body FROM changes WHERE kind = ? AND key = ? AND audience = '*' "
            "AND op = 'upsert'",
            [kind, key],
        ).fetchone()
        return None if row is None else str(row[0])

    def _put(
        self,
        db: Db,
        rows: Sequence[tuple[str, str, str | None, str, str | None, str | None]],
        *,
        op: str = "upsert",
        audience: str = EVERYONE,
    ) -> None:
        """Write (kind, key, unit, center, owner, body) rows at fresh feed positions."""
        db.executemany(
            self._db.upsert_change,
            [
                (kind, key, audience, op, unit, center, owner, body)
                for kind, key, unit, center, owner, body in rows
            ],
        )

    def _put_ticket(self, db: Db, ticket_id: str, unit_code: str, version: int) -> None:
        db.execute(
            "INSERT INTO tickets (id, unit_code, version) VALUES (?, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET unit_code = excluded.unit_code, version = excluded.version",
            [ticket_id, unit_code, version],
        )


def _chunked(items: Iterable[_T]) -> Iterator[list[_T]]:
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == _WRITE_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _center_for_area(centers: list[tuple[str, list[str]]], area_code: str) -> str:
    for code, areas in centers:
        if area_code and area_code in areas:
            return code
    if len(centers) == 1:
        return centers[0][0]
    raise StoreError(f"没有服务中心覆盖区域代码 {area_code!r}")


def _again(
    stored: Call | TicketEvent | FollowUpDone,
    pushed: Call | TicketEvent | FollowUpDone,
    caller: Caller,
) -> tuple[ItemStatus, str]:
    """The answer to an id pushed again: the same record, a clash, or someone else's id."""
    if stored.author != caller.id:
        return ItemStatus.REJECTED, NOT_FOUND  # answers like an unknown one: no oracle
    if stored.model_dump() == pushed.model_dump():
        return ItemStatus.DUPLICATE, ""
    return ItemStatus.REJECTED, "id 已用于另一条内容不同的记录"


def _may_see(caller: Caller, home: Home) -> bool:
    if caller.role is Role.PROVINCE:
        return True
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
