"""跟进日程: the follow-ups a specialist promised, overdue first, then today, then the next 7 days.
`c` logs the call that settles the selected one, `d` marks it done without a call; the list
updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static
from textual.worker import Worker

from specialist_tui.client.read_models import FollowUp, FollowUps
from specialist_tui.client.worklog import Worklog
from specialist_tui.screens.call_form import CallForm
from specialist_tui.screens.follow_up_done import ask_follow_up_done
from specialist_tui.screens.worklog_base import report_failure
from specialist_tui.widgets.fit_footer import FitFooter
from specialist_tui.widgets.list_table import ListTable
from specialist_tui.widgets.messages import OpenUnit

WEEKDAYS = "一二三四五六日"


# Least widths that fit 80 columns, most useful columns first; a wider terminal widens the
# columns whose texts need it (单位, 跟进事项, 联系人), up to their longest text.
COLUMNS = [
    ("日期", 5), ("状态", 11), ("单位", 12), ("跟进事项", 10), ("联系人", 6), ("电话", 12),
    ("上次结果", 8),
]  # fmt: skip


def when_cell(on: date, today: date) -> Text:
    """How the follow-up date stands against today: 逾期 N 天 (red), 今天 (yellow), 周X."""
    days = (on - today).days
    if days < 0:
        return Text(f"逾期 {-days} 天", style="bold red")
    if days == 0:
        return Text("今天", style="bold yellow")
    return Text(f"周{WEEKDAYS[on.weekday()]} {days}天后")


class FollowUpsScreen(Screen[None]):
    """Units whose latest call promised a follow-up due within the week, earliest first."""

    HELP_TITLE = "跟进日程"  # the `?` help's title

    AUTO_FOCUS = "#follow-ups"

    DEFAULT_CSS = """
    FollowUpsScreen #follow-ups-title {
        height: 1; text-style: bold; padding: 0 1; background: $panel;
    }
    FollowUpsScreen DataTable { height: 1fr; }
    FollowUpsScreen #follow-ups-empty { padding: 1 2; color: $text-muted; display: none; }
    """

    # The keys a narrow footer keeps, most needed first; `?` lists them all.
    FOOTER_KEYS: ClassVar = (
        "list.open", "follow_ups.back", "follow_ups.call", "follow_ups.export", "app.tickets",
        "follow_ups.reload", "app.quit",
    )  # fmt: skip

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="follow_ups.back", tooltip="回到上一屏"),
        Binding("c", "log_call", "记录通话", id="follow_ups.call", tooltip="记录这次跟进的通话"),
        Binding("d", "done", "完成", id="follow_ups.done",
                tooltip="这项约定已办完（不必再打电话）：标记完成，同步给其他设备和组长"),
        Binding("r", "reload", "刷新", id="follow_ups.reload", tooltip="重新读取跟进清单"),
        Binding("e", "export", "导出", id="follow_ups.export",
                tooltip="把这份跟进日程导出为 XLSX 或 CSV"),
    ]  # fmt: skip

    @dataclass
    class Loaded(Message):
        follow_ups: FollowUps

    def __init__(self, worklog: Worklog) -> None:
        super().__init__()
        self.worklog = worklog
        self.follow: FollowUps | None = None
        self.rows: dict[str, FollowUp] = {}

    def compose(self) -> ComposeResult:
        yield Static("跟进日程", id="follow-ups-title")
        yield ListTable(id="follow-ups")
        yield Label(
            "未来 7 天没有约定的跟进。记录通话时填写“下次跟进”即会出现在这里。",
            id="follow-ups-empty",
        )
        yield FitFooter()

    def on_screen_resume(self) -> None:
        # Shown, or back from a ticket or a call form: read again. (Not in on_mount, which a
        # key typed while the app quits can reach on a screen that was never composed.)
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="follow-ups-load")
    def _load(self) -> None:
        self.post_message(self.Loaded(self.worklog.follow_ups()))

    def action_export(self) -> None:
        """`e`: the follow-ups as shown, in a file (the same dialog as the units list's)."""
        from specialist_tui.client.exports import follow_ups_sheet, write_list
        from specialist_tui.client.sheets import Format
        from specialist_tui.screens.export import ExportDialog, Exported

        follow = self.follow
        if follow is None:
            return
        rows = [*follow.overdue, *follow.due_today, *follow.upcoming]
        settings = self.worklog.service.settings
        default = settings.export_dir / f"跟进日程-{follow.today:%Y%m%d}.xlsx"

        def write(path: Path, fmt: Format) -> int:
            return write_list(path, follow_ups_sheet(rows, follow.today), fmt)

        def exported(result: Exported | None) -> None:
            if result is not None:
                self.notify(f"已导出 {result.units:,} 条跟进 → {result.path}")

        what = f"跟进日程 · 截至 {follow.today} · {len(rows)} 条"
        self.app.push_screen(ExportDialog(what, default, write), exported)

    def on_follow_ups_screen_loaded(self, message: Loaded) -> None:
        if not self.is_current or not self.is_attached:
            return  # covered, or torn down by a quit: it reads again when shown
        follow = self.follow = message.follow_ups
        self.rows = {
            row.code: row for row in [*follow.overdue, *follow.due_today, *follow.upcoming]
        }
        self.query_one(ListTable).show_rows(
            COLUMNS,
            [
                (
                    row.code,
                    (
                        f"{row.follow_up_on:%m-%d}",
                        when_cell(row.follow_up_on, follow.today),
                        row.name,
                        row.follow_up_action or Text("（未写事项）", style="dim"),
                        row.contact_name,
                        row.contact_phone or "",
                        row.outcome.label if row.outcome else "",
                    ),
                )
                for row in self.rows.values()
            ],
        )
        self.query_one("#follow-ups-title", Static).update(
            f"跟进日程 · {follow.today} · 逾期 {len(follow.overdue)} · "
            f"今天 {len(follow.due_today)} · 未来 7 天 {len(follow.upcoming)}"
        )
        self.query_one("#follow-ups-empty").display = not self.rows

    def _selected(self) -> FollowUp | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.rows.get(str(key.value))

    def action_log_call(self) -> None:
        row = self._selected()
        if row is None:
            self.notify("没有选中的跟进", severity="warning")
            return
        self.app.push_screen(CallForm(self.worklog, row.ref, row.contact_name, row.contact_phone))

    def action_done(self) -> None:
        row = self._selected()
        if row is None or row.call_id is None:
            self.notify("没有选中的跟进", severity="warning")
            return
        more = f"（该单位共 {row.open_promises} 项约定）" if row.open_promises > 1 else ""
        question = f"{row.name} 约定 {row.follow_up_on:%m-%d} 的跟进已完成？{more}"
        ask_follow_up_done(self, self.worklog, question, self.action_reload, call_id=row.call_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenUnit(str(event.row_key.value)))

    def action_back(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, "读取跟进清单")
