"""R9–R14: buying, paying and following up through the year (notice section 二 and the close).

A year's spend is the completed orders whose completion date falls in the policy year.
"""

from __future__ import annotations

from datetime import date

from specialist_tui.domain.enums import Severity
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.money import percent, percent_floor, share_of, yuan
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules.base import Note, Rule, Said

# -- R9 --------------------------------------------------------------------------------------


def _r9(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    reserved = f.reserved_total
    if not f.filing_status.is_filed or reserved <= 0:
        return None
    done = f.completed_total
    if today > policy.year_end:
        if done >= reserved:
            return None
        return R9.flag(
            Severity.CRITICAL,
            f"年度已结束，已完结采购 {yuan(done)} 元，未达预留金额 {yuan(reserved)} 元"
            f"（完成 {percent_floor(done, reserved)}）",
        )
    share = policy.pace_share(today)
    # Rounded up, so that the shown requirement is never at or below the spend that misses it.
    expected = share_of(reserved, share)
    if done >= expected:
        return None
    severity = Severity.HIGH if today >= policy.year_end_window_start else Severity.MEDIUM
    return R9.flag(
        severity,
        f"已完结采购 {yuan(done)} 元，完成预留 {percent_floor(done, reserved)}，"
        f"低于测算进度 {percent(share)}（应达 {yuan(expected)} 元）",
    )


def _r9_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    reserved = f.reserved_total
    if not f.filing_status.is_filed:
        return Note("尚未提交填报，没有预留金额可对照采购进度")
    if reserved <= 0:
        return Note("填报未预留金额，采购进度无从对照")
    done = f.completed_total
    shown = f"已完结采购 {yuan(done)} 元，完成预留 {percent_floor(done, reserved)}"
    if today > policy.year_end:
        return f"年度已结束，{shown}，达到预留金额 {yuan(reserved)} 元"
    return f"{shown}，不低于测算进度 {percent(policy.pace_share(today))}"


# -- R10 -------------------------------------------------------------------------------------


def _unpaid_age(f: UnitFacts, today: date) -> int:
    assert f.unpaid_oldest_on is not None
    return max(0, (today - f.unpaid_oldest_on).days)


def _r10(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.unpaid_oldest_on is None:
        return None
    age = _unpaid_age(f, today)
    limit = policy.purchasing.unpaid_days
    if age <= limit:
        return None
    severity = Severity.CRITICAL if age > 3 * limit else Severity.HIGH
    return R10.flag(
        severity,
        f"{f.unpaid_count} 笔订单未付款，共 {yuan(f.unpaid_fen)} 元，"
        f"最久已 {age} 天（超过 {limit} 天）",
    )


def _r10_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.unpaid_oldest_on is None:
        return "没有待付款订单"
    limit = policy.purchasing.unpaid_days
    age = _unpaid_age(f, today)
    return f"{f.unpaid_count} 笔订单待付款，最久 {age} 天，未超过 {limit} 天"


# -- R11 -------------------------------------------------------------------------------------


def _r11(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.area_missing_count <= 0 and f.area_wrong_count <= 0:
        return None
    expected = f"应为 {f.area_code}" if f.area_code else "单位未登记区域代码"
    parts = []
    if f.area_missing_count:
        parts.append(f"{f.area_missing_count} 笔订单未填区域代码")
    if f.area_wrong_count:
        parts.append(f"{f.area_wrong_count} 笔订单填了其他区域代码")
    label = "区域代码有误" if f.area_wrong_count else "区域代码缺失"
    return R11.flag(Severity.MEDIUM, f"{'，'.join(parts)}（{expected}）", label)


def _r11_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.order_count <= 0:
        return Note("今年尚无订单，无从核对区域代码")
    return "订单均已填写本单位的区域代码"


# -- R12 -------------------------------------------------------------------------------------


def _allowance(f: UnitFacts, policy: Policy) -> str:
    cap = policy.staff_allowance_fen * f.staff_count
    each = policy.purchasing.staff_allowance_yuan
    return f"每人 {each} 元 × {f.staff_count} 人 = {yuan(cap)} 元"


def _r12(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.staff_count <= 0:
        return None
    if f.union_spend <= policy.staff_allowance_fen * f.staff_count:
        return None
    return R12.flag(
        Severity.MEDIUM, f"工会为职工采购 {yuan(f.union_spend)} 元，超过{_allowance(f, policy)}"
    )


def _r12_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.staff_count <= 0:
        if f.union_spend > 0:
            return Note(f"工会采购 {yuan(f.union_spend)} 元，但单位未登记职工人数，无法核对")
        return None
    return (
        f"工会为职工采购 {yuan(f.union_spend)} 元，未超过{_allowance(f, policy)}（职工自购不计入）"
    )


# -- R13 -------------------------------------------------------------------------------------


def _in_year_end_window(policy: Policy, today: date) -> bool:
    return policy.year_end_window_start <= today <= policy.year_end


def _r13(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.open_count <= 0 or not _in_year_end_window(policy, today):
        return None
    days = (policy.year_end - today).days
    when = "今天是年内最后一天" if days == 0 else f"距年底还有 {days} 天"
    return R13.flag(
        Severity.HIGH,
        f"{f.open_count} 笔订单尚未完结，共 {yuan(f.open_fen)} 元；{when}，"
        "年内未完结的交易不计入本年度采购",
    )


def _r13_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if not _in_year_end_window(policy, today):
        return None
    return "没有未完结的订单"


# -- R14 -------------------------------------------------------------------------------------


def _r14(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    reasons = []
    severity = Severity.MEDIUM
    if f.next_follow_up is not None and f.next_follow_up <= today:
        late = (today - f.next_follow_up).days
        if late:
            severity = Severity.HIGH
            reasons.append(f"约定 {f.next_follow_up} 跟进，已逾期 {late} 天")
        else:
            reasons.append("今天约定跟进")
        if f.open_promises > 1:
            reasons[-1] += f"（共 {f.open_promises} 项约定未完成）"
    if f.ticket_due_on is not None and f.ticket_due_on <= today:
        late = (today - f.ticket_due_on).days
        if late:
            severity = Severity.HIGH
            reasons.append(f"工单已超过处理期限 {late} 天")
        else:
            reasons.append("工单今天到期")
    if not reasons:
        return None
    return R14.flag(severity, "；".join(reasons))


def _r14_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.next_follow_up is not None:
        return f"下次跟进约定在 {f.next_follow_up}"
    return "没有到期的跟进或工单"


R9 = Rule("R9", "采购进度落后", "采购进度", "二(三)", _r9, _r9_met)
R10 = Rule("R10", "拖欠货款", "及时付款", "二(三)", _r10, _r10_met)
R11 = Rule("R11", "区域代码有误", "区域代码", "结尾", _r11, _r11_met)
R12 = Rule("R12", "超职工标准", "职工采购标准", "二(二)", _r12, _r12_met)
R13 = Rule("R13", "交易未完结", "交易完结", "二(三)", _r13, _r13_met)
R14 = Rule("R14", "跟进到期", "跟进承诺", "专员承诺", _r14, _r14_met)
