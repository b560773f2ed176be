"""Every applicable rule speaks: flagged rules give the flag's reason, the rest say why fine,
and a rule that cannot judge a unit says why instead of showing a ✓."""

from __future__ import annotations

from datetime import date

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    LetterStatus,
    Level,
    Severity,
    UnionMode,
)
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.rules import RULES, evaluate
from specialist_tui.domain.verdicts import Mark, Verdict, verdicts
from specialist_tui.policies import load_policy

POLICY = load_policy("qinghai-2024")
NATIONAL = load_policy("national-2024")
TODAY = date(2024, 6, 30)


def facts(**extra: object) -> UnitFacts:
    fields: dict[str, object] = {
        "code": "X", "level": Level.PREFECTURE, "staff_count": 10,
        "filing_status": FilingStatus.CONFIRMED, "canteen_mode": CanteenMode.OWN,
        "union_mode": UnionMode.NONE, "canteen_total": 1_000_000, "canteen_reserved": 200_000,
        "completed_canteen": 150_000, "order_count": 3,
    }  # fmt: skip
    fields.update(extra)
    return UnitFacts(**fields)  # type: ignore[arg-type]


def said(unit: UnitFacts, today: date = TODAY, policy: object = POLICY) -> dict[str, Verdict]:
    return {v.rule: v for v in verdicts(unit, policy, today)}  # type: ignore[arg-type]


def test_flags_and_verdicts_agree_and_flags_come_first() -> None:
    unit = facts(canteen_reserved=100_000, unpaid_count=1, unpaid_fen=5_00,
                 unpaid_oldest_on=date(2024, 4, 1))  # fmt: skip
    flags = evaluate(unit, POLICY, TODAY)
    out = verdicts(unit, POLICY, TODAY)
    failing = [v for v in out if v.mark is Mark.FLAG]
    assert [(v.rule, v.sentence) for v in failing] == [(f.rule, f.reason) for f in flags]
    assert out[: len(failing)] == failing
    assert "10.0%" in next(v.sentence for v in failing if v.rule == "R3")


def test_a_unit_in_order_hears_why_each_rule_is_met() -> None:
    out = said(facts(canteen_reserved=400_000, completed_canteen=160_000))
    assert all(v.ok for v in out.values()), [v for v in out.values() if not v.ok]
    assert out["R3"].sentence == "食堂预留比例 40.0%，不低于 15%"
    assert out["R9"].sentence == "已完结采购 1,600.00 元，完成预留 40.0%，不低于测算进度 40%"
    assert out["R10"].sentence == "没有待付款订单"
    assert "R6" not in out and "R7" not in out and "R13" not in out  # not applicable


def test_every_rule_has_a_title_label_clause_check_and_met() -> None:
    assert list(RULES) == [f"R{n}" for n in range(1, 16)]
    for rule in RULES.values():
        assert rule.label and rule.title and rule.clause
        assert callable(rule.check) and callable(rule.met)


# -- labels that say what is true (each was misstated before) ----------------------------


def test_r1_label_before_the_deadline_does_not_say_late() -> None:
    flag = RULES["R1"].check(facts(filing_status=FilingStatus.DRAFT), POLICY, date(2024, 1, 15))
    assert flag is not None and flag.label == "尚未填报" and "还有 36 天" in flag.reason
    after = RULES["R1"].check(facts(filing_status=FilingStatus.DRAFT), POLICY, date(2024, 2, 21))
    assert after is not None and after.label == "逾期未填报"


def test_r6_stamped_letter_is_not_called_missing() -> None:
    unit = facts(level=Level.PROVINCIAL, canteen_mode=CanteenMode.NONE,
                 no_canteen_letter=LetterStatus.STAMPED)  # fmt: skip
    flag = RULES["R6"].check(unit, POLICY, TODAY)
    assert flag is not None and flag.label == "承诺函已盖章待核实" and "缺" not in flag.label
    missing = RULES["R6"].check(
        facts(
            level=Level.PROVINCIAL,
            canteen_mode=CanteenMode.NONE,
            no_canteen_letter=LetterStatus.MISSING,
        ),
        POLICY,
        TODAY,
    )
    assert missing is not None and missing.label == "缺无食堂承诺函"


def test_r11_without_orders_is_a_note_not_a_tick() -> None:
    out = said(facts(order_count=0, completed_canteen=0, canteen_reserved=0))
    assert out["R11"].mark is Mark.NOTE and "尚无订单" in out["R11"].sentence


