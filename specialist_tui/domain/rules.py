"""Rules R1–R14 of the notice: pure functions of a unit's facts, a policy and a date.

"Today" is always a parameter: nothing here reads the clock. Each rule returns a Flag with a
Chinese reason that carries its numbers, or None when the unit is fine on that rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    LetterStatus,
    Level,
    Severity,
    UnionMode,
)
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.money import below_ratio, percent, percent_floor, yuan
from specialist_tui.domain.policy import Policy

Rule = Callable[[UnitFacts, Policy, date], Flag | None]

LABELS: dict[str, str] = {
    "R1": "未按时填报",
    "R2": "待财政确认",
    "R3": "食堂比例不足",
    "R4": "外包未落实",
    "R5": "共用食堂未落实",
    "R6": "缺无食堂承诺函",
    "R7": "工会比例不足",
    "R8": "下降未说明",
    "R9": "采购进度落后",
    "R10": "拖欠货款",
    "R11": "区域代码缺失",
    "R12": "超职工标准",
    "R13": "交易未完结",
    "R14": "跟进到期",
}


def _flag(rule: str, severity: Severity, reason: str) -> Flag:
    return Flag(rule, severity, LABELS[rule], reason)


def _after_filing_deadline(policy: Policy, today: date) -> bool:
    return today > policy.deadlines.filing


def r1_filing_deadline(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R1: the filing must be submitted by the filing deadline."""
    if f.filing_status.is_filed:
        return None
    deadline = policy.deadlines.filing
    days = (deadline - today).days
    state = "被退回尚未重新提交" if f.filing_status is FilingStatus.RETURNED else "尚未提交"
    if days < 0:
        return _flag(
            "R1", Severity.CRITICAL, f"预留份额填报{state}，已超过截止日 {deadline} {-days} 天"
        )
    if days == 0:
        return _flag("R1", Severity.HIGH, f"预留份额填报{state}，今天（{deadline}）截止")
    severity = Severity.MEDIUM if days <= policy.deadlines.filing_warning_days else Severity.LOW
    return _flag("R1", severity, f"预留份额填报{state}，距截止日 {deadline} 还有 {days} 天")


