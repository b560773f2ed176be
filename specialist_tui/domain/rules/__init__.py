"""The rule registry: R1–R15 of the notice, each one object (see base.Rule), as of a day.

"Today" is always a parameter: nothing here reads the clock. A rule's check returns a Flag with
a Chinese reason that carries its numbers, or None when the unit is fine on that rule.
"""

from __future__ import annotations

from datetime import date

from specialist_tui.domain.enums import FilingStatus
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules.base import Note, Rule, Said
from specialist_tui.domain.rules.commitment import R15
from specialist_tui.domain.rules.filing import (
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    days_late,
    filing_state,
)
from specialist_tui.domain.rules.purchasing import R9, R10, R11, R12, R13, R14

__all__ = [
    "LATE_CONFIRMATION_BIT",
    "LATE_FILING_BIT",
    "RULES",
    "RULE_BITS",
    "Note",
    "Rule",
    "Said",
    "evaluate",
    "filing_state",
    "flag_mask",
    "record_mask",
]

RULES: dict[str, Rule] = {
    rule.id: rule for rule in (R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15)
}

RULE_BITS: dict[str, int] = {rule: 1 << number for number, rule in enumerate(RULES, start=1)}

# Lateness is recorded for the year-end 考评, not flagged for follow-up: its bits share the
# cache's mask column with the flags' but never add to a unit's score.
LATE_FILING_BIT = 1 << (len(RULES) + 1)
LATE_CONFIRMATION_BIT = LATE_FILING_BIT << 1


# The checks in rule order, looked up once: evaluate runs for 100k units on a new day.
_CHECKS = tuple(rule.check for rule in RULES.values())


def _worst_first(flag: Flag) -> int:
    return -flag.severity.weight


def evaluate(facts: UnitFacts, policy: Policy, today: date) -> list[Flag]:
    """Every flag the rules raise for one unit on ``today``, worst first, then in rule order."""
    flags = []
    for check in _CHECKS:
        flag = check(facts, policy, today)
        if flag is not None:
            flags.append(flag)
    flags.sort(key=_worst_first)  # stable: rule order breaks ties
    return flags


def flag_mask(flags: list[Flag]) -> int:
    """The flags as a bit set (R1 is bit 1), for the cache's view queries."""
    mask = 0
    for flag in flags:
        mask |= RULE_BITS[flag.rule]
    return mask


def record_mask(facts: UnitFacts, policy: Policy) -> int:
    """The lateness bits of a unit: filed after the filing deadline, confirmed after its date."""
    status = facts.filing_status
    late = status.is_filed and days_late(facts.submitted_on, policy.deadlines.filing)
    mask = LATE_FILING_BIT if late else 0
    if status is FilingStatus.CONFIRMED and days_late(
        facts.confirmed_on, policy.deadlines.confirmation
    ):
        mask |= LATE_CONFIRMATION_BIT
    return mask
