"""Stored rows back into the domain's records and the list's read models.

The one place that knows how a table's columns map onto a model: JSON text columns are decoded,
columns a model does not have (search keys, sync bookkeeping) are left out.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from specialist_tui.client.read_models import UnitRow
from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    Level,
    Severity,
    UnionMode,
)
from specialist_tui.domain.facts import Flag
from specialist_tui.domain.finance_office import finance_office_code

if TYPE_CHECKING:
    from specialist_tui.client.cache.storage_form import Row

M = TypeVar("M", bound=BaseModel)

# Columns stored as JSON text, by the model field they hold.
_JSON_FIELDS = ("contacts", "topics", "area_codes")


def record(model: type[M], row: Row) -> M:
    """The domain record a stored row holds (validated, so enums and moments are typed).

    A NULL column takes the model's default (an empty text, a false flag, no date).
    """
    data: dict[str, Any] = {}
    for name in model.model_fields:
        value = row.get(name)
        if value is None:
            continue
        if name in _JSON_FIELDS and isinstance(value, str):
            value = json.loads(value or "[]")
        data[name] = value
    return model.model_validate(data)


# Enum lookups by value without Enum.__call__: an export builds 100k rows at a time.
_LEVEL = {m.value: m for m in Level}
_FILING = {m.value: m for m in FilingStatus}
_CANTEEN = {m.value: m for m in CanteenMode}
_UNION = {m.value: m for m in UnionMode}
_SEVERITY = {m.value: m for m in Severity}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def unit_row(row: Row, today: date) -> UnitRow:
    """A list row from units u joined with unit_stats s (``u.*`` and ``s.*`` in one row)."""
    oldest = _day(row["unpaid_oldest_on"])
    canteen_mode, union_mode = row["canteen_mode"], row["union_mode"]
    return UnitRow(
        code=row["code"],
        name=row["name"],
        supervisor=row["supervisor_name"] or "",
        supervisor_code=row["supervisor_code"],
        level=_LEVEL[row["level"]],
        division_code=row["division_code"],
        area_code=row["area_code"] or "",
        specialist_id=row["specialist_id"],
        contacts_json=row["contacts"] or "[]",
        staff_count=row["staff_count"],
        finance_office=finance_office_code(_LEVEL[row["level"]], row["division_code"]),
        filing_status=_FILING[row["filing_status"]],
        submitted_on=_day(row["submitted_on"]),
        confirmed_on=_day(row["confirmed_on"]),
        canteen_mode=_CANTEEN[canteen_mode] if canteen_mode else None,
        representative_code=row["representative_code"],
        canteen_total_fen=row["canteen_total"],
        canteen_reserved_fen=row["canteen_reserved"],
        union_mode=_UNION[union_mode] if union_mode else None,
        union_total_fen=row["union_total"],
        union_reserved_fen=row["union_reserved"],
        reserved_fen=row["canteen_reserved"] + row["union_reserved"],
        completed_canteen_fen=row["completed_canteen"],
        completed_union_fen=row["completed_union"],
        completed_staff_fen=row["completed_staff"],
        completed_fen=row["completed_canteen"] + row["completed_union"] + row["completed_staff"],
        unpaid_count=row["unpaid_count"],
        unpaid_fen=row["unpaid_fen"],
        unpaid_oldest_days=max(0, (today - oldest).days) if oldest else None,
        open_count=row["open_count"],
        last_call_at=row["last_call_at"],
        next_follow_up=_day(row["next_follow_up"]),
        active_tickets=row["active_tickets"],
        flag_mask=row["flag_mask"],
        trained=bool(row.get("trained")),
        score=row["score"],
        due_on=_day(row["due_on"]),
        # Stored by Flag.as_dict when the rules ran: the {rule, severity, label, reason} list.
        flags=tuple(
            Flag(f["rule"], _SEVERITY[f["severity"]], f["label"], f["reason"])
            for f in json.loads(row["flags"] or "[]")
        ),
    )
