"""The hub's directory: centers, specialists and their tokens."""

from __future__ import annotations

import json
from typing import Any

from specialist_tui.domain.models import Center, Specialist
from specialist_tui.hub.backend import Db
from specialist_tui.hub.store_core import (
    TOKEN_COLUMNS,
    StoreCore,
    StoreError,
    TokenRecord,
    as_json,
    token_row,
)


class Directory(StoreCore):
    """Centers and specialists: added by the admin commands, read by the token check."""

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
        self._put(db, [("center", center.code, None, center.code, None, as_json(center))])

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
                        as_json(specialist),
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
                f"SELECT {TOKEN_COLUMNS} FROM specialists WHERE token_id = ?", [token_id]
            ).fetchone()
        return None if row is None else token_row(row)

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
