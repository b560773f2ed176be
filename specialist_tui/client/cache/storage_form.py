"""Rows in the form the cache stores them: JSON columns as text, units with their search keys.

Pure (no database), so the sync's parse worker can make storage rows in its own process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from pydantic import BaseModel

from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.search import pinyin_keys, search_text

Row = dict[str, Any]


def now_iso() -> str:
    """The current time in Beijing as ISO text to the second, for stamps kept in the cache."""
    return datetime.now(BEIJING).isoformat(timespec="seconds")


# SQLite allows 999 parameters in a statement: lists of keys go in chunks below that.
CHUNK = 900


def chunks(keys: Sequence[str]) -> Iterator[list[str]]:
    """Keys in lists short enough for one ``IN (?, ...)``."""
    for start in range(0, len(keys), CHUNK):
        yield list(keys[start : start + CHUNK])


# Columns stored as JSON text.
_JSON_COLUMNS = {
    "units": ("contacts",),
    "centers": ("area_codes",),
    "calls": ("topics",),
    "event_attendance": ("specialists",),
}


def storage_rows(table: str, rows: Iterable[Row | BaseModel]) -> list[Row]:
    """Rows as stored: JSON columns as text, units with their search keys. Pure, no database."""
    plain = table not in _JSON_COLUMNS
    prepared = [row if plain and isinstance(row, dict) else storage_row(table, row) for row in rows]
    if table == "units":
        prepared = [_with_search_keys(dict(row)) for row in prepared]
    return prepared


def parameters(rows: list[Row], columns: list[str]) -> list[tuple[Any, ...]]:
    """Rows as executemany parameters, in column order; a missing optional column is NULL."""
    # itemgetter is the cheapest way to 2 million tuples (a first sync's orders), when every
    # row carries every column, as dumped models and demo rows do; otherwise fall back to get.
    try:
        values = itemgetter(*columns)
        return [values(row) for row in rows]
    except KeyError:
        return [tuple(map(row.get, columns)) for row in rows]


def storage_row(table: str, row: Row | BaseModel) -> Row:
    data = row.model_dump(mode="json") if isinstance(row, BaseModel) else dict(row)
    data.pop("events", None)
    for column in _JSON_COLUMNS.get(table, ()):
        value = data.get(column)
        if value is not None and not isinstance(value, str):
            data[column] = json.dumps(value, ensure_ascii=False)
    return data


def _with_search_keys(row: Row) -> Row:
    name_full, name_initials = pinyin_keys(row["name"])
    supervisor = row.get("supervisor_name") or ""
    sup_full, sup_initials = pinyin_keys(supervisor) if supervisor else ("", "")
    row.update(
        name_pinyin=name_full,
        name_initials=name_initials,
        supervisor_pinyin=sup_full,
        supervisor_initials=sup_initials,
        search=search_text(
            row["name"],
            row["code"],
            supervisor,
            row.get("area_code") or "",
            name_full,
            name_initials,
            sup_full,
            sup_initials,
        ),
    )
    return row