def r2_confirmation(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R2: the finance office confirms by the confirmation deadline."""
    deadline = policy.deadlines.confirmation
    if f.filing_status is not FilingStatus.SUBMITTED or today <= deadline:
        return None
    days = (today - deadline).days
    return _flag(
        "R2", Severity.HIGH, f"已提交但本级财政部门尚未确认，确认截止日 {deadline} 已过 {days} 天"
    )


def _ratio_flag(
    rule: str, part: str, reserved: int, total: int, minimum: Fraction, filed: bool, zero: str
) -> Flag | None:
    """The shared shape of R3 and R7: a reserved amount at least ``minimum`` of its total."""
    if total == 0:
        return _flag(rule, Severity.MEDIUM, zero) if filed else None
    if not below_ratio(reserved, total, minimum):
        return None
    return _flag(
        rule,
        Severity.HIGH,
        f"{part}预留比例 {percent_floor(reserved, total)} 低于 {percent(minimum)}"
        f"（预留 {yuan(reserved)} 元 / 总额 {yuan(total)} 元）",
    )


def r3_canteen_ratio(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R3: an own (or outsourced) canteen reserves at least the minimum share of its total."""
    if f.canteen_mode not in (CanteenMode.OWN, CanteenMode.OUTSOURCED):
        return None
    zero = "已提交填报但年度食堂食材采购总额为 0"
    filed = f.filing_status.is_filed
    return _ratio_flag(
        "R3", "食堂", f.canteen_reserved, f.canteen_total, policy.min_canteen, filed, zero
    )


def r4_outsourced(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R4: an outsourced canteen's contract fixes the share and an executor with an account."""
    if f.canteen_mode is not CanteenMode.OUTSOURCED:
        return None
    missing = []
    if not f.contract_clause:
        missing.append(f"外包合同未约定不低于 {percent(policy.min_canteen)} 的预留比例")
    if not f.executor:
        missing.append("未确定采购执行主体")
    elif not f.executor_account_opened:
        missing.append(f"采购执行主体“{f.executor}”未在832平台开通交易账号")
    if not missing:
        return None
    severity = Severity.HIGH if _after_filing_deadline(policy, today) else Severity.MEDIUM
    return _flag("R4", severity, "；".join(missing))


def r5_shared(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R5: a shared canteen names one representative unit, which files for the group."""
    if f.canteen_mode is not CanteenMode.SHARED or f.representative_code == f.code:
        return None
    severity = Severity.HIGH if _after_filing_deadline(policy, today) else Severity.MEDIUM
    if not f.representative_code:
        return _flag("R5", severity, "共用食堂未确定代表填报单位")
    status = f.representative_status
    if status is not None and status.is_filed:
        return None
    state = "不在本地数据中" if status is None else f"尚未提交填报（{status.label}）"
    return _flag("R5", severity, f"代表单位 {f.representative_code} {state}")


def r6_no_canteen_letter(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R6: a provincial-level unit without a canteen has a verified commitment letter."""
    if f.level is not Level.PROVINCIAL or f.canteen_mode is not CanteenMode.NONE:
        return None
    letter = f.no_canteen_letter
    if letter is LetterStatus.VERIFIED:
        return None
    if letter is LetterStatus.SUBMITTED:
        return _flag("R6", Severity.MEDIUM, "无食堂承诺函已报送，待省财政厅核实")
    state = "被退回" if letter is LetterStatus.REJECTED else "未报送"
    severity = Severity.HIGH if _after_filing_deadline(policy, today) else Severity.MEDIUM
    return _flag("R6", severity, f"省本级无食堂单位，无食堂承诺函{state}，将以未完成计入考评")


def r7_union_ratio(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R7: a union with independent funds buys at least the minimum share on the platform."""
    if f.union_mode is not UnionMode.INDEPENDENT:
        return None
    zero = "有独立工会经费但工会采购总额为 0"
    filed = f.filing_status.is_filed
    return _ratio_flag("R7", "工会", f.union_reserved, f.union_total, policy.min_union, filed, zero)


def r8_decline(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R8: a drop in reserved amount or share against last year is explained to finance."""
    if f.decline_explained or f.filing_status is FilingStatus.NOT_STARTED:
        return None
    if f.prev_canteen_reserved is None or f.prev_canteen_total is None:
        return None
    prev_reserved = f.prev_canteen_reserved + (f.prev_union_reserved or 0)
    reasons = []
    if f.reserved_total < prev_reserved:
        reasons.append(
            f"预留金额较上年下降 {yuan(prev_reserved - f.reserved_total)} 元"
            f"（上年 {yuan(prev_reserved)} 元，今年 {yuan(f.reserved_total)} 元）"
        )
    if (
        f.prev_canteen_total > 0
        and f.canteen_total > 0
        and f.canteen_reserved * f.prev_canteen_total < f.prev_canteen_reserved * f.canteen_total
    ):
        before = percent_floor(f.prev_canteen_reserved, f.prev_canteen_total)
        now = percent_floor(f.canteen_reserved, f.canteen_total)
        reasons.append(f"预留比例由 {before} 降至 {now}")
    if not reasons:
        return None
    return _flag("R8", Severity.MEDIUM, "；".join(reasons) + "，未向本级财政部门说明")


def r9_purchase_pace(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R9: completed platform spend keeps pace with the reservation and reaches it by year end."""
    reserved = f.reserved_total
    if not f.filing_status.is_filed or reserved <= 0:
        return None
    done = f.completed_total
    if today > policy.year_end:
        if done >= reserved:
            return None
        return _flag(
            "R9",
            Severity.CRITICAL,
            f"年度已结束，已完结采购 {yuan(done)} 元，未达预留金额 {yuan(reserved)} 元"
            f"（完成 {percent_floor(done, reserved)}）",
        )
    days_in_year = (policy.year_end - policy.year_start).days + 1
    elapsed = max(0, (today - policy.year_start).days + 1)
    pace = policy.pace_factor
    # done < reserved * elapsed / days_in_year * pace, in integers.
    if done * days_in_year * pace.denominator >= reserved * elapsed * pace.numerator:
        return None
    # Rounded up, so that the shown requirement is never at or below the spend that misses it.
    expected = -(-reserved * elapsed * pace.numerator // (days_in_year * pace.denominator))
    late = today >= policy.year_end_window_start
    severity = Severity.HIGH if late else Severity.MEDIUM
    return _flag(
        "R9",
        severity,
        f"已完结采购 {yuan(done)} 元，完成预留 {percent_floor(done, reserved)}，"
        f"低于进度要求 {yuan(expected)} 元",
    )


def r10_unpaid(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R10: no arrears: an unpaid order may not stay unpaid longer than the policy allows."""
    if f.unpaid_oldest_on is None:
        return None
    age = (today - f.unpaid_oldest_on).days
    limit = policy.purchasing.unpaid_days
    if age <= limit:
        return None
    severity = Severity.CRITICAL if age > 3 * limit else Severity.HIGH
    return _flag(
        "R10",
        severity,
        f"{f.unpaid_count} 笔订单未付款，共 {yuan(f.unpaid_fen)} 元，"
        f"最久已 {age} 天（超过 {limit} 天）",
    )


def r11_area_code(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R11: orders carry the unit's area code, or they are not attributed to the center."""
    if f.stray_area_count <= 0:
        return None
    expected = f"应为 {f.area_code}" if f.area_code else "单位未登记区域代码"
    return _flag(
        "R11", Severity.MEDIUM, f"{f.stray_area_count} 笔订单未填或填错区域代码（{expected}）"
    )


def r12_staff_allowance(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R12: union and staff purchases stay within the yearly allowance per head."""
    if f.staff_count <= 0:
        return None
    cap = policy.staff_allowance_fen * f.staff_count
    if f.union_staff_spend <= cap:
        return None
    return _flag(
        "R12",
        Severity.MEDIUM,
        f"工会及职工采购 {yuan(f.union_staff_spend)} 元，超过每人 "
        f"{policy.purchasing.staff_allowance_yuan} 元 × {f.staff_count} 人 = {yuan(cap)} 元",
    )


def r13_open_at_year_end(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R13: in the year's last days, orders not completed will not count."""
    if f.open_count <= 0 or not (policy.year_end_window_start <= today <= policy.year_end):
        return None
    days = (policy.year_end - today).days
    return _flag(
        "R13",
        Severity.HIGH,
        f"{f.open_count} 笔订单尚未完结，共 {yuan(f.open_fen)} 元；距年底还有 {days} 天，"
        "未完结交易不计入年度采购",
    )


def r14_promises(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    """R14: the specialist's own promises: follow-ups due and tickets past due."""
    reasons = []
    severity = Severity.MEDIUM
    if f.next_follow_up is not None and f.next_follow_up <= today:
        late = (today - f.next_follow_up).days
        if late:
            severity = Severity.HIGH
            reasons.append(f"约定 {f.next_follow_up} 跟进，已逾期 {late} 天")
        else:
            reasons.append("今天约定跟进")
    if f.ticket_due_on is not None and f.ticket_due_on <= today:
        late = (today - f.ticket_due_on).days
        if late:
            severity = Severity.HIGH
            reasons.append(f"工单已超过处理期限 {late} 天")
        else:
            reasons.append("工单今天到期")
    if not reasons:
        return None
    return _flag("R14", severity, "；".join(reasons))


RULES: dict[str, Rule] = {
    "R1": r1_filing_deadline,
    "R2": r2_confirmation,
    "R3": r3_canteen_ratio,
    "R4": r4_outsourced,
    "R5": r5_shared,
    "R6": r6_no_canteen_letter,
    "R7": r7_union_ratio,
    "R8": r8_decline,
    "R9": r9_purchase_pace,
    "R10": r10_unpaid,
    "R11": r11_area_code,
    "R12": r12_staff_allowance,
    "R13": r13_open_at_year_end,
    "R14": r14_promises,
}

RULE_BITS: dict[str, int] = {rule: 1 << number for number, rule in enumerate(RULES, start=1)}


def evaluate(facts: UnitFacts, policy: Policy, today: date) -> list[Flag]:
    """Every flag the rules raise for one unit on ``today``, worst first."""
    flags = [flag for rule in RULES.values() if (flag := rule(facts, policy, today)) is not None]
    flags.sort(key=lambda flag: -flag.severity.weight)
    return flags


def flag_mask(flags: list[Flag]) -> int:
    """The flags as a bit set (R1 is bit 1), for the cache's view queries."""
    mask = 0
    for flag in flags:
        mask |= RULE_BITS[flag.rule]
    return mask
