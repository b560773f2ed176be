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
from specialist_tui.domain.letter_state import combined_letter


@dataclass(frozen=True, slots=True)
class OrderRef:
    """One order named in a reason: its number, the day it was placed, its amount in fen."""

    id: str
    placed_on: date
    amount: int


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
    no_canteen_letter: LetterStatus = LetterStatus.NOT_REQUIRED  # the platform's word
    # The specialist's latest mark of the letter known on the day, and the platform status
    # it was made against (domain.letter_state combines them).
    letter_mark: LetterStatus | None = None
    letter_mark_seen: LetterStatus | None = None
    letter_marked_on: date | None = None
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
    # Canteen-part orders of a unit that declared no canteen (the 承诺不实 risk), else empty.
    canteen_orders: tuple[OrderRef, ...] = ()
    # The specialist's own promises.
    next_follow_up: date | None = None  # the earliest open promise
    open_promises: int = 0
    ticket_due_on: date | None = None
    active_tickets: int = 0

    @property
    def letter(self) -> LetterStatus:
        """The no-canteen letter's state: the platform's status and the specialist's mark."""
        return combined_letter(self.no_canteen_letter, self.letter_mark, self.letter_mark_seen)

    @property
    def letter_from_mark(self) -> bool:
        """Whether the letter's state is the specialist's mark (not the platform's status)."""
        return self.letter_mark is not None and self.letter is self.letter_mark

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
