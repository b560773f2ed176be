"""Stored rows looked up by their keys, so an import can keep what a file does not mention."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from specialist_tui.client.cache.storage_form import Row, chunks
from specialist_tui.client.cache.store import Cache

# The key each importable table is upserted by.
KEYS: dict[str, tuple[str, ...]] = {
    "units": ("code",),
    "filings": ("unit_code", "year"),
    "orders": ("id",),
}


def stored_rows(
    cache: Cache, table: str, keys: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Row]:
    """The stored rows of ``table`` with these keys, by key; keys not stored are left out."""
    columns = KEYS[table]
    found: dict[tuple[Any, ...], Row] = {}
    firsts = sorted({key[0] for key in keys})
    for chunk in chunks(firsts):
        marks = ", ".join("?" for _ in chunk)
        for row in cache.rows(f"SELECT * FROM {table} WHERE {columns[0]} IN ({marks})", chunk):
            found[tuple(row[c] for c in columns)] = row
    wanted = set(keys)
    return {key: row for key, row in found.items() if key in wanted}


def specialist_names(cache: Cache) -> dict[str, str]:
    """Specialist id -> name, for lists that show who looks after a unit."""
    return {row["id"]: row["name"] for row in cache.rows("SELECT id, name FROM specialists")}


def unit_names(cache: Cache, codes: Sequence[str]) -> dict[str, str]:
    """Unit code -> name for these codes (codes not stored are left out)."""
    names: dict[str, str] = {}
    for chunk in chunks(sorted(set(codes))):
        marks = ", ".join("?" for _ in chunk)
        for row in cache.rows(f"SELECT code, name FROM units WHERE code IN ({marks})", chunk):
            names[row["code"]] = row["name"]
    return names
