"""Moving a hub to another database (`hub migrate`): every table dumped and loaded as it is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specialist_tui.hub.store_core import StoreCore

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


class Copying(StoreCore):
    """Dumping a hub's tables and loading them into an empty one, positions and all."""

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
