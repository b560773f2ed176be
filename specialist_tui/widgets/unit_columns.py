"""The units table's columns: which fit a width, and each cell's text from a list row."""

from __future__ import annotations

from dataclasses import dataclass

from specialist_tui.client.read_models import UnitRow
from specialist_tui.widgets.cells import short_yuan


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    priority: int  # narrow screens keep the lowest numbers
    align: str = "left"
    flex: int = 0  # share of the spare width
    sort: str | None = None  # the cache's sort key this column shows


COLUMNS: tuple[Column, ...] = (
    Column("name", "单位名称", 16, 0, flex=4, sort="name"),
    Column("area", "区域代码", 8, 7, sort="area"),
    Column("supervisor", "主管部门", 12, 8, flex=2, sort="supervisor"),
    Column("status", "填报状态", 8, 1, sort="status"),
    Column("canteen", "食堂类型", 8, 9),
    Column("reserved", "预留金额", 9, 4, align="right", sort="reserved"),
    Column("completed", "已完成", 9, 6, align="right", sort="completed"),
    Column("rate", "完成率", 13, 3, sort="rate"),
    Column("unpaid", "未付款", 17, 2, sort="unpaid"),
    Column("follow_up", "下次跟进", 8, 10, sort="follow_up"),
    Column("flags", "标记", 11, 1, flex=1),
)


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit in ``width`` cells, in display order, with their widths."""
    chosen: list[Column] = []
    used = -1  # n columns need n - 1 separating spaces
    for column in sorted(COLUMNS, key=lambda c: c.priority):
        if used + 1 + column.width <= width:
            chosen.append(column)
            used += 1 + column.width
    chosen.sort(key=COLUMNS.index)
    spare = max(0, width - used)
    flex_total = sum(c.flex for c in chosen) or 1
    widths = [c.width + spare * c.flex // flex_total for c in chosen]
    # Rounding leaves a few cells over: give them to the first flexible column.
    leftover = width - (sum(widths) + len(widths) - 1)
    for i, column in enumerate(chosen):
        if column.flex and leftover > 0:
            widths[i] += leftover
            break
    return list(zip(chosen, widths, strict=True))


def cell_text(row: UnitRow, key: str) -> str:
    """The plain text of a column that has no special drawing (not rate or flags)."""
    if key == "name":
        return row.name
    if key == "area":
        return row.area_code or "—"
    if key == "supervisor":
        return row.supervisor or "—"
    if key == "status":
        return row.filing_status.label
    if key == "canteen":
        return row.canteen_mode.label if row.canteen_mode else "—"
    if key == "reserved":
        return short_yuan(row.reserved_fen)
    if key == "completed":
        return short_yuan(row.completed_fen)
    if key == "unpaid":
        if not row.unpaid_count:
            return ""
        days = row.unpaid_oldest_days
        return f"{row.unpaid_count}笔·{short_yuan(row.unpaid_fen)}·{days}天"
    if key == "follow_up":
        due = row.next_follow_up
        return f"{due:%m-%d}" if due else ""
    raise KeyError(key)
