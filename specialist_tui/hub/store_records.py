"""Units and their records as the admin paths write them (seed, import, assign, delete)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from specialist_tui.domain.fields import now_beijing
from specialist_tui.domain.models import (
    Call,
    Filing,
    LetterMark,
    Order,
    Ticket,
    TicketEvent,
    Unit,
)
from specialist_tui.hub.backend import Db
from specialist_tui.hub.store_core import (
    FeedRow,
    StoreCore,
    StoreError,
    as_json,
    chunked,
    stored_ticket,
)
from specialist_tui.wire import filing_key


class Records(StoreCore):
    """Units and their records: bulk writes in chunks, moves between specialists, counts."""

    def _centers(self, db: Db) -> list[tuple[str, list[str]]]:
        rows = db.execute("SELECT code, area_codes FROM centers ORDER BY code").fetchall()
        return [(str(code), json.loads(areas)) for code, areas in rows]

    def _specialist_center(self, db: Db, specialist_id: str) -> str | None:
        row = db.execute(
            "SELECT center_code FROM specialists WHERE id = ?", [specialist_id]
        ).fetchone()
        return str(row[0]) if row else None

    def upsert_units(self, units: Iterable[Unit]) -> None:
        """Add or replace units; each joins the center covering its area code.

        A unit given without a specialist keeps the specialist it already has. Units may come
        from a generator: they are written in chunks inside the one transaction.
        """
        with self.transaction() as db:
            centers = self._centers(db)
            known: dict[str, bool] = {}
            for chunk in chunked(units):
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
        changes: list[FeedRow] = []
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
            changes.append(("unit", unit.code, unit.code, center, owner, as_json(unit)))
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

    def upsert_records(
        self,
        kind: str,
        records: Iterable[Filing | Order | Call | Ticket | TicketEvent | LetterMark],
    ) -> None:
        """Add or replace records of a unit (admin paths: seed, import); all units must exist.

        Records may come from a generator: they are written in chunks inside the one
        transaction, so memory stays bounded whatever the size of an import.
        """
        with self.transaction() as db:
            for chunk in chunked(records):
                self._upsert_chunk(db, kind, chunk)

    def _upsert_chunk(
        self,
        db: Db,
        kind: str,
        records: Sequence[Filing | Order | Call | Ticket | TicketEvent | LetterMark],
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
                record = stored_ticket(record, record.version)
                self._put_ticket(db, key, record.unit_code, record.version)
            rows.append((kind, key, unit_code, home.center_code, home.owner, as_json(record)))
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
        # Sorted here, not by ORDER BY: asked to order by position, SQLite read the whole
        # audience index to skip a sort (46 s for 3,000 units of a 6,000-unit hub).
        rows = [
            r[2:]
            for r in sorted(
                db.execute(
                    "SELECT txid, seq, kind, key, op, body FROM changes "
                    "WHERE unit_code = ? AND audience = '*'",
                    [code],
                ).fetchall()
            )
        ]
        db.execute("DELETE FROM changes WHERE unit_code = ? AND audience = '*'", [code])
        if new is not None:  # the unit is theirs again: their old revoke row must not win
            db.execute(
                "DELETE FROM changes WHERE kind = 'unit' AND key = ? AND audience = ?", [code, new]
            )
        moved = []
        for kind, key, op, body in rows:
            if kind == "unit":
                body = Unit.model_validate_json(body).model_copy(update={"specialist_id": new})
                body = as_json(body)
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


def _center_for_area(centers: list[tuple[str, list[str]]], area_code: str) -> str:
    for code, areas in centers:
        if area_code and area_code in areas:
            return code
    if len(centers) == 1:
        return centers[0][0]
    raise StoreError(f"没有服务中心覆盖区域代码 {area_code!r}")


def _key(record: BaseModel) -> str:
    if isinstance(record, Filing):
        return filing_key(record.unit_code, record.year)
    return str(getattr(record, "id"))  # noqa: B009 - every other record kind has an id
