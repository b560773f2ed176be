"""What the rules know about one unit, and what they say about it.

UnitFacts holds the figures known as of one day (sums, counts, the oldest unpaid date): the
cache keeps today's current as data changes, and computes them again for another day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    LetterStatus,
    Level,
    Severity,
    UnionMode,
)


@dataclass(slots=True)
class UnitFacts:
    code: str
    level: Level
    area_code: str = ""
    staff_count: int = 0
    # This year's filing.
    filing_status: FilingStatus = FilingStatus.NOT_STARTED
    submitted_on: date | None = None
    confirmed_on: date | None = None
    canteen_mode: CanteenMode | None = None
    union_mode: UnionMode | None = None
    canteen_total: int = 0
    canteen_reserved: int = 0
    contract_clause: bool = False
    executor: str = ""
    executor_account_opened: bool = False
    representative_code: str | None = None
    representative_status: FilingStatus | None = None
    no_canteen_letter: LetterStatus = LetterStatus.NOT_REQUIRED
    union_total: int = 0
    union_reserved: int = 0
    decline_explained: bool = False
    # Last year's filing, when there was one.
    prev_canteen_total: int | None = None
    prev_canteen_reserved: int | None = None
    prev_union_total: int | None = None
    prev_union_reserved: int | None = None
    # This year's orders.
    completed_canteen: int = 0
    completed_union: int = 0
    completed_staff: int = 0
    union_spend: int = 0  # the union's own purchases, not staff members' (R12)
    unpaid_count: int = 0
    unpaid_fen: int = 0
    unpaid_oldest_on: date | None = None
    area_missing_count: int = 0
    area_wrong_count: int = 0
    order_count: int = 0
    open_count: int = 0
    open_fen: int = 0
    # The specialist's own promises.
    next_follow_up: date | None = None  # the earliest open promise
    open_promises: int = 0
    ticket_due_on: date | None = None
    active_tickets: int = 0

    @property
    def reserved_total(self) -> int:
        return self.canteen_reserved + self.union_reserved

    @property
    def completed_total(self) -> int:
        return self.completed_canteen + self.completed_union + self.completed_staff


@dataclass(frozen=True, slots=True)
class Flag:
    """One rule's verdict on a unit: the id, how bad, a short label and a one-line reason."""

    rule: str
    severity: Severity
    label: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "label": self.label,
            "reason": self.reason,
        }
