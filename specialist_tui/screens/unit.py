"""The unit screen: who to call, where the filing stands rule by rule, and what is owed."""

from __future__ import annotations

import time
from datetime import date
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from specialist_tui.client.read_models import UnitContact, UnitDetail, UnitRef
from specialist_tui.client.service import Service
from specialist_tui.domain.enums import (
    CanteenMode,
    OrderStatus,
    Severity,
    UnionMode,
)
from specialist_tui.domain.models import BEIJING, Call, Filing
from specialist_tui.domain.money import percent_floor, yuan
from specialist_tui.screens.palette import GoToUnit, ScreenActions
from specialist_tui.widgets.progress import progress_line

# Wider than this, the unit screen shows two columns side by side.
WIDE = 120


class UnitScreen(Screen[None]):
    """One unit, read-only: identity, contacts, verdicts, progress, orders, calls, tickets."""

    COMMANDS: ClassVar = {GoToUnit, ScreenActions}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回列表", id="unit.back", tooltip="回到单位列表的同一行"),
        Binding("y", "copy_phone", "复制电话", id="unit.copy_phone",
                tooltip="复制所选联系人的电话号码"),
        # j/k and the arrows pick the contact that y copies and c/t prefill; the page
        # scrolls with PgUp/PgDn and the mouse.
        Binding("j,down", "contact(1)", "下一个联系人", show=False, id="unit.next_contact",
                tooltip="选下一个联系人", priority=True),
        Binding("k,up", "contact(-1)", "上一个联系人", show=False, id="unit.previous_contact",
                tooltip="选上一个联系人", priority=True),
        Binding("pagedown", "scroll(1)", "向下滚动", show=False, id="unit.scroll_down",
                tooltip="页面向下滚动"),
        Binding("pageup", "scroll(-1)", "向上滚动", show=False, id="unit.scroll_up",
                tooltip="页面向上滚动"),
    ]  # fmt: skip

    def __init__(self, service: Service, code: str) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self.detail: UnitDetail | None = None
        self.loaded_at = 0.0  # perf_counter when the detail was shown (the bench reads it)

    def compose(self) -> ComposeResult:
        yield Static("正在读取单位信息…", id="unit-title")
        with VerticalScroll(id="unit-body"), Horizontal(id="unit-columns"):
            with Vertical(id="unit-left", classes="unit-column"):
                yield Static(id="identity")
                yield Static("联系人", classes="section-title")
                yield OptionList(id="contacts")
                yield Static(id="filing-title", classes="section-title")
                yield Static(id="filing")
                yield Static(id="verdicts-title", classes="section-title")
                yield Static(id="verdicts")
            with Vertical(id="unit-right", classes="unit-column"):
                yield Static(
                    "预留与完成（┃ 为按全年进度今天应达到的位置）", classes="section-title"
                )
                yield Static(id="progress")
                yield Static("月度已完结采购", classes="section-title")
                yield Sparkline([], id="spend")
                yield Static(id="spend-axis")
                yield Static(id="orders-title", classes="section-title")
                yield Static(id="orders")
                yield Static(id="calls-title", classes="section-title")
                yield Static(id="calls")
                yield Static(id="events-title", classes="section-title")
                yield Static(id="events")
                yield Static(id="tickets-title", classes="section-title")
                yield Static(id="tickets")
        yield Footer()

    def on_mount(self) -> None:
        self._set_width_class(self.size.width)
        self._load()

    def on_resize(self) -> None:
        self._set_width_class(self.size.width)

    def _set_width_class(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")

    def _load(self) -> None:
        # Read on the screen's own thread: a unit's detail is a handful of indexed lookups
        # (well under a millisecond at 100k units), and filling the screen before its first
        # frame saves a second layout pass and a flash of an empty screen.
        self._show(self.service.unit_detail(self.code))

    def reload(self) -> None:
        """Read the unit again (after a call or ticket was saved for it)."""
        self._load()

    def show_unit(self, code: str) -> None:
        """Show another unit on this screen."""
        self.code = code
        if self.is_mounted:
            self._load()
            self.query_one("#unit-body", VerticalScroll).scroll_home(animate=False)

    def _show(self, detail: UnitDetail | None) -> None:
        self.detail = detail
        self.loaded_at = 0.0
        body = self.query_one("#unit-body")
        body.display = detail is not None
        if detail is None:
            self.query_one("#unit-title", Static).update(f"找不到单位 {self.code}（可能已被删除）")
            return
        self._show_identity(detail)
        self._show_contacts(detail)
        self._show_filing(detail)
        self._show_verdicts(detail)
        self._show_progress(detail)
        self._show_spend(detail)
        self._show_orders(detail)
        self._show_calls(detail)
        self._show_events(detail)
        self._show_tickets(detail)
        self.loaded_at = time.perf_counter()

    # -- sections ---------------------------------------------------------------------------

    def _show_identity(self, d: UnitDetail) -> None:
        unit = d.unit
        title = Content.assemble((unit.name, "bold"), "  ", (unit.code, "$text-muted"))
        self.query_one("#unit-title", Static).update(title)
        supervisor = unit.supervisor_name or "无"
        lines = [
            f"[b]层级[/b] {unit.level.label} · [b]行政区划[/b] {unit.division_code}"
            f" · [b]区域代码[/b] {escape(unit.area_code or '未登记')}",
            f"[b]主管部门[/b] {escape(supervisor)}",
            f"[b]职工人数[/b] {unit.staff_count} 人",
        ]
        if d.specialist:
            lines.append(f"[b]服务专员[/b] {escape(d.specialist.name)}")
        self.query_one("#identity", Static).update("\n".join(lines))

    def _show_contacts(self, d: UnitDetail) -> None:
        contacts = self.query_one("#contacts", OptionList)
        contacts.clear_options()
        for n, contact in enumerate(d.unit.contacts):
            text = f"{contact.role.label:　<3} {contact.name}  {contact.phone}"
            contacts.add_option(Option(text, id=str(n)))
        if not d.unit.contacts:
            contacts.add_option(Option("没有登记联系人", disabled=True))
        contacts.highlighted = 0 if d.unit.contacts else None

    def _show_filing(self, d: UnitDetail) -> None:
        self.query_one("#filing-title", Static).update(f"{d.year} 年预留份额填报")
        self.query_one("#filing", Static).update(filing_text(d.filing, d.last_filing))

    def _show_verdicts(self, d: UnitDetail) -> None:
        flagged = len(d.flags)
        title = f"规则核对 · {flagged} 项标记" if flagged else "规则核对 · 没有标记"
        self.query_one("#verdicts-title", Static).update(title)
        self.query_one("#verdicts", Static).update(verdict_grid(d, self.app.theme_variables))

    def _show_progress(self, d: UnitDetail) -> None:
        width = self.query_one("#progress", Static).size.width or 60
        bar_width = max(10, min(40, width - 40))
        lines = [progress_line(part, bar_width) for part in d.parts]
        self.query_one("#progress", Static).update(Content("\n").join(lines))

    def _show_spend(self, d: UnitDetail) -> None:
        months = d.today.month if d.today.year == d.year else 12
        data = [fen / 100 for fen in d.monthly[:months]]
        self.query_one("#spend", Sparkline).data = data
        best = max(d.monthly[:months] or [0])
        axis = f"1–{months} 月 · 最高 {yuan(best)} 元 · 合计 {yuan(sum(d.monthly))} 元"
        self.query_one("#spend-axis", Static).update(axis)

    def _show_orders(self, d: UnitDetail) -> None:
        unpaid = d.facts.unpaid_count
        shown = len(d.orders)
        more = f"，显示前 {shown} 笔" if shown < d.order_count else ""
        self.query_one("#orders-title", Static).update(
            f"{d.year} 年订单 {d.order_count} 笔（待付款 {unpaid} 笔在前{more}）"
        )
        error = self.app.theme_variables.get("text-error", "red")
        table = read_only_table("订单号", "下单日期", "金额（元）", "类别", "状态", "天数")
        for order in d.orders:
            status = order.status
            placed = order.placed_at.date()
            unpaid_order = status is OrderStatus.PENDING_PAYMENT
            age = str((d.today - placed).days) if unpaid_order else ""
            table.add_row(
                order.id,
                placed.isoformat(),
                Text(yuan(order.amount), justify="right"),
                order.part.label,
                Text(status.label, style=f"bold {error}" if unpaid_order else ""),
                age,
            )
        self.query_one("#orders", Static).update(table)

    def _show_calls(self, d: UnitDetail) -> None:
        self.query_one("#calls-title", Static).update(f"服务通话 {len(d.calls)} 次")
        if not d.calls:
            self.query_one("#calls", Static).update("还没有通话记录")
            return
        # Two lines a call rather than a seven-column table: in half the screen's width the
        # table squeezed every column to "方…  联系…", and the notes are what people read.
        names = self.service.specialist_names()
        lines = [call_lines(call, names) for call in d.calls]
        self.query_one("#calls", Static).update(Content("\n").join(lines))

    def _show_events(self, d: UnitDetail) -> None:
        """Seminars, trainings and visits the unit attended; hidden until there is one."""
        title, body = self.query_one("#events-title", Static), self.query_one("#events", Static)
        title.display = body.display = bool(d.events)
        if not d.events:
            return
        trained = sum(e.kind.trains and e.starts_at.year == d.year for e in d.events)
        title.update(f"座谈会 · 培训 · 走访 {len(d.events)} 次（{d.year} 年培训 {trained} 次）")
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
        body.update(table)

    def _show_tickets(self, d: UnitDetail) -> None:
        active = sum(t.status.is_active for t in d.tickets)
        self.query_one("#tickets-title", Static).update(
            f"工单 {len(d.tickets)} 个（未完成 {active} 个）"
        )
        if not d.tickets:
            self.query_one("#tickets", Static).update("没有工单")
            return
        table = read_only_table("主题", "类别", "优先级", "状态", "截止", "创建")
        for ticket in d.tickets:
            due = f"{ticket.due_at:%Y-%m-%d %H:%M}" if ticket.due_at else ""
            table.add_row(
                ticket.subject,
                ticket.category.label,
                ticket.priority.label,
                ticket.status.label,
                due,
                f"{ticket.created_at:%Y-%m-%d}",
            )
        self.query_one("#tickets", Static).update(table)

    # -- actions ----------------------------------------------------------------------------

    def current_unit(self) -> UnitRef | None:
        """The unit shown (code, name, contacts), for the call and ticket forms."""
        return UnitRef.of_unit(self.detail.unit) if self.detail else None

    def open_promise(self) -> tuple[str, date, int] | None:
        """The unit's name, its earliest open promise's day and how many are open (for `d`)."""
        if self.detail is None or (on := self.detail.facts.next_follow_up) is None:
            return None
        return self.detail.unit.name, on, max(1, self.detail.facts.open_promises)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: int) -> None:
        body = self.query_one("#unit-body", VerticalScroll)
        body.scroll_relative(y=direction * max(3, body.size.height - 2), animate=False)

    def action_contact(self, step: int) -> None:
        contacts = self.query_one("#contacts", OptionList)
        count = len(self.detail.unit.contacts) if self.detail else 0
        if count:
            current = contacts.highlighted or 0
            contacts.highlighted = min(count - 1, max(0, current + step))

    def selected_contact(self) -> UnitContact | None:
        """The contact picked with j/k (y copies its phone, c and t start with it)."""
        contacts = UnitRef.of_unit(self.detail.unit).contacts if self.detail else ()
        index = self.query_one("#contacts", OptionList).highlighted
        return contacts[index] if index is not None and 0 <= index < len(contacts) else None

    def action_copy_phone(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            self.notify("没有可复制的电话", severity="warning")
            return
        self.app.copy_to_clipboard(contact.phone)
        self.notify(f"已复制 {contact.name} 的电话 {contact.phone}", markup=False)


# Severity badges as Rich styles: the verdicts are laid out by a Rich grid, whose second column
# wraps long reasons under themselves rather than under the badge.
RICH_SEVERITY = {
    Severity.CRITICAL: ("bold reverse", "text-error"),
    Severity.HIGH: ("bold", "text-error"),
    Severity.MEDIUM: ("", "text-warning"),
    Severity.LOW: ("dim", ""),
}


def verdict_grid(d: UnitDetail, colours: dict[str, str]) -> Table:
    """Every applicable rule in two columns: a badge, and the rule with its sentence."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=6, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for verdict in d.verdicts:
        if verdict.ok:
            style = f"bold {colours.get('text-success', 'green')}"
            badge = Text("  ✓", style=style)
            head = Text(f"{verdict.rule} {verdict.label}：", style="bold")
        elif verdict.severity is None:  # a note: the rule cannot judge, or only advises
            badge = Text(" 说明", style=colours.get("text-muted", "dim"))
            head = Text(f"{verdict.rule} {verdict.label}：", style="bold")
        else:
            emphasis, colour = RICH_SEVERITY[verdict.severity]
            colour = colours.get(colour, "") if colour else ""
            badge = Text(f" {verdict.severity.label} ", style=f"{emphasis} {colour}".strip())
            head = Text(f"{verdict.rule} {verdict.label}：", style=f"bold {colour}".strip())
        grid.add_row(badge, head + Text(verdict.sentence))
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
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold", show_edge=False)
    for head in heads:
        table.add_column(head, no_wrap=head != "备注", overflow="ellipsis")
    return table


def filing_text(filing: Filing | None, last: Filing | None) -> Content:
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
        lines.append(f"[b]食堂[/b] 无食堂 · 承诺函 {filing.no_canteen_letter.label}")
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
        lines.append(
            f"[b]上年[/b] 预留 {yuan(last_reserved)} 元"
            f"（食堂 {percent_floor(last.canteen_reserved, last.canteen_total)}）"
        )
    if filing.decline_explained:
        text = escape(filing.decline_explanation)
        lines.append(f"[b]下降说明[/b] {text or '已说明'}")
    return Content.from_markup("\n".join(lines))
