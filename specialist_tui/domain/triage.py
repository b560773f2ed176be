"""The triage order: worst flags first, then whatever falls due soonest."""

from __future__ import annotations

from datetime import date

from specialist_tui.domain.enums import FilingStatus
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.policy import Policy


def triage_score(flags: list[Flag]) -> int:
    """A unit's score: its flags' severity weights added, so one critical outranks nine highs."""
    return sum(flag.severity.weight for flag in flags)


def next_due(facts: UnitFacts, policy: Policy, today: date) -> date | None:
    """The nearest date by which something is owed for this unit (past dates included)."""
    candidates = [d for d in (facts.next_follow_up, facts.ticket_due_on) if d is not None]
    if not facts.filing_status.is_filed:
        candidates.append(policy.deadlines.filing or policy.year_end)
    elif facts.filing_status is FilingStatus.SUBMITTED and policy.deadlines.confirmation:
        candidates.append(policy.deadlines.confirmation)
    if facts.reserved_total > facts.completed_total or facts.open_count:
        candidates.append(policy.year_end)
    return min(candidates) if candidates else None
