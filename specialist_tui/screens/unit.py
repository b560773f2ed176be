"""The unit screen: who to call, where the filing stands rule by rule, and what is owed."""

from __future__ import annotations

import time
from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from specialist_tui.client.letters import LetterError, write_unit_letter
from specialist_tui.client.read_models import UnitContact, UnitDetail, UnitRef
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.domain.enums import LetterStatus
from specialist_tui.domain.letter_state import is_backward, letter_state_text
from specialist_tui.domain.money import yuan
from specialist_tui.domain.policy import PolicyError
from specialist_tui.screens.dialogs import ConfirmDialog
from specialist_tui.screens.letter_dialog import LetterDialog
from specialist_tui.screens.palette import GoToUnit, ScreenActions
from specialist_tui.widgets.fit_footer import FitFooter
from specialist_tui.widgets.progress import progress_line
from specialist_tui.widgets.unit_sections import (
    call_lines,
    events_table,
    filing_text,
    orders_table,
    ticket_lines,
    verdict_grid,
)

# Wider than this, the unit screen shows two columns side by side.
WIDE = 120


class UnitScreen(Screen[None]):
    """One unit, read-only: identity, contacts, verdicts, progress, orders, calls, tickets."""

    HELP_TITLE = "单位详情"  # the `?` help's title

    COMMANDS: ClassVar = {GoToUnit, ScreenActions}

    # The keys a narrow footer keeps, most needed first; `?` lists them all.
    FOOTER_KEYS: ClassVar = (
        "unit.back", "app.log_call", "unit.copy_phone", "unit.letter", "app.new_ticket",
        "app.follow_ups", "app.tickets", "app.quit",
    )  # fmt: skip

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
        # Only on a unit that sends a no-canteen letter (check_action hides it elsewhere).
        Binding("h", "letter", "承诺函", id="unit.letter",
                tooltip="生成无食堂承诺函（DOCX，写入导出文件夹）并标记寄送、盖章、核实或退回"),
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
                # What people read first, the calls and tickets, before the long list of orders.
                yield Static(id="calls-title", classes="section-title")
                yield Static(id="calls")
                yield Static(id="tickets-title", classes="section-title")
                yield Static(id="tickets")
                yield Static(id="events-title", classes="section-title")
                yield Static(id="events")
                yield Static(id="orders-title", classes="section-title")
                yield Static(id="orders")
        yield FitFooter()

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
        self.refresh_bindings()  # the letter key comes and goes with the unit
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
        facts, letter = d.facts, None
        if d.needs_letter:  # the others show the platform's word (无需)
            marked_on = facts.letter_marked_on if facts.letter_from_mark else None
            letter = letter_state_text(facts.letter, marked_on)
        self.query_one("#filing", Static).update(filing_text(d.filing, d.last_filing, letter))

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
        notes = [f"待付款 {unpaid} 笔在前"] if unpaid else []
        if shown < d.order_count:
            notes.append(f"显示前 {shown} 笔")
        about = f"（{'，'.join(notes)}）" if notes else ""
        self.query_one("#orders-title", Static).update(f"{d.year} 年订单 {d.order_count} 笔{about}")
        error = self.app.theme_variables.get("text-error", "red")
        self.query_one("#orders", Static).update(orders_table(d, error))

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
        body.update(events_table(d))

    def _show_tickets(self, d: UnitDetail) -> None:
        active = sum(t.status.is_active for t in d.tickets)
        self.query_one("#tickets-title", Static).update(
            f"工单 {len(d.tickets)} 个（未完成 {active} 个）"
        )
        if not d.tickets:
            self.query_one("#tickets", Static).update("没有工单")
            return
        # Two lines a ticket, like the calls: a six-column table squeezed the subject away.
        lines = [ticket_lines(ticket, d.today) for ticket in d.tickets]
        self.query_one("#tickets", Static).update(Content("\n").join(lines))

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "letter":
            return self.detail is not None and self.detail.needs_letter
        return True

    def action_letter(self) -> None:
        """Write the unit's letter into the export folder, then offer to move its state on."""
        detail = self.detail
        if detail is None or not detail.needs_letter:
            return
        try:
            path = write_unit_letter(self.service, detail.unit.code)
        except (LetterError, PolicyError) as exc:
            self.notify(str(exc), title="无法生成承诺函", severity="error", markup=False)
            written = "承诺函未生成（见提示）"
        else:
            self.notify(f"已生成无食堂承诺函：{path}", title="承诺函", markup=False)
            written = f"已生成：{path}"
        state = letter_state_text(detail.facts.letter, None)
        dialog = LetterDialog(detail.unit.name, written, state)
        self.app.push_screen(dialog, lambda target: self._mark_letter(target, False))

    def _mark_letter(self, target: LetterStatus | None, backward_ok: bool) -> None:
        detail = self.detail
        if target is None or detail is None:
            return
        current = detail.facts.letter
        if is_backward(current, target) and not backward_ok:
            question = f"承诺函从「{current.label}」改回「{target.label}」？"
            self.app.push_screen(
                ConfirmDialog(question, "这是回退，确认后会记录并同步到中心。"),
                lambda yes: self._mark_letter(target, True) if yes else None,
            )
            return
        try:
            Worklog(self.service).mark_letter(detail.unit.code, target, backward_ok=backward_ok)
        except WorklogError as exc:
            self.notify(exc.errors[exc.field], severity="warning", markup=False)
            return
        self.notify(f"承诺函已标记：{target.label}（待同步）", markup=False)
        self.reload()

    def action_copy_phone(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            self.notify("没有可复制的电话", severity="warning")
            return
        self.app.copy_to_clipboard(contact.phone)
        self.notify(f"已复制 {contact.name} 的电话 {contact.phone}", markup=False)
