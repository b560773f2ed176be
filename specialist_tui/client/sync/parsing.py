"""Parsing one pulled page: validate it whole against the wire models, then make storage rows."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from specialist_tui.client.cache import sync_state as state
from specialist_tui.client.cache.storage_form import storage_rows
from specialist_tui.client.sync.errors import SyncError
from specialist_tui.wire import KIND_TABLES, Change, ChangesPage, Op

_PAGE = TypeAdapter(ChangesPage)
_DUMPERS: dict[type[BaseModel], TypeAdapter[list[Any]]] = {}


@dataclass
class Parsed:
    page: state.Page
    has_more: bool
    cursor: str


def parse(content: bytes) -> Parsed:
    """Validate a whole page against the wire models, then turn it into storage rows."""
    skipped: list[str] = []
    try:
        page = _PAGE.validate_json(content)
    except ValidationError:
        page, skipped = _salvage(content)
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
    parsed = state.Page(upserts, deletes, page.next_cursor, skipped)
    return Parsed(parsed, page.has_more, page.next_cursor)


def _salvage(content: bytes) -> tuple[ChangesPage, list[str]]:
    """The page with the changes this client cannot take left out, and why each was.

    One record the hub took but a client cannot (an older hub, or one that let it through) must
    not stop every later sync: it is skipped, and the cursor moves past it.
    """
    try:
        envelope = _LOOSE_PAGE.validate_json(content)
    except ValidationError as exc:
        raise SyncError(f"同步中心返回的数据无效（{_first(exc)}）") from None
    changes: list[Any] = []
    skipped: list[str] = []
    for raw in envelope.changes:
        try:
            changes.append(_CHANGE.validate_json(json.dumps(raw)))
        except ValidationError as exc:
            kind, key = (raw.get("kind"), raw.get("key")) if isinstance(raw, dict) else (None, None)
            skipped.append(f"{kind} {key}: {_first(exc)}")
    page = ChangesPage(
        changes=changes, next_cursor=envelope.next_cursor, has_more=envelope.has_more
    )
    return page, skipped


def _first(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return ".".join(str(p) for p in first["loc"]) + f"：{first['msg']}"


class _LoosePage(BaseModel):
    """A page's envelope, its changes not yet validated."""

    changes: list[Any]
    next_cursor: str
    has_more: bool


_LOOSE_PAGE = TypeAdapter(_LoosePage)
_CHANGE: TypeAdapter[Any] = TypeAdapter(Change)


def _dump(records: list[BaseModel]) -> list[dict[str, Any]]:
    """Storage rows of same-typed records, dumped in one call (much faster than one by one)."""
    kind = type(records[0])
    dumper = _DUMPERS.get(kind)
    if dumper is None:
        dumper = _DUMPERS[kind] = TypeAdapter(list[kind])  # type: ignore[valid-type]
    rows: list[dict[str, Any]] = dumper.dump_python(records, mode="json")
    return rows
