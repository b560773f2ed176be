"""Every verdict of a catalogue of units, word for word, under Qinghai 2024 and a policy unlike
it (tests/policies/other-2025.toml), on the days that matter: before and inside the filing
warning window, the deadline day, summer, inside the year-end window, 31 December, 1 January;
and some of them under national-2024 (no confirmation date, a 10% floor, 15% encouraged) and
under it without a filing date either.

The expected text is tests/domain/sentences.txt: one block per (policy, unit, day), one line per
verdict (mark, severity, rule, label, sentence), in the order the unit screen shows them. A
changed sentence, number, label, severity or order fails here with a diff. After a deliberate
change, print the new text with ``python -m tests.domain.test_sentences`` and read the diff
before replacing the file. R6 (the no-canteen letter) is pinned by its own tests.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from specialist_tui.domain.enums import CanteenMode, FilingStatus, Level, UnionMode
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.policy import Policy, parse_policy
from specialist_tui.domain.rules import filing_state
from specialist_tui.domain.verdicts import verdicts
from specialist_tui.policies import load_policy

HERE = Path(__file__).parent
EXPECTED = HERE / "sentences.txt"
NATIONAL_TOML = (Path(load_policy.__code__.co_filename).parent / "national-2024.toml").read_text(
    "utf-8"
)
POLICIES: dict[str, Policy] = {
    "QH": load_policy("qinghai-2024"),
    "OTHER": parse_policy((HERE.parent / "policies" / "other-2025.toml").read_text("utf-8")),
    "NATIONAL": load_policy("national-2024"),
    "UNDATED": parse_policy(re.sub(r"(?m)^filing = .*$", "", NATIONAL_TOML), "undated"),
}
DAYS = {
    "QH": {
        "early": date(2024, 1, 15), "warn": date(2024, 2, 10), "deadline": date(2024, 2, 20),
        "after": date(2024, 2, 21), "summer": date(2024, 6, 30), "window": date(2024, 12, 20),
        "last": date(2024, 12, 31), "next": date(2025, 1, 1),
    },
    "OTHER": {
        "early": date(2025, 2, 1), "warn": date(2025, 3, 5), "deadline": date(2025, 3, 10),
        "after": date(2025, 3, 11), "summer": date(2025, 6, 15), "window": date(2025, 12, 25),
        "last": date(2025, 12, 31), "next": date(2026, 1, 1),
    },
}  # fmt: skip
DAYS["NATIONAL"] = DAYS["UNDATED"] = DAYS["QH"]
# The cases each policy runs (all of them under QH and OTHER).
SOME = {
    "NATIONAL": ["late_filing_and_confirmation", "union_low", "outsourced_in_order", "all_quiet"],
    "UNDATED": ["not_started", "late_filing_and_confirmation"],
}

S, C, U = FilingStatus, CanteenMode, UnionMode
OWN_OK: dict[str, Any] = {
    "filing_status": S.CONFIRMED, "canteen_mode": C.OWN, "canteen_total": 1_000_000,
    "canteen_reserved": 300_000,
}  # fmt: skip
# name -> (facts, days). A date given as "day-40", "filing+3" or "confirmation-1" is counted
# from the evaluated day or from the policy's deadline.
CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "not_started": ({}, ["early", "warn", "deadline", "summer"]),
    "returned": ({"filing_status": S.RETURNED, "canteen_mode": C.OWN}, ["warn", "summer"]),
    "draft_below_last_year": ({
        "filing_status": S.DRAFT, "canteen_mode": C.OWN, "canteen_total": 1_000_000,
        "canteen_reserved": 100_000, "prev_canteen_total": 1_000_000,
        "prev_canteen_reserved": 200_000, "union_mode": U.INDEPENDENT, "union_total": 100_000,
        "union_reserved": 10_000, "prev_union_total": 100_000, "prev_union_reserved": 20_000,
    }, ["early"]),
    # A draft or a returned filing below the floors: to fix before submitting until the
    # filing deadline, as grave as a submitted one after it.
    "draft_below_ratio": ({
        "filing_status": S.DRAFT, "canteen_mode": C.OWN, "canteen_total": 1_000_000,
        "canteen_reserved": 100_000, "union_mode": U.INDEPENDENT, "union_total": 100_000,
        "union_reserved": 10_000,
    }, ["deadline", "after"]),
    "returned_below_ratio": ({
        "filing_status": S.RETURNED, "canteen_mode": C.OWN, "canteen_total": 1_000_000,
        "canteen_reserved": 100_000,
    }, ["deadline", "after"]),
    "late_filing_and_confirmation": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.OWN, "submitted_on": "filing+3",
        "confirmed_on": "confirmation+2", "canteen_total": 1_000_000, "canteen_reserved": 150_000,
        "prev_canteen_total": 500_000, "prev_canteen_reserved": 200_000,
    }, ["summer"]),
    "decline_explained": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.OWN, "submitted_on": "filing-1",
        "confirmed_on": "confirmation-1", "decline_explained": True, "canteen_total": 1_000_000,
        "canteen_reserved": 150_000, "prev_canteen_total": 500_000,
        "prev_canteen_reserved": 200_000, "union_mode": U.INDEPENDENT, "union_total": 1,
        "union_reserved": 1, "prev_union_total": 0, "prev_union_reserved": 0,
    }, ["summer"]),
    "union_share_fell": ({
        "filing_status": S.SUBMITTED, "canteen_mode": C.OWN, "submitted_on": "filing",
        "canteen_total": 1_000_000, "canteen_reserved": 300_000, "prev_canteen_total": 1_000_000,
        "prev_canteen_reserved": 250_000, "union_mode": U.INDEPENDENT, "union_total": 200_000,
        "union_reserved": 26_000, "prev_union_total": 100_000, "prev_union_reserved": 14_000,
    }, ["deadline", "summer"]),
    "outsourced_nothing_settled": (
        {"filing_status": S.CONFIRMED, "canteen_mode": C.OUTSOURCED}, ["warn", "summer"]
    ),
    "outsourced_no_account": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.OUTSOURCED, "contract_clause": True,
        "executor": "青海某餐饮公司", "canteen_total": 1, "canteen_reserved": 1,
    }, ["summer"]),
    "outsourced_in_order": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.OUTSOURCED, "contract_clause": True,
        "executor": "青海某餐饮公司", "executor_account_opened": True,
        "canteen_total": 1_000_000, "canteen_reserved": 210_000,
    }, ["summer"]),
    "shared_no_representative": (
        {"filing_status": S.CONFIRMED, "canteen_mode": C.SHARED}, ["warn", "summer"]
    ),
    "shared_representative_unknown": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.SHARED, "representative_code": "REP",
    }, ["summer"]),
    "shared_representative_draft": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.SHARED, "representative_code": "REP",
        "representative_status": S.DRAFT,
    }, ["summer"]),
    "shared_representative_filed": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.SHARED, "representative_code": "REP",
        "representative_status": S.SUBMITTED,
    }, ["summer"]),
    "shared_representative_itself_low": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.SHARED, "representative_code": "X",
        "canteen_total": 5_000_000_00, "canteen_reserved": 25_000_000,
    }, ["summer"]),
    "shared_representative_itself_ok": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.SHARED, "representative_code": "X",
        "canteen_total": 1_000_000, "canteen_reserved": 220_000,
    }, ["summer"]),
    "union_zero_total": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.NONE, "union_mode": U.INDEPENDENT,
    }, ["summer"]),
    "union_low": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.NONE, "union_mode": U.INDEPENDENT,
        "union_total": 1_000_000, "union_reserved": 130_000,
    }, ["summer"]),
    "everything_due": ({
        **OWN_OK, "area_code": "QH0101", "completed_canteen": 10_000, "unpaid_count": 2,
        "unpaid_fen": 12_345, "unpaid_oldest_on": "day-40", "area_missing_count": 1,
        "area_wrong_count": 2, "order_count": 5, "open_count": 3, "open_fen": 50_000,
        "staff_count": 3, "union_spend": 200_001, "next_follow_up": "day", "open_promises": 2,
        "ticket_due_on": "day", "active_tickets": 1,
    }, ["summer", "window", "last", "next"]),
    "all_quiet": ({
        **OWN_OK, "completed_canteen": 300_000, "unpaid_count": 1, "unpaid_fen": 1_00,
        "unpaid_oldest_on": "day-3", "order_count": 1, "staff_count": 1, "union_spend": 1,
        "next_follow_up": "day+2", "open_promises": 1, "prev_canteen_total": 1_000_000,
        "prev_canteen_reserved": 200_000,
    }, ["summer", "window", "last", "next"]),
    "one_wrong_area_code": ({
        **OWN_OK, "area_code": "QH0101", "order_count": 1, "area_wrong_count": 1,
    }, ["summer"]),
    "union_reserved_nothing_either_year": ({
        **OWN_OK, "union_mode": U.INDEPENDENT, "union_total": 100_000,
        "prev_canteen_total": 1_000_000, "prev_canteen_reserved": 300_000,
        "prev_union_total": 100_000, "prev_union_reserved": 0,
    }, ["summer"]),
    "shares_fell_from_one_fen_and_to_one_fen": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.OWN, "canteen_total": 1,
        "canteen_reserved": 0, "union_mode": U.INDEPENDENT, "union_total": 1_000,
        "union_reserved": 100, "prev_canteen_total": 1_000_000, "prev_canteen_reserved": 200_000,
        "prev_union_total": 1, "prev_union_reserved": 1,
    }, ["summer"]),
    "overdue_promise_no_staff": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.NONE, "area_missing_count": 1,
        "order_count": 1, "union_spend": 1, "next_follow_up": "day-3", "open_promises": 1,
        "ticket_due_on": "day-1", "active_tickets": 1,
    }, ["summer"]),
    "one_fen_reserved": ({
        "filing_status": S.CONFIRMED, "canteen_mode": C.OWN, "canteen_total": 1,
        "canteen_reserved": 1, "completed_canteen": 1, "staff_count": 1,
    }, ["summer", "next"]),
}  # fmt: skip


def _value(value: Any, policy: Policy, day: date) -> Any:
    if not isinstance(value, str):
        return value
    # A policy without a date still sees the unit act on Qinghai's days.
    for name, base in (
        ("day", day),
        ("filing", policy.deadlines.filing or date(policy.year, 2, 20)),
        ("confirmation", policy.deadlines.confirmation or date(policy.year, 2, 26)),
    ):
        if value.startswith(name):
            offset = value.removeprefix(name)
            return base + timedelta(days=int(offset) if offset else 0)
    return value


def rendered() -> str:
    """The catalogue's verdicts as the expected file holds them."""
    lines = []
    for policy_name, policy in POLICIES.items():
        for name, (given, days) in CASES.items():
            if name not in SOME.get(policy_name, CASES):
                continue
            for token in days:
                day = DAYS[policy_name][token]
                known = {k: _value(v, policy, day) for k, v in given.items()}
                unit = UnitFacts(code="X", level=Level.COUNTY, **known)
                lines.append(f"== {policy_name} {name} {token} {day}")
                for v in verdicts(unit, policy, day):
                    severity = f" {v.severity.name}" if v.severity else ""
                    lines.append(f"{v.mark.name}{severity} {v.rule} {v.label}：{v.sentence}")
    return "\n".join(lines) + "\n"


