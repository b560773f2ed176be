"""The units list's named views and sort keys, as SQL over units u and unit_stats s."""

from __future__ import annotations

from dataclasses import dataclass

from specialist_tui.client.cache.facts_sql import TRAINED_IN_LIST
from specialist_tui.domain.rules import LATE_CONFIRMATION_BIT, LATE_FILING_BIT, RULE_BITS


@dataclass(frozen=True, slots=True)
class View:
    name: str
    label: str
    where: str
    default_sort: str
    tab: bool = True  # shown as a tab of the units list (else for commands and exports)


_RATIO_BITS = RULE_BITS["R3"] | RULE_BITS["R7"]

VIEWS: dict[str, View] = {
    v.name: v
    for v in (
        View("follow_up", "需跟进", "s.score > 0", "-score"),
        View(
            "not_filed",
            "未填报",
            "s.filing_status IN ('not_started', 'draft', 'returned')",
            "-score",
        ),
        View("below_ratio", "比例不足", f"(s.flag_mask & {_RATIO_BITS}) != 0", "-score"),
        View("unpaid", "未付款", "s.unpaid_count > 0", "oldest"),
        View("due", "到期待办", f"(s.flag_mask & {RULE_BITS['R14']}) != 0", "follow_up"),
        View("all", "全部", "1", "name"),
        # Lateness is for the year-end 考评, not follow-up: listed apart, never scored.
        View(
            "late",
            "逾期记录",
            f"(s.flag_mask & {LATE_FILING_BIT | LATE_CONFIRMATION_BIT}) != 0",
            "finance",
            tab=False,
        ),
        # Whom to invite to the next training (notice 二(一)): no seminar or training of the
        # year reached them by the list's day. Opened by a key of the list, not a fixed tab.
        View("untrained", "今年未培训", f"NOT {TRAINED_IN_LIST}", "name", tab=False),
    )
}


@dataclass(frozen=True, slots=True)
class SortKey:
    name: str
    label: str
    expr: str
    # What ascending order means for the value a person reads, then descending: the words
    # follow the figure shown (欠款天数 sorts by the oldest date, so ascending is 从多到少).
    ascending: str = "从小到大"
    descending: str = "从大到小"
    nullable: bool = False  # rows without a value go last in either direction


_STATUS_ORDER = (
    "CASE s.filing_status WHEN 'not_started' THEN 0 WHEN 'returned' THEN 1 WHEN 'draft' THEN 2 "
    "WHEN 'submitted' THEN 3 ELSE 4 END"
)
# A unit's 本级财政部门, as domain.finance_office.finance_office_code decides it: R2 is chased
# office by office, so sorting by it groups them.
FINANCE_OFFICE_SQL = (
    "CASE u.level WHEN 'provincial' THEN substr(u.division_code, 1, 2) || '0000' "
    "WHEN 'prefecture' THEN substr(u.division_code, 1, 4) || '00' "
    "ELSE CASE WHEN substr(u.division_code, 5, 2) = '00' "
    "THEN substr(u.division_code, 1, 4) || '00' ELSE u.division_code END END"
)
# A unit's reserved and completed totals over all parts, shared with the summary.
RESERVED_SQL = "(s.canteen_reserved + s.union_reserved)"
COMPLETED_SQL = "(s.completed_canteen + s.completed_union + s.completed_staff)"

_PINYIN_UP, _PINYIN_DOWN = "按拼音 A→Z", "按拼音 Z→A"

SORTS: dict[str, SortKey] = {
    k.name: k
    for k in (
        SortKey("score", "评分", "s.score", "从低到高", "从高到低"),
        SortKey("name", "单位名称", "u.name_pinyin", _PINYIN_UP, _PINYIN_DOWN),
        SortKey("supervisor", "主管部门", "u.supervisor_pinyin", _PINYIN_UP, _PINYIN_DOWN),
        SortKey("area", "区域代码", "u.area_code"),
        SortKey("finance", "本级财政", FINANCE_OFFICE_SQL),
        SortKey("status", "填报状态", _STATUS_ORDER, "未填报在前", "已确认在前"),
        SortKey("reserved", "预留金额", RESERVED_SQL),
        SortKey("completed", "已完成", COMPLETED_SQL),
        SortKey(
            "rate",
            "完成率",
            f"(CASE WHEN {RESERVED_SQL} > 0 THEN {COMPLETED_SQL} * 1.0 / {RESERVED_SQL} END)",
            nullable=True,
        ),
        SortKey("unpaid", "未付款", "s.unpaid_fen"),
        # Ascending by the oldest unpaid date means the longest arrears first.
        SortKey("oldest", "欠款天数", "s.unpaid_oldest_on", "从多到少", "从少到多", nullable=True),
        SortKey("follow_up", "下次跟进", "s.next_follow_up", "从早到晚", "从晚到早", nullable=True),
    )
}

_TIE_BREAK = "s.due_on IS NULL, s.due_on, u.name_pinyin, u.code"


class UnknownKey(ValueError):
    """A view or sort name that does not exist; the message lists the ones that do."""


def view(name: str) -> View:
    try:
        return VIEWS[name]
    except KeyError:
        raise UnknownKey(f"没有视图 {name!r}；可用：{', '.join(VIEWS)}") from None


def order_by(sort: str) -> str:
    """ORDER BY terms for a sort spec: "key" ascending, "-key" descending, ties broken stably."""
    descending = sort.startswith("-")
    name = sort.lstrip("-+")
    try:
        key = SORTS[name]
    except KeyError:
        raise UnknownKey(f"没有排序键 {name!r}；可用：{', '.join(SORTS)}") from None
    direction = "DESC" if descending else "ASC"
    nulls = f"{key.expr} IS NULL, " if key.nullable else ""
    return f"{nulls}{key.expr} {direction}, {_TIE_BREAK}"


def sort_label(sort: str) -> str:
    """A sort spec in words that mean the same on every tab: "欠款天数 从多到少"."""
    key = SORTS[sort.lstrip("-")]
    return f"{key.label} {key.descending if sort.startswith('-') else key.ascending}"
