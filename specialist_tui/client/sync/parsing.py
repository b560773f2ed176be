"""Parsing one pulled page: validate it whole against the wire models, then make storage rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from specialist_tui.client.cache import sync_state as state
from specialist_tui.client.cache.store import storage_rows
from specialist_tui.client.sync.errors import SyncError
from specialist_tui.wire import KIND_TABLES, ChangesPage, Op

_PAGE = TypeAdapter(ChangesPage)
_DUMPERS: dict[type[BaseModel], TypeAdapter[list[Any]]] = {}


@dataclass
class Parsed:
    page: state.Page
    has_more: bool
    cursor: str


def parse(content: bytes) -> Parsed:
    """Validate a whole page against the wire models, then turn it into storage rows."""
    try:
        page = _PAGE.validate_json(content)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SyncError(f"同步中心返回的数据无效（{where}：{first['msg']}）") from None
    models: dict[str, list[BaseModel]] = defaultdict(list)
    deletes: list[tuple[str, str]] = []
    for change in page.changes:
        table = KIND_TABLES[change.kind]
        if change.op is Op.DELETE or change.record is None:
            deletes.append((table, change.key))
        else:
            models[table].append(change.record)
    upserts = {table: _dump(records) for table, records in models.items()}
    for table, rows in upserts.items():
        if table != "units":
            upserts[table] = storage_rows(table, rows)
    for row in upserts.get("tickets", []):
        row.pop("events", None)
    return Parsed(state.Page(upserts, deletes, page.next_cursor), page.has_more, page.next_cursor)


def _dump(records: list[BaseModel]) -> list[dict[str, Any]]:
    """Storage rows of same-typed records, dumped in one call (much faster than one by one)."""
    kind = type(records[0])
    dumper = _DUMPERS.get(kind)
    if dumper is None:
        dumper = _DUMPERS[kind] = TypeAdapter(list[kind])  # type: ignore[valid-type]
    rows: list[dict[str, Any]] = dumper.dump_python(records, mode="json")
    return rows
