"""R1–R8: the yearly reservation filing (notice section 一), as of a day.

Each check returns a Flag with a Chinese reason carrying its numbers, or None; each ``met``
says what is true of a unit the rule does not flag (see base.Said).
"""

from __future__ import annotations

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
from specialist_tui.domain.rules.base import Note, Rule, Said


def _after_filing_deadline(policy: Policy, today: date) -> bool:
    deadline = policy.deadlines.filing
    return deadline is not None and today > deadline


def days_late(done_on: date | None, deadline: date | None) -> int:
    """Days after the deadline a step was done (0 when on time, not done, or no deadline)."""
    if done_on is None or deadline is None:
        return 0
    return max(0, (done_on - deadline).days)


def filing_state(
    status: FilingStatus, submitted_on: date | None, confirmed_on: date | None, policy: Policy
) -> str:
    """The filing's status as the 考评 reads it: "已提交（逾期 3 天）" for a late one."""
    notes = []
    if status.is_filed and (late := days_late(submitted_on, policy.deadlines.filing)):
        notes.append(f"逾期 {late} 天")
    if status is FilingStatus.CONFIRMED and (
        late := days_late(confirmed_on, policy.deadlines.confirmation)
    ):
        notes.append(f"确认逾期 {late} 天")
    return status.label + (f"（{'，'.join(notes)}）" if notes else "")


# -- R1 --------------------------------------------------------------------------------------


