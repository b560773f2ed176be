"""What a rule is: one object holding its id, names, notice clause, check and all-clear sentence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from specialist_tui.domain.enums import Severity
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class Note:
    """A rule's word on a unit it cannot judge or only advises on: said, but never a ✓."""

    sentence: str


# What a rule says about a unit it does not flag: a true all-clear sentence, a Note, or None
# when the rule does not concern the unit at all.
Said = str | Note | None
Check = Callable[[UnitFacts, Policy, date], Flag | None]
Met = Callable[[UnitFacts, Policy, date], Said]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    label: str  # the flag's usual short name (it names the problem)
    title: str  # the rule's neutral name, for a verdict that raises no flag
    clause: str  # where the notice says it
    check: Check
    met: Met

    def flag(self, severity: Severity, reason: str, label: str | None = None) -> Flag:
        return Flag(self.id, severity, label or self.label, reason)
