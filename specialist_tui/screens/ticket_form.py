"""新建工单: the modal ticket form; the due time follows the policy for the chosen priority."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Static, TextArea

from specialist_tui.client.read_models import UnitContact, UnitRef
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.enums import TicketCategory, TicketPriority
from specialist_tui.domain.models import Ticket
from specialist_tui.screens.worklog_base import (
    FORM_CSS,
    error_line,
    field_row,
    options,
)
from specialist_tui.screens.worklog_form import WorklogForm
from specialist_tui.widgets.choice import Choice
from specialist_tui.widgets.fit_footer import FitFooter

_ERROR_LINES = {
    "category": "category",
    "priority": "priority",
    "subject": "subject",
    "description": "description",
    "order_id": "order",
}


class TicketForm(WorklogForm[Ticket]):
    """Open a ticket for one unit; dismisses with the saved Ticket (or None when cancelled).

    Set up in compose only (see CallForm for why).
    """

    HELP_TITLE = "新建工单"  # the `?` help's title

    AUTO_FOCUS = "#category"

    DEFAULT_CSS = (
        FORM_CSS
        + """
    TicketForm { align: center middle; }
    TicketForm #priority { width: 30; }
    TicketForm #due { width: 1fr; color: $text-muted; }
    TicketForm .field-row.tall { height: 4; }
    TicketForm #description { height: 4; width: 1fr; }
    TicketForm #same-category { color: $warning; height: auto; padding-left: 9; }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="ticket.save", tooltip="校验并创建工单"),
        Binding("escape", "cancel", "取消", id="ticket.cancel", tooltip="不保存，关闭表单"),
    ]

    ERROR_LINES = _ERROR_LINES

    def __init__(
        self,
        worklog: Worklog,
        unit: UnitRef,
        order_id: str = "",
        contact: UnitContact | None = None,
    ) -> None:
        """``contact`` (picked on the unit screen) starts the description."""
        super().__init__(worklog)
        self.unit = unit
        self.order_id = order_id
        self.contact = contact

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog"):
            yield Static(f"新建工单 · {escape(self.unit.name)}", classes="form-title")
            yield field_row("类别", Choice(options(TicketCategory), "account", id="category"))
            warning = self._same_category("account")
            same = Static(warning, id="same-category", markup=False)
            same.display = bool(warning)
            yield same
            yield error_line("category")
            yield field_row(
                "优先级",
                Choice(options(TicketPriority), "normal", id="priority"),
                Label(self._due_text("normal"), id="due"),
            )
            yield error_line("priority")
            yield field_row("标题", Input(placeholder="一句话说明问题", compact=True, id="subject"))
            yield error_line("subject")
            yield field_row(
                "描述",
                TextArea(
                    self._contact_line(),
                    compact=True,
                    placeholder="详细情况（可不填）",
                    id="description",
                ),
                classes="tall",
            )
            yield error_line("description")
            yield field_row(
                "订单",
                Input(self.order_id, placeholder="相关订单号（可不填）", compact=True, id="order"),
            )
            yield error_line("order")
            yield error_line("form")
            yield Static("←→ 改选项 · Tab 下一栏 · Ctrl+S 保存", classes="form-hint")
        yield FitFooter()

    def _contact_line(self) -> str:
        if self.contact is None or not self.contact.name:
            return ""
        return f"联系人：{self.contact.name} {self.contact.phone}".rstrip() + "\n"

    @on(Choice.Changed, "#category")
    def _category_changed(self, event: Choice.Changed) -> None:
        warning = self._same_category(event.value)
        same = self.query_one("#same-category", Static)
        same.update(warning)
        same.display = bool(warning)

    def _same_category(self, category: str) -> str:
        """A warning when the unit already has an open ticket of this category."""
        active = self.worklog.active_tickets(self.unit.code, category)
        if not active:
            return ""
        first = active[0]
        more = f" 等 {len(active)} 张" if len(active) > 1 else ""
        return f"注意：本单位已有未办结的同类工单「{first.subject}」（{first.status.label}）{more}"

    @on(Choice.Changed, "#priority")
    def _priority_changed(self, event: Choice.Changed) -> None:
        self._show_due(event.value)

    def _show_due(self, priority: str) -> None:
        self.query_one("#due", Label).update(self._due_text(priority))

    def _due_text(self, priority: str) -> str:
        return f"截止 {self.worklog.due_at(priority, self.worklog.now()):%m-%d %H:%M}"

    def store(self, fields: dict[str, Any]) -> Ticket:
        return self.worklog.open_ticket(**fields)

    def read_fields(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's values as open_ticket arguments; the work log checks them all."""
        fields: dict[str, Any] = {
            "unit_code": self.unit.code,
            "category": self.query_one("#category", Choice).value,
            "priority": self.query_one("#priority", Choice).value,
            "subject": self.query_one("#subject", Input).value,
            "description": self.query_one("#description", TextArea).text,
            "order_id": self.query_one("#order", Input).value,
        }
        return fields, {}

    def saved_note(self, record: Ticket) -> str:
        due = f"，截止 {record.due_at:%m-%d %H:%M}" if record.due_at else ""
        return f"已创建工单：{record.subject}{due}"
