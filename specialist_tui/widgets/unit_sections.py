"""The unit screen's sections as renderables: pure functions from its read model to text.

The screen (screens/unit.py) owns the layout, the keys and the loading; what each section says
lives here, so it can grow without the screen growing with it.
"""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.markup import escape

from specialist_tui.client.read_models import UnitDetail
from specialist_tui.domain.enums import CanteenMode, OrderStatus, Severity, UnionMode
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.models import Call, Filing, Ticket
from specialist_tui.domain.money import percent_floor, yuan

# Severity badges as Rich styles: the verdicts are laid out by a Rich grid, whose second column
# wraps long reasons under themselves rather than under the badge.
RICH_SEVERITY = {
    Severity.CRITICAL: ("bold reverse", "text-error"),
    Severity.HIGH: ("bold", "text-error"),
    Severity.MEDIUM: ("", "text-warning"),
    Severity.LOW: ("dim", ""),
}


def verdict_grid(d: UnitDetail, colours: dict[str, str]) -> Table:
    """Every applicable rule in three columns: a badge, the rule, its label and sentence.

    The rule has a column of its own so that the sentence starts its cell: Rich wraps at
    spaces, and a Chinese sentence longer than the cell then folds where it stands instead of
    leaving "R9" alone on a line.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=6, no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for verdict in d.verdicts:
        if verdict.ok:
            style = f"bold {colours.get('text-success', 'green')}"
            badge, head_style = Text("  ✓", style=style), "bold"
        elif verdict.severity is None:  # a note: the rule cannot judge, or only advises
            badge, head_style = Text(" 说明", style=colours.get("text-muted", "dim")), "bold"
        else:
            emphasis, colour = RICH_SEVERITY[verdict.severity]
            colour = colours.get(colour, "") if colour else ""
            badge = Text(f" {verdict.severity.label} ", style=f"{emphasis} {colour}".strip())
            head_style = f"bold {colour}".strip()
        head = Text(f"{verdict.label}：", style=head_style)
        grid.add_row(badge, Text(verdict.rule, style=head_style), head + Text(verdict.sentence))
    return grid


def call_lines(call: Call, names: dict[str, str]) -> Content:
    """A call in two lines: when, who, outcome, topics and follow-up; then the note and author."""
    topics = "、".join(t.label for t in call.topics)
    head: list[tuple[str, str] | str] = [
        (f"{call.started_at.astimezone(BEIJING):%Y-%m-%d %H:%M}", "bold"),
        f" {call.direction.label}",
        f" {call.contact_name or '—'}",
        (f" {call.outcome.label}", "$text-accent"),
    ]
    if topics:
        head.append(f" · {topics}")
    if call.follow_up_on:
        action = f" {call.follow_up_action}" if call.follow_up_action else ""
        head.append((f" · {call.follow_up_on.isoformat()} 跟进{action}", "$text-warning"))
    author = names.get(call.author or "", call.author or "")
    note: list[tuple[str, str] | str] = ["  ", call.notes or ("（无备注）", "$text-muted")]
    if author:
        note.append((f" · 记录人 {author}", "$text-muted"))
    return Content.assemble(*head, "\n", *note)


def read_only_table(*heads: str) -> Table:
    """A plain table for lists shown, not edited, on this screen (cheaper than DataTable)."""
    table = Table(
        box=None, padding=(0, 2, 0, 0), pad_edge=False, header_style="bold", show_edge=False
    )
    for head in heads:
        table.add_column(head, no_wrap=True, overflow="ellipsis")
    return table


def filing_text(filing: Filing | None, last: Filing | None, letter: str | None = None) -> Content:
    """The filing in a few sentences: status and dates, canteen, union, and last year."""
    if filing is None:
        return Content.styled("今年尚未开始填报", "bold $text-error")
    lines: list[str] = []
    dates = []
    if filing.submitted_at:
        dates.append(f"{filing.submitted_at:%Y-%m-%d} 提交")
    if filing.confirmed_at:
        dates.append(f"{filing.confirmed_at:%Y-%m-%d} 确认")
    lines.append(
        f"[b]状态[/b] {filing.status.label}" + (f"（{'，'.join(dates)}）" if dates else "")
    )
    mode = filing.canteen_mode
    if mode is None:
        lines.append("[b]食堂[/b] 未填")
    elif mode is CanteenMode.NONE:
        shown = letter or filing.no_canteen_letter.label  # the tracked state, when it is one
        lines.append(f"[b]食堂[/b] 无食堂 · 承诺函 {escape(shown)}")
    else:
        total, reserved = filing.canteen_total, filing.canteen_reserved
        line = (
            f"[b]食堂[/b] {mode.label} · 年度采购总额 {yuan(total)} 元 · 预留 {yuan(reserved)} 元"
            f"（{percent_floor(reserved, total)}）"
        )
        if mode is CanteenMode.OUTSOURCED:
            line += (
                f"\n      承包方 {escape(filing.contractor or '未填')} · 合同比例条款 "
                f"{'有' if filing.contract_clause else '无'} · 执行主体 "
                f"{escape(filing.executor or '未定')}"
                f"{'（已开户）' if filing.executor_account_opened else '（未开户）'}"
            )
        if mode is CanteenMode.SHARED:
            line += f"\n      代表填报单位 {filing.representative_code or '未定'}"
        lines.append(line)
    union = filing.union_mode
    if union is UnionMode.INDEPENDENT:
        total, reserved = filing.union_total, filing.union_reserved
        lines.append(
            f"[b]工会[/b] {union.label} · 采购总额 {yuan(total)} 元 · 预留 {yuan(reserved)} 元"
            f"（{percent_floor(reserved, total)}）"
        )
    elif union is not None:
        lines.append(f"[b]工会[/b] {union.label}")
    if last is not None:
        last_reserved = last.canteen_reserved + last.union_reserved
        ratio = percent_floor(last.canteen_reserved, last.canteen_total)
        canteen = f"（食堂 {ratio}）" if last.canteen_total else ""  # no canteen: no ratio
        lines.append(f"[b]上年[/b] 预留 {yuan(last_reserved)} 元{canteen}")
    if filing.decline_explained:
        text = escape(filing.decline_explanation)
        lines.append(f"[b]下降说明[/b] {text or '已说明'}")
    return Content.from_markup("\n".join(lines))


def orders_table(d: UnitDetail, error_colour: str) -> Table:
    """The year's orders, unpaid first, each unpaid one with its age in days.

    Dates without the year (the title names it) and short headers: the table fits the half
    screen it has at 120 columns (56 cells) without squeezing a column to "食…".
    """
    table = read_only_table("订单号", "日期", "金额(元)", "类别", "状态", "天数")
    for order in d.orders:
        status = order.status
        placed = order.placed_at.astimezone(BEIJING).date()
        unpaid_order = status is OrderStatus.PENDING_PAYMENT
        age = str(max(0, (d.today - placed).days)) if unpaid_order else ""
        table.add_row(
            order.id,
            f"{placed:%m-%d}" if placed.year == d.year else placed.isoformat(),
            Text(yuan(order.amount), justify="right"),
            order.part.label,
            Text(status.label, style=f"bold {error_colour}" if unpaid_order else ""),
            Text(age, justify="right"),
        )
    return table


def events_table(d: UnitDetail) -> Table:
    """Seminars, trainings and visits the unit attended."""
    table = read_only_table("时间", "类型", "主题", "地点", "人数", "后续跟进")
    for event in d.events:
        table.add_row(
            f"{event.starts_at.astimezone(BEIJING):%Y-%m-%d %H:%M}",
            event.kind.label,
            event.topic,
            event.place or event.online_link,
            str(event.people),
            event.follow_up,
        )
    return table


def ticket_lines(ticket: Ticket, today: date) -> Content:
    """A ticket in two lines: subject, status and priority; then category, due and created."""
    due = ticket.due_at.astimezone(BEIJING) if ticket.due_at else None
    overdue = due is not None and ticket.status.is_active and due.date() < today
    status_style = "$text-warning" if ticket.status.is_active else "$text-muted"
    head: list[tuple[str, str] | str] = [
        (ticket.subject, "bold"),
        (f" {ticket.status.label}", status_style),
        f" · {ticket.priority.label}优先级",
    ]
    detail: list[tuple[str, str] | str] = ["  ", ticket.category.label]
    if due is not None:
        detail.append((f" · 截止 {due:%Y-%m-%d %H:%M}", "$text-error" if overdue else ""))
        if overdue:
            detail.append((" 已逾期", "bold $text-error"))
    created = ticket.created_at.astimezone(BEIJING)
    detail.append((f" · {created:%Y-%m-%d} 创建", "$text-muted"))
    return Content.assemble(*head, "\n", *detail)