def test_every_verdict_word_for_word() -> None:
    expected = EXPECTED.read_text(encoding="utf-8")
    got = rendered()
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True), got.splitlines(keepends=True), "expected", "got"
        )
    )
    assert got == expected, diff


def test_the_filing_state_says_how_late_each_step_was() -> None:
    qh = POLICIES["QH"]
    on_time, late = date(2024, 2, 20), date(2024, 2, 23)
    confirmed_late = date(2024, 2, 28)
    assert filing_state(S.CONFIRMED, on_time, date(2024, 2, 26), qh) == "已确认"
    assert filing_state(S.SUBMITTED, late, None, qh) == "已提交（逾期 3 天）"
    assert filing_state(S.CONFIRMED, on_time, confirmed_late, qh) == "已确认（确认逾期 2 天）"
    assert filing_state(S.CONFIRMED, late, confirmed_late, qh) == (
        "已确认（逾期 3 天，确认逾期 2 天）"
    )
    # A confirmation date on a filing not confirmed (returned since) is not a late confirmation.
    assert filing_state(S.SUBMITTED, on_time, confirmed_late, qh) == "已提交"
    assert filing_state(S.DRAFT, late, None, qh) == "草稿"  # not filed: nothing to be late
    other = POLICIES["OTHER"]
    assert filing_state(S.CONFIRMED, date(2025, 3, 12), date(2025, 3, 19), other) == (
        "已确认（逾期 2 天，确认逾期 1 天）"
    )
    national = load_policy("national-2024")  # no confirmation date: never late confirming
    assert filing_state(S.CONFIRMED, date(2024, 2, 21), date(2024, 12, 1), national) == (
        "已确认（逾期 1 天）"
    )


if __name__ == "__main__":
    print(rendered(), end="")