def test_late_filer_and_late_confirmation_are_not_ticked() -> None:
    late = facts(submitted_on=date(2024, 2, 25), confirmed_on=date(2024, 3, 1))
    out = said(late)
    assert out["R1"].mark is Mark.NOTE and "已提交（逾期 5 天" in out["R1"].sentence
    assert out["R2"].mark is Mark.NOTE and "逾期 4 天" in out["R2"].sentence
    on_time = said(facts(submitted_on=date(2024, 2, 20), confirmed_on=date(2024, 2, 26)))
    assert on_time["R1"].ok and "2024-02-20 提交" in on_time["R1"].sentence
    assert on_time["R2"].ok and "2024-02-26" in on_time["R2"].sentence


def test_national_policy_turns_r2_off_and_says_so() -> None:
    submitted = facts(filing_status=FilingStatus.SUBMITTED)
    assert RULES["R2"].check(submitted, NATIONAL, date(2024, 12, 1)) is None
    out = said(submitted, policy=NATIONAL)
    assert out["R2"].mark is Mark.NOTE and "未设财政确认截止日" in out["R2"].sentence


def test_national_encouraged_ratio_is_an_info_note() -> None:
    out = said(facts(canteen_reserved=120_000), policy=NATIONAL)
    assert out["R3"].mark is Mark.NOTE
    assert out["R3"].sentence == "食堂预留比例 12.0%，不低于 10%；低于鼓励比例 15%"
    assert not [f for f in evaluate(facts(canteen_reserved=120_000), NATIONAL, TODAY)
                if f.rule == "R3"]  # fmt: skip


def test_r3_checks_a_shared_canteen_representative_but_not_its_members() -> None:
    rep = facts(canteen_mode=CanteenMode.SHARED, representative_code="X",
                canteen_total=500_000_000, canteen_reserved=25_000_000)  # fmt: skip
    flag = RULES["R3"].check(rep, POLICY, TODAY)
    assert flag is not None and flag.severity is Severity.HIGH and "5.0%" in flag.reason
    member = facts(canteen_mode=CanteenMode.SHARED, representative_code="Y",
                   representative_status=FilingStatus.SUBMITTED, canteen_total=1_000,
                   canteen_reserved=0)  # fmt: skip
    assert RULES["R3"].check(member, POLICY, TODAY) is None
    note = said(member)["R3"]
    assert note.mark is Mark.NOTE and "代表单位 Y" in note.sentence


def test_r8_on_a_draft_is_an_early_warning() -> None:
    draft = facts(filing_status=FilingStatus.DRAFT, prev_canteen_total=1_000_000,
                  prev_canteen_reserved=300_000)  # fmt: skip
    flag = RULES["R8"].check(draft, POLICY, TODAY)
    assert flag is not None and flag.severity is Severity.LOW
    assert flag.reason.startswith("草稿预留低于上年，提交前需向财政部门说明")
    submitted = facts(prev_canteen_total=1_000_000, prev_canteen_reserved=300_000)
    breach = RULES["R8"].check(submitted, POLICY, TODAY)
    assert breach is not None and breach.severity is Severity.MEDIUM
    assert breach.reason.endswith("未向本级财政部门说明")


def test_r8_checks_the_union_share_too() -> None:
    unit = facts(union_mode=UnionMode.INDEPENDENT, union_total=1_000_000, union_reserved=150_000,
                 canteen_reserved=250_000, prev_canteen_total=1_000_000,
                 prev_canteen_reserved=200_000, prev_union_total=500_000,
                 prev_union_reserved=100_000)  # fmt: skip
    flag = RULES["R8"].check(unit, POLICY, TODAY)
    assert flag is not None and "工会预留比例由 20.0% 降至 15.0%" in flag.reason
    assert "预留金额" not in flag.reason  # the amount grew


def test_r9_on_12_31_asks_for_the_whole_reservation() -> None:
    unit = facts(canteen_reserved=1_000_000, completed_canteen=840_000)
    flag = RULES["R9"].check(unit, POLICY, date(2024, 12, 31))
    assert flag is not None and "测算进度 100%" in flag.reason
    assert said(unit, date(2024, 12, 31))["R9"].mark is Mark.FLAG


def test_r12_counts_the_union_not_staff_purchases() -> None:
    unit = facts(staff_count=10, union_spend=400_000, completed_staff=2_000_000)
    assert RULES["R12"].check(unit, POLICY, TODAY) is None
    assert "职工自购不计入" in str(RULES["R12"].met(unit, POLICY, TODAY))


def test_r14_counts_every_open_promise() -> None:
    unit = facts(next_follow_up=date(2024, 6, 28), open_promises=3)
    flag = RULES["R14"].check(unit, POLICY, TODAY)
    assert flag is not None and "共 3 项约定未完成" in flag.reason
