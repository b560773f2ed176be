"""Every applicable rule speaks: flagged rules give the flag's reason, the rest say why fine."""

from __future__ import annotations

from datetime import date

from specialist_tui.domain.enums import CanteenMode, FilingStatus, Level, UnionMode
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.rules import evaluate
from specialist_tui.domain.verdicts import verdicts
from specialist_tui.policies import load_policy

POLICY = load_policy("qinghai-2024")
TODAY = date(2024, 6, 30)


def facts(**extra: object) -> UnitFacts:
    fields: dict[str, object] = {
        "code": "X", "level": Level.PREFECTURE, "staff_count": 10,
        "filing_status": FilingStatus.CONFIRMED, "canteen_mode": CanteenMode.OWN,
        "union_mode": UnionMode.NONE, "canteen_total": 1_000_000, "canteen_reserved": 200_000,
        "completed_canteen": 150_000,
    }  # fmt: skip
    fields.update(extra)
    return UnitFacts(**fields)  # type: ignore[arg-type]


def test_flags_and_verdicts_agree_and_flags_come_first() -> None:
    unit = facts(canteen_reserved=100_000, unpaid_count=1, unpaid_fen=5_00,
                 unpaid_oldest_on=date(2024, 4, 1))  # fmt: skip
    flags = evaluate(unit, POLICY, TODAY)
    said = verdicts(unit, POLICY, TODAY)
    failing = [v for v in said if not v.ok]
    assert [(v.rule, v.sentence) for v in failing] == [(f.rule, f.reason) for f in flags]
    assert said[: len(failing)] == failing
    assert "10.0%" in next(v.sentence for v in failing if v.rule == "R3")


def test_a_unit_in_order_hears_why_each_rule_is_met() -> None:
    said = {v.rule: v for v in verdicts(facts(), POLICY, TODAY)}
    assert all(v.ok for v in said.values())
    assert said["R3"].sentence == "食堂预留比例 20.0%，不低于 15%"
    assert said["R10"].sentence == "没有待付款订单"
    assert "R6" not in said and "R7" not in said and "R13" not in said  # not applicable


def test_every_rule_has_a_title_and_an_ok_sentence() -> None:
    # Four tables name the rules (rules.LABELS and RULES, verdicts.TITLES and _OK); a rule
    # missing from one would break the unit screen.
    from specialist_tui.domain import rules, verdicts

    assert set(rules.LABELS) == set(rules.RULES) == set(verdicts.TITLES) == set(verdicts._OK)
