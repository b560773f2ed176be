"""Every applicable rule's verdict on one unit, in a sentence: its flag's reason, or why it is fine.

The unit screen shows these so a specialist can read, rule by rule, where a unit stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from specialist_tui.domain.enums import Severity
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules import RULES, Note


class Mark(IntEnum):
    """What a verdict says, in the order the screen lists them."""

    FLAG = 0  # the rule is broken
    NOTE = 1  # the rule cannot judge the unit, or only advises (never a ✓)
    MET = 2  # the rule is met: a ✓ with a sentence true of this unit


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str
    label: str
    mark: Mark
    severity: Severity | None  # None unless flagged
    sentence: str

    @property
    def ok(self) -> bool:
        return self.mark is Mark.MET


def verdicts(facts: UnitFacts, policy: Policy, today: date) -> list[Verdict]:
    """Each rule that concerns the unit: flags worst first, then notes, then the rules it meets,
    each group in rule order."""
    out: list[Verdict] = []
    for rule in RULES.values():
        flag = rule.check(facts, policy, today)
        if flag is not None:
            out.append(Verdict(rule.id, flag.label, Mark.FLAG, flag.severity, flag.reason))
            continue
        said = rule.met(facts, policy, today)
        if isinstance(said, Note):
            out.append(Verdict(rule.id, rule.title, Mark.NOTE, None, said.sentence))
        elif said is not None:
            out.append(Verdict(rule.id, rule.title, Mark.MET, None, said))
    order = {rule: n for n, rule in enumerate(RULES)}
    out.sort(key=lambda v: (v.mark, -(v.severity.weight if v.severity else 0), order[v.rule]))
    return out
