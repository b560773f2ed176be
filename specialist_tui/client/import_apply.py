"""Writing a batch into the local cache: one transaction, upsert by key, flags made current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from specialist_tui.client.cache import Cache
from specialist_tui.client.cache.stored import stored_rows
from specialist_tui.domain.models import Record
from specialist_tui.domain.policy import Policy
from specialist_tui.importer.batch import ImportBatch, record_key
from specialist_tui.importer.headers import Kind

# Units first: filings and orders are attributed to units when the facts are refreshed.
_TABLES = ((Kind.UNITS, "units"), (Kind.FILINGS, "filings"), (Kind.ORDERS, "orders"))


@dataclass(frozen=True, slots=True)
class Applied:
    units: int
    filings: int
    orders: int
    refreshed_units: int


def apply_batch(cache: Cache, batch: ImportBatch, policy: Policy, today: date) -> Applied:
    """Upsert the batch's records and refresh the touched units, all or nothing.

    A column a file does not have keeps the stored value (a units file without 专员 does not
    unassign units); a column it has but leaves empty clears the value.
    """
    touched: set[str] = set()
    with cache.transaction():
        for kind, table in _TABLES:
            records = batch.of(kind)
            if not records:
                continue
            rows = _merged_rows(cache, kind, table, records)
            written = cache.write_rows(table, rows)
            touched.update(cache.units_of(table, written))
        cache.refresh_units(sorted(touched), policy, today)
    return Applied(len(batch.units), len(batch.filings), len(batch.orders), len(touched))


def _merged_rows(cache: Cache, kind: Kind, table: str, records: list[Any]) -> list[dict[str, Any]]:
    stored = stored_rows(cache, table, [record_key(kind, r) for r in records])
    rows = []
    for record in records:
        row = _dump(record)
        before = stored.get(record_key(kind, record))
        if before is not None:
            for name in type(record).model_fields.keys() - record.model_fields_set:
                if name in before:
                    row[name] = before[name]
        rows.append(row)
    return rows


def _dump(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")
