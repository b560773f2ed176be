"""R15: a unit that declared no canteen but buys for a canteen (承诺不实风险, notice 一(三)).

A unit of canteen mode none commits in writing that it has no canteen (附件1); canteen-part
orders on the platform in the same year contradict the commitment. The orders are the reason.
"""

from __future__ import annotations

from datetime import date

from specialist_tui.domain.enums import CanteenMode, Severity
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.money import yuan
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules.base import Rule, Said

# Orders named one by one in the reason; the rest are counted.
NAMED_ORDERS = 3


def _r15(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.canteen_mode is not CanteenMode.NONE:
        return None
    orders = [o for o in f.canteen_orders if o.placed_on <= today]
    if not orders:
        return None
    orders.sort(key=lambda o: (o.placed_on, o.id))
    named = "；".join(
        f"{o.id}（{o.placed_on}，{yuan(o.amount)} 元）" for o in orders[:NAMED_ORDERS]
    )
    more = f" 等 {len(orders)} 笔" if len(orders) > NAMED_ORDERS else ""
    total = sum(o.amount for o in orders)
    # A submitted filing has made the declaration; a draft can still be corrected.
    severity = Severity.HIGH if f.filing_status.is_filed else Severity.MEDIUM
    return R15.flag(
        severity,
        f"申报无食堂，但 {policy.year} 年有 {len(orders)} 笔食堂订单"
        f"（共 {yuan(total)} 元）：{named}{more}",
    )


def _r15_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.canteen_mode is not CanteenMode.NONE:
        return None
    return f"申报无食堂，{policy.year} 年没有食堂订单"


R15 = Rule("R15", "承诺不实风险", "无食堂承诺真实性", "一(三)", _r15, _r15_met)
