"""A unit's stored facts read back: the facts the rules take, and its verdict to store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from json.encoder import encode_basestring
from typing import Any

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    LetterStatus,
    Level,
    UnionMode,
)
from specialist_tui.domain.facts import Flag, OrderRef, UnitFacts
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules import evaluate, flag_mask, record_mask
from specialist_tui.domain.triage import next_due, triage_score


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
        submitted_on=_date(row[5]),
        confirmed_on=_date(row[6]),
        canteen_mode=_CANTEEN[row[7]] if row[7] else None,
        union_mode=_UNION[row[8]] if row[8] else None,
        canteen_total=row[9],
        canteen_reserved=row[10],
        contract_clause=bool(row[11]),
        executor=row[12] or "",
        executor_account_opened=bool(row[13]),
        representative_code=row[14],
        representative_status=_FILING[row[15]] if row[15] else None,
        no_canteen_letter=_LETTER[row[16]],
        union_total=row[17],
        union_reserved=row[18],
        decline_explained=bool(row[19]),
        prev_canteen_total=row[20],
        prev_canteen_reserved=row[21],
        prev_union_total=row[22],
        prev_union_reserved=row[23],
        completed_canteen=row[24],
        completed_union=row[25],
        completed_staff=row[26],
        union_spend=row[27],
        unpaid_count=row[28],
        unpaid_fen=row[29],
        unpaid_oldest_on=_date(row[30]),
        area_missing_count=row[31],
        area_wrong_count=row[32],
        order_count=row[33],
        open_count=row[34],
        open_fen=row[35],
        next_follow_up=_date(row[36]),
        open_promises=row[37],
        ticket_due_on=_date(row[38]),
        active_tickets=row[39],
        letter_mark=_LETTER[row[40]] if row[40] else None,
        letter_mark_seen=_LETTER[row[41]] if row[41] else None,
        letter_marked_on=_date(row[42]),
        canteen_orders=_order_refs(row[43]),
    )


def _order_refs(value: str | None) -> tuple[OrderRef, ...]:
    """The JSON list of [id, placed day, fen] the facts SQL builds, as OrderRefs."""
    if not value:
        return ()
    return tuple(OrderRef(str(i), date.fromisoformat(d), int(a)) for i, d, a in json.loads(value))


def flags_text(flags: Sequence[Flag]) -> str:
    """The flags as stored: the text json.dumps([f.as_dict() ...], ensure_ascii=False) writes,
    put together from the encoded strings, at a third of its cost for 100k units a day."""
    return (
        "["
        + ", ".join(
            f'{{"rule": {encode_basestring(f.rule)}, "severity": '
            f'{encode_basestring(f.severity.value)}, "label": {encode_basestring(f.label)}, '
            f'"reason": {encode_basestring(f.reason)}}}'
            for f in flags
        )
        + "]"
    )


# What is stored of a unit's verdict: flags (JSON), mask, score, due day, and the unit's code.
VerdictUpdate = tuple[str, int, int, str | None, str]


def verdict_updates(
    rows: Sequence[Sequence[Any]], policy: Policy, today: date
) -> tuple[int, list[VerdictUpdate]]:
    """The rules over rows of EVALUATE_COLUMNS (the stored verdict last): how many units were
    judged, and the verdicts that differ from the stored ones."""
    updates = []
    for row in rows:
        facts = facts_from_row(row)
        flags = evaluate(facts, policy, today)
        flags_json = flags_text(flags)
        due = next_due(facts, policy, today)
        due_text = due.isoformat() if due else None
        score = triage_score(flags)
        mask = flag_mask(flags) | record_mask(facts, policy)
        if (flags_json, mask, score, due_text) != tuple(row[-4:]):
            updates.append((flags_json, mask, score, due_text, facts.code))
    return len(rows), updates
