"""Every applicable rule's verdict on one unit, in a sentence: its flag's reason, or why it is fine.

The unit screen shows these so a specialist can read, rule by rule, where a unit stands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from specialist_tui.domain.enums import (
    CanteenMode,
    FilingStatus,
    Level,
    Severity,
    UnionMode,
)
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.money import percent, percent_floor, yuan
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules import RULES


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str
    label: str
    ok: bool
    severity: Severity | None  # None when ok
    sentence: str


Check = Callable[[UnitFacts, Policy, date], str | None]

# Neutral names of the rules, for a verdict that raises no flag (flag labels name the problem).
TITLES: dict[str, str] = {
    "R1": "按时填报",
    "R2": "财政确认",
    "R3": "食堂预留比例",
    "R4": "外包落实",
    "R5": "共用食堂",
    "R6": "无食堂承诺函",
    "R7": "工会预留比例",
    "R8": "同比下降说明",
    "R9": "采购进度",
    "R10": "及时付款",
    "R11": "区域代码",
    "R12": "职工采购标准",
    "R13": "交易完结",
    "R14": "跟进承诺",
}


def _filing(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.filing_status.is_filed:
        return f"预留份额填报{f.filing_status.label}"
    return None  # R1 always has something to say about an unfiled unit


def _confirmation(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.filing_status is FilingStatus.CONFIRMED:
        return "本级财政部门已确认填报"
    if f.filing_status is FilingStatus.SUBMITTED:
        return f"已提交，财政部门确认截止日 {policy.deadlines.confirmation} 未到"
    return None  # not applicable before a submission


def _canteen_ratio(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.canteen_mode not in (CanteenMode.OWN, CanteenMode.OUTSOURCED) or not f.canteen_total:
        return None
    shown = percent_floor(f.canteen_reserved, f.canteen_total)
    return f"食堂预留比例 {shown}，不低于 {percent(policy.min_canteen)}"


def _outsourced(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.canteen_mode is not CanteenMode.OUTSOURCED:
        return None
    return f"外包合同已约定预留比例，采购执行主体“{f.executor}”已开通832平台账号"


def _shared(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.canteen_mode is not CanteenMode.SHARED:
        return None
    if f.representative_code == f.code:
        return "本单位是共用食堂的代表填报单位"
    return f"代表单位 {f.representative_code} 已提交填报"


def _letter(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.level is not Level.PROVINCIAL or f.canteen_mode is not CanteenMode.NONE:
        return None
    return "无食堂承诺函已核实"


def _union_ratio(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.union_mode is not UnionMode.INDEPENDENT or not f.union_total:
        return None
    shown = percent_floor(f.union_reserved, f.union_total)
    return f"工会预留比例 {shown}，不低于 {percent(policy.min_union)}"


def _decline(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.prev_canteen_reserved is None or f.filing_status is FilingStatus.NOT_STARTED:
        return None
    if f.decline_explained:
        return "预留较上年下降，已向本级财政部门说明"
    return "预留金额和比例均不低于上年"


def _pace(f: UnitFacts, policy: Policy, today: date) -> str | None:
    reserved = f.reserved_total
    if not f.filing_status.is_filed or reserved <= 0:
        return None
    done = f.completed_total
    return f"已完结采购 {yuan(done)} 元，完成预留 {percent_floor(done, reserved)}，符合全年进度"


def _unpaid(f: UnitFacts, policy: Policy, today: date) -> str | None:
    limit = policy.purchasing.unpaid_days
    if f.unpaid_oldest_on is None:
        return "没有待付款订单"
    age = (today - f.unpaid_oldest_on).days
    return f"{f.unpaid_count} 笔订单待付款，最久 {age} 天，未超过 {limit} 天"


def _area_code(f: UnitFacts, policy: Policy, today: date) -> str | None:
    return "订单均已填写本单位的区域代码"


def _allowance(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.staff_count <= 0:
        return None
    cap = policy.staff_allowance_fen * f.staff_count
    return f"工会及职工采购 {yuan(f.union_staff_spend)} 元，未超过 {yuan(cap)} 元"


def _open_orders(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if not (policy.year_end_window_start <= today <= policy.year_end):
        return None
    return "年底前没有未完结的订单"


def _promises(f: UnitFacts, policy: Policy, today: date) -> str | None:
    if f.next_follow_up is not None:
        return f"下次跟进约定在 {f.next_follow_up}"
    return "没有到期的跟进或工单"


# What each rule says when it raises no flag; None means the rule does not apply to the unit.
_OK: dict[str, Check] = {
    "R1": _filing,
    "R2": _confirmation,
    "R3": _canteen_ratio,
    "R4": _outsourced,
    "R5": _shared,
    "R6": _letter,
    "R7": _union_ratio,
    "R8": _decline,
    "R9": _pace,
    "R10": _unpaid,
    "R11": _area_code,
    "R12": _allowance,
    "R13": _open_orders,
    "R14": _promises,
}


def verdicts(facts: UnitFacts, policy: Policy, today: date) -> list[Verdict]:
    """Each rule that applies to the unit with its flag or its all-clear: flags first, worst
    first, then the rules it meets in rule order."""
    out: list[Verdict] = []
    for rule, check in RULES.items():
        flag = check(facts, policy, today)
        if flag is not None:
            out.append(Verdict(rule, flag.label, False, flag.severity, flag.reason))
            continue
        sentence = _OK[rule](facts, policy, today)
        if sentence is not None:
            out.append(Verdict(rule, TITLES[rule], True, None, sentence))
    order = {rule: n for n, rule in enumerate(RULES)}
    out.sort(key=lambda v: (v.ok, -(v.severity.weight if v.severity else 0), order[v.rule]))
    return out
