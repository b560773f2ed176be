"""我的工单: the tickets queue, overdue first, then by due time and priority; filters by status
and category; enter opens a ticket's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static
from textual.worker import Worker

from specialist_tui.client.read_models import TicketRow
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.enums import TicketCategory, TicketStatus
from specialist_tui.domain.fields import BEIJING
from specialist_tui.screens.ticket import TicketScreen
from specialist_tui.screens.worklog_base import field_row, options, report_failure
from specialist_tui.widgets.choice import Choice
from specialist_tui.widgets.fit_footer import FitFooter
from specialist_tui.widgets.list_table import ListTable

STATUS_FILTERS = [("", "进行中"), *options(TicketStatus), ("all", "全部")]
CATEGORY_FILTERS = [("", "全部"), *options(TicketCategory)]


# Least widths that fit 80 columns, most useful columns first; a wider terminal widens the
# columns whose texts need it (单位, 标题), up to their longest text.
COLUMNS = [
    ("截止", 16), ("状态", 8), ("优先", 4), ("类别", 4), ("单位", 10), ("标题", 12), ("同步", 6),
]  # fmt: skip


def due_cell(row: TicketRow) -> Text:
    """The due time as MM-DD HH:MM, red with 逾期 when the ticket is past it."""
    due = f"{row.ticket.due_at.astimezone(BEIJING):%m-%d %H:%M}" if row.ticket.due_at else ""
    if row.overdue:
        return Text(f"{due} 逾期", style="bold red")
    return Text(due)


class TicketsScreen(Screen[None]):
    """The queue of tickets in the cache, refreshed after every change."""

    HELP_TITLE = "我的工单"  # the `?` help's title

    AUTO_FOCUS = "#queue"  # not the first filter: arrows and enter work the list at once

    DEFAULT_CSS = """
    TicketsScreen { layout: vertical; }
    TicketsScreen #tickets-title { height: 1; text-style: bold; padding: 0 1; background: $panel; }
    TicketsScreen .field-row { height: 1; padding: 0 1; }
    TicketsScreen .field-label { width: 6; color: $text-muted; }
    TicketsScreen DataTable { height: 1fr; }
    TicketsScreen #tickets-empty { padding: 1 2; color: $text-muted; display: none; }
    """

    # The keys a narrow footer keeps, most needed first; `?` lists them all.
    FOOTER_KEYS: ClassVar = (
        "list.open", "tickets.back", "tickets.status", "tickets.category", "tickets.export",
        "app.follow_ups", "tickets.reload", "app.quit",
    )  # fmt: skip

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="tickets.back", tooltip="回到上一屏"),
        Binding("s", "cycle('status')", "状态", id="tickets.status", tooltip="切换状态筛选"),
        # Not f: f opens the follow-ups from every list.
        Binding("l", "cycle('category')", "类别", id="tickets.category", tooltip="切换类别筛选"),
        Binding("r", "reload", "刷新", id="tickets.reload", tooltip="重新读取工单"),
        Binding("e", "export", "导出", id="tickets.export",
                tooltip="把列表中的工单（按当前筛选）导出为 XLSX 或 CSV"),
    ]  # fmt: skip

    @dataclass
    class Loaded(Message):
        rows: list[TicketRow]

    def __init__(self, worklog: Worklog) -> None:
        super().__init__()
        self.worklog = worklog
        self.status = ""  # "" is every active ticket
        self.category = ""
        self.shown: list[TicketRow] = []  # the rows listed, in order (what `e` writes)

    def compose(self) -> ComposeResult:
        yield Static("我的工单", id="tickets-title")
        yield field_row("状态", Choice(STATUS_FILTERS, "", id="status-filter"))
        yield field_row("类别", Choice(CATEGORY_FILTERS, "", id="category-filter"))
        yield ListTable(id="queue")
        yield Label("没有符合条件的工单。在单位列表或单位页按 t 新建。", id="tickets-empty")
        yield FitFooter()

    def on_screen_resume(self) -> None:
        # Shown, or back from a ticket or a call form: read again. (Not in on_mount, which a
        # key typed while the app quits can reach on a screen that was never composed.)
        self.action_reload()

    def action_reload(self) -> None:
        self._load(self.status or None, self.category or None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tickets-load")
    def _load(self, status: str | None, category: str | None) -> None:
        self.post_message(self.Loaded(self.worklog.tickets_queue(status, category)))

    def action_export(self) -> None:
        from specialist_tui.client.exports import tickets_sheet, write_list
        from specialist_tui.client.sheets import Format
        from specialist_tui.screens.export import ExportDialog, Exported

        rows = self.shown
        status = dict(STATUS_FILTERS)[self.status]
        category = dict(CATEGORY_FILTERS)[self.category]
        today = self.worklog.service.today
        title = f"我的工单 · 状态 {status} · 类别 {category} · 截至 {today}"
        default = self.worklog.service.settings.export_dir / f"我的工单-{today:%Y%m%d}.xlsx"

        def write(path: Path, fmt: Format) -> int:
            return write_list(path, tickets_sheet(rows, title), fmt)

        def exported(result: Exported | None) -> None:
            if result is not None:
                self.notify(f"已导出 {result.units:,} 个工单 → {result.path}")

        what = f"{title} · {len(rows)} 个"
        self.app.push_screen(ExportDialog(what, default, write), exported)

    def on_tickets_screen_loaded(self, message: Loaded) -> None:
        if not self.is_current or not self.is_attached:
            return  # covered, or torn down by a quit: it reads again when shown
        table = self.query_one(ListTable)
        selected = self._selected_id()
        self.shown = list(message.rows)
        table.show_rows(
            COLUMNS,
            [
                (
                    str(row.ticket.id),
                    (
                        due_cell(row),
                        row.ticket.status.label,
                        row.ticket.priority.label,
                        row.ticket.category.label,
                        row.unit_name or row.ticket.unit_code,
                        row.ticket.subject,
                        "已同步" if row.pushed else "待同步",
                    ),
                )
                for row in message.rows
            ],
        )
        if selected is not None and selected in {str(r.ticket.id) for r in message.rows}:
            table.move_cursor(row=table.get_row_index(selected))
        active = sum(1 for r in message.rows if r.ticket.status.is_active)
        overdue = sum(1 for r in message.rows if r.overdue)
        self.query_one("#tickets-title", Static).update(
            f"我的工单 · {len(message.rows)} 件 · 进行中 {active} · 逾期 {overdue}"
        )
        self.query_one("#tickets-empty").display = not message.rows

    def _selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value)

    @on(Choice.Changed, "#status-filter")
    def _status_changed(self, event: Choice.Changed) -> None:
        self.status = event.value
        self.action_reload()

    @on(Choice.Changed, "#category-filter")
    def _category_changed(self, event: Choice.Changed) -> None:
        self.category = event.value
        self.action_reload()

    def action_cycle(self, which: str) -> None:
        self.query_one(f"#{which}-filter", Choice).action_move(1)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        ticket_id = self._selected_id()
        if ticket_id:
            self.app.push_screen(TicketScreen(self.worklog, ticket_id))

    def action_back(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, "读取工单")
