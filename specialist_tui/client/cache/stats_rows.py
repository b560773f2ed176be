"""A unit's stored facts read back: the facts the rules take, and the row the list shows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    LetterStatus,
    Level,
    UnionMode,
)
from specialist_tui.domain.facts import UnitFacts


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# Enum lookups by value without Enum.__call__: evaluation builds 100k facts at a time.
_LEVEL = {m.value: m for m in Level}
_FILING = {m.value: m for m in FilingStatus}
_CANTEEN = {m.value: m for m in CanteenMode}
_UNION = {m.value: m for m in UnionMode}
_LETTER = {m.value: m for m in LetterStatus}


def facts_from_row(row: Sequence[Any]) -> UnitFacts:
    return UnitFacts(
        code=row[0],
        level=_LEVEL[row[1]],
        area_code=row[2] or "",
        staff_count=row[3] or 0,
        filing_status=_FILING[row[4]],
        canteen_mode=_CANTEEN[row[5]] if row[5] else None,
        union_mode=_UNION[row[6]] if row[6] else None,
        canteen_total=row[7],
        canteen_reserved=row[8],
        contract_clause=bool(row[9]),
        executor=row[10] or "",
        executor_account_opened=bool(row[11]),
        representative_code=row[12],
        representative_status=_FILING[row[13]] if row[13] else None,
        no_canteen_letter=_LETTER[row[14]],
        union_total=row[15],
        union_reserved=row[16],
        decline_explained=bool(row[17]),
        prev_canteen_total=row[18],
        prev_canteen_reserved=row[19],
        prev_union_reserved=row[20],
        completed_canteen=row[21],
        completed_union=row[22],
        completed_staff=row[23],
        union_staff_spend=row[24],
        unpaid_count=row[25],
        unpaid_fen=row[26],
        unpaid_oldest_on=_date(row[27]),
        stray_area_count=row[28],
        open_count=row[29],
        open_fen=row[30],
        next_follow_up=_date(row[31]),
        ticket_due_on=_date(row[32]),
        active_tickets=row[33],
    )