def _r1(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    deadline = policy.deadlines.filing
    if deadline is None or f.filing_status.is_filed:
        return None
    days = (deadline - today).days
    state = "被退回尚未重新提交" if f.filing_status is FilingStatus.RETURNED else "尚未提交"
    if days < 0:
        return R1.flag(
            Severity.CRITICAL, f"预留份额填报{state}，已超过截止日 {deadline} {-days} 天"
        )
    if days == 0:
        return R1.flag(
            Severity.HIGH, f"预留份额填报{state}，今天（{deadline}）截止", "今日截止未填报"
        )
    severity = Severity.MEDIUM if days <= policy.deadlines.filing_warning_days else Severity.LOW
    return R1.flag(severity, f"预留份额填报{state}，距截止日 {deadline} 还有 {days} 天", "尚未填报")


def _r1_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    # Reached only when _r1 raised nothing: the filing is in, or the policy has no deadline.
    deadline = policy.deadlines.filing
    done = f"预留份额填报{f.filing_status.label}"
    if f.submitted_on:
        done += f"，{f.submitted_on} 提交"
    if deadline is None:
        if not f.filing_status.is_filed:
            return Note("政策未设填报截止日，本项不判定")
        return Note(f"{done}；政策未设填报截止日，不判定是否按时")
    late = days_late(f.submitted_on, deadline)
    if late:
        return Note(f"已提交（逾期 {late} 天，截止日 {deadline}），逾期计入考评")
    return f"{done}，截止日 {deadline}"


# -- R2 --------------------------------------------------------------------------------------


def _r2(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    deadline = policy.deadlines.confirmation
    if deadline is None or f.filing_status is not FilingStatus.SUBMITTED or today <= deadline:
        return None
    days = (today - deadline).days
    return R2.flag(
        Severity.HIGH, f"已提交但本级财政部门尚未确认，确认截止日 {deadline} 已过 {days} 天"
    )


def _r2_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    deadline = policy.deadlines.confirmation
    if not f.filing_status.is_filed:
        return None  # nothing to confirm yet
    if deadline is None:
        return Note("政策未设财政确认截止日，本项不判定")
    if f.filing_status is FilingStatus.SUBMITTED:
        return f"已提交，本级财政部门确认截止日 {deadline} 未到"
    late = days_late(f.confirmed_on, deadline)
    if late:
        return Note(f"本级财政部门已确认（逾期 {late} 天，截止日 {deadline}）")
    when = f"（{f.confirmed_on}）" if f.confirmed_on else ""
    return f"本级财政部门已确认填报{when}"


# -- R3 and R7: reserved shares --------------------------------------------------------------


def _ratio_flag(
    rule: Rule,
    part: str,
    reserved: int,
    total: int,
    minimum: Fraction,
    f: UnitFacts,
    policy: Policy,
    today: date,
    zero: str,
) -> Flag | None:
    """The shared shape of R3 and R7: a reserved amount at least ``minimum`` of its total.

    A filing not yet submitted (a draft, or one returned) can still be put right before it is
    submitted: until the filing deadline that is something to fix, not yet a breach.
    """
    filed = f.filing_status.is_filed
    if total == 0:
        return rule.flag(Severity.MEDIUM, zero) if filed else None
    if not below_ratio(reserved, total, minimum):
        return None
    shown = (
        f"{part}预留比例 {percent_floor(reserved, total)} 低于 {percent(minimum)}"
        f"（预留 {yuan(reserved)} 元 / 总额 {yuan(total)} 元）"
    )
    if filed:
        return rule.flag(Severity.HIGH, shown)
    severity = Severity.HIGH if _after_filing_deadline(policy, today) else Severity.MEDIUM
    if f.filing_status is FilingStatus.RETURNED:
        return rule.flag(
            severity, f"退回的填报中{shown}，重新提交前需调至不低于 {percent(minimum)}"
        )
    return rule.flag(severity, f"草稿中{shown}，提交前需调至不低于 {percent(minimum)}")


def _ratio_met(
    part: str, reserved: int, total: int, minimum: Fraction, encouraged: Fraction | None
) -> Said:
    if total <= 0:
        return None  # nothing filed to judge yet (a filed zero total is flagged)
    shown = f"{part}预留比例 {percent_floor(reserved, total)}，不低于 {percent(minimum)}"
    if encouraged is not None and below_ratio(reserved, total, encouraged):
        return Note(f"{shown}；低于鼓励比例 {percent(encouraged)}")
    return shown


def _represents_canteen(f: UnitFacts) -> bool:
    """Own and outsourced canteens file their own share; a shared one files through one unit."""
    if f.canteen_mode in (CanteenMode.OWN, CanteenMode.OUTSOURCED):
        return True
    return f.canteen_mode is CanteenMode.SHARED and f.representative_code == f.code


def _r3(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if not _represents_canteen(f):
        return None
    zero = "已提交填报但年度食堂食材采购总额为 0"
    part = "共用食堂" if f.canteen_mode is CanteenMode.SHARED else "食堂"
    minimum = policy.min_canteen
    return _ratio_flag(
        R3, part, f.canteen_reserved, f.canteen_total, minimum, f, policy, today, zero
    )


def _r3_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.canteen_mode is CanteenMode.SHARED and f.representative_code != f.code:
        if not f.representative_code:
            return Note("共用食堂成员，尚未确定为全组填报预留比例的代表单位")
        return Note(f"共用食堂成员，预留比例由代表单位 {f.representative_code} 为全组填报")
    if not _represents_canteen(f):
        return None
    part = "共用食堂" if f.canteen_mode is CanteenMode.SHARED else "食堂"
    return _ratio_met(
        part, f.canteen_reserved, f.canteen_total, policy.min_canteen, policy.encouraged
    )


def _r7(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.union_mode is not UnionMode.INDEPENDENT:
        return None
    zero = "有独立工会经费但工会采购总额为 0"
    minimum = policy.min_union
    return _ratio_flag(R7, "工会", f.union_reserved, f.union_total, minimum, f, policy, today, zero)


def _r7_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.union_mode is not UnionMode.INDEPENDENT:
        return None
    return _ratio_met("工会", f.union_reserved, f.union_total, policy.min_union, policy.encouraged)


# -- R4, R5, R6: how a unit without its own canteen files ------------------------------------


def _r4(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
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
    return R4.flag(severity, "；".join(missing))


def _r4_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.canteen_mode is not CanteenMode.OUTSOURCED:
        return None
    return f"外包合同已约定预留比例，采购执行主体“{f.executor}”已开通832平台账号"


def _r5(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.canteen_mode is not CanteenMode.SHARED or f.representative_code == f.code:
        return None
    severity = Severity.HIGH if _after_filing_deadline(policy, today) else Severity.MEDIUM
    if not f.representative_code:
        return R5.flag(severity, "共用食堂未确定代表填报单位")
    status = f.representative_status
    if status is not None and status.is_filed:
        return None
    state = "不在本地数据中" if status is None else f"尚未提交填报（{status.label}）"
    return R5.flag(severity, f"代表单位 {f.representative_code} {state}")


def _r5_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.canteen_mode is not CanteenMode.SHARED:
        return None
    if f.representative_code == f.code:
        return "本单位是共用食堂的代表填报单位，为全组填报"
    return f"代表单位 {f.representative_code} 已提交填报"


def _r6(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.level is not Level.PROVINCIAL or f.canteen_mode is not CanteenMode.NONE:
        return None
    letter = f.letter
    when = f"（{f.letter_marked_on} 标记）" if f.letter_from_mark and f.letter_marked_on else ""
    if letter is LetterStatus.VERIFIED:
        return None
    if letter is LetterStatus.STAMPED:
        return R6.flag(
            Severity.LOW, f"无食堂承诺函已盖章报送{when}，待省财政厅核实", "承诺函已盖章待核实"
        )
    if letter is LetterStatus.SENT:
        return R6.flag(
            Severity.MEDIUM,
            f"无食堂承诺函已寄送单位{when}，待主管部门盖章后报送省财政厅",
            "承诺函已寄送待盖章",
        )
    if letter is LetterStatus.REJECTED:
        return R6.flag(
            Severity.HIGH,
            f"无食堂承诺函被退回{when}，需重新盖章报送省财政厅，否则以未完成计入考评",
            "承诺函被退回",
        )
    severity = Severity.HIGH if _after_filing_deadline(policy, today) else Severity.MEDIUM
    return R6.flag(severity, "省本级无食堂单位，无食堂承诺函未报送，将以未完成计入考评")


def _r6_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.level is not Level.PROVINCIAL or f.canteen_mode is not CanteenMode.NONE:
        return None
    when = f"（{f.letter_marked_on} 标记）" if f.letter_from_mark and f.letter_marked_on else ""
    return f"无食堂承诺函已核实{when}"


# -- R8 --------------------------------------------------------------------------------------


def _declines(f: UnitFacts) -> list[str]:
    """How this year's reservation falls below last year's, in sentences (empty: it does not)."""
    if f.prev_canteen_reserved is None or f.prev_canteen_total is None:
        return []
    out = []
    prev_reserved = f.prev_canteen_reserved + (f.prev_union_reserved or 0)
    if f.reserved_total < prev_reserved:
        out.append(
            f"预留金额较上年下降 {yuan(prev_reserved - f.reserved_total)} 元"
            f"（上年 {yuan(prev_reserved)} 元，今年 {yuan(f.reserved_total)} 元）"
        )
    shares = [("食堂", f.prev_canteen_reserved, f.prev_canteen_total)]
    shares.append(("工会", f.prev_union_reserved or 0, f.prev_union_total or 0))
    now = {"食堂": (f.canteen_reserved, f.canteen_total), "工会": (f.union_reserved, f.union_total)}
    for part, before_reserved, before_total in shares:
        reserved, total = now[part]
        if before_total > 0 and total > 0 and reserved * before_total < before_reserved * total:
            before = percent_floor(before_reserved, before_total)
            reasons = f"{part}预留比例由 {before} 降至 {percent_floor(reserved, total)}"
            out.append(reasons)
    return out


def _r8(f: UnitFacts, policy: Policy, today: date) -> Flag | None:
    if f.decline_explained or f.filing_status is FilingStatus.NOT_STARTED:
        return None
    declines = _declines(f)
    if not declines:
        return None
    if not f.filing_status.is_filed:
        # A draft (or a returned filing being redone) can still be fixed before it counts.
        return R8.flag(
            Severity.LOW,
            "草稿预留低于上年，提交前需向财政部门说明：" + "；".join(declines),
            "草稿低于上年",
        )
    return R8.flag(Severity.MEDIUM, "；".join(declines) + "，未向本级财政部门说明")


def _r8_met(f: UnitFacts, policy: Policy, today: date) -> Said:
    if f.prev_canteen_reserved is None or f.filing_status is FilingStatus.NOT_STARTED:
        return None
    declines = _declines(f)
    if declines:
        return "；".join(declines) + "，已向本级财政部门说明"
    return "预留金额和比例均不低于上年"


R1 = Rule("R1", "逾期未填报", "按时填报", "一(二)", _r1, _r1_met)
R2 = Rule("R2", "待财政确认", "财政确认", "一(二)", _r2, _r2_met)
R3 = Rule("R3", "食堂比例不足", "食堂预留比例", "一(一)、一(三)", _r3, _r3_met)
R4 = Rule("R4", "外包未落实", "外包落实", "一(三)", _r4, _r4_met)
R5 = Rule("R5", "共用食堂未落实", "共用食堂", "一(三)", _r5, _r5_met)
R6 = Rule("R6", "缺无食堂承诺函", "无食堂承诺函", "一(三)、二(三)", _r6, _r6_met)
R7 = Rule("R7", "工会比例不足", "工会预留比例", "一(三)", _r7, _r7_met)
R8 = Rule("R8", "下降未说明", "同比下降说明", "一(一)", _r8, _r8_met)
