"""工单: one ticket and its timeline; keys move it open → in progress → waiting → resolved →
closed (and reopen), each with an optional comment, stored as events with author and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static
from textual.worker import Worker

from specialist_tui.client.read_models import TicketConflict, TicketView
from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.domain.enums import Labelled, TicketEventKind, TicketStatus
from specialist_tui.domain.models import can_move
from specialist_tui.screens.worklog_base import report_failure
from specialist_tui.widgets.fit_footer import FitFooter

# The status each key moves the ticket to.
MOVES = {
    "start": TicketStatus.IN_PROGRESS,
    "wait": TicketStatus.WAITING,
    "resolve": TicketStatus.RESOLVED,
    "close": TicketStatus.CLOSED,
    "reopen": TicketStatus.OPEN,
}


class CommentPrompt(ModalScreen[str | None]):
    """Ask for a comment (optional for a status change, required for a bare comment)."""

    DEFAULT_CSS = """
    CommentPrompt { align: center middle; }
    CommentPrompt > Vertical {
        width: 70; max-width: 100%; height: auto; padding: 0 1;
        border: thick $primary 70%; background: $surface;
    }
    CommentPrompt #prompt-title { text-style: bold; padding-bottom: 1; }
    CommentPrompt #prompt-error { color: $error; display: none; }
    CommentPrompt .form-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="prompt.cancel", tooltip="不做修改"),
    ]

    def __init__(self, title: str, required: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="prompt-title")
            placeholder = "备注" if self.required else "备注（可不填，回车确认）"
            yield Input(placeholder=placeholder, compact=True, id="comment")
            yield Static("", id="prompt-error")
            yield Static("回车 确认 · Esc 取消", classes="form-hint")
        yield FitFooter()

    @on(Input.Submitted)
    def _confirm(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            error = self.query_one("#prompt-error", Static)
            error.update("备注不能为空")
            error.display = True
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TicketScreen(Screen[bool]):
    """A ticket's header, description and timeline; dismisses with True when it changed."""

    HELP_TITLE = "工单详情"  # the `?` help's title

    DEFAULT_CSS = """
    TicketScreen #head { height: auto; padding: 0 1; background: $panel; }
    TicketScreen #description { height: auto; padding: 1 1 0 1; }
    TicketScreen #timeline-title { padding: 1 1 0 1; text-style: bold; color: $text-muted; }
    TicketScreen #timeline { height: 1fr; padding: 0 1; }
    TicketScreen #conflict {
        height: auto; padding: 0 1; margin-top: 1; border: round $warning; display: none;
    }
    """

    # The keys a narrow footer keeps, most needed first; `?` lists them all.
    FOOTER_KEYS: ClassVar = (
        "ticket.back", "ticket.keep_mine", "ticket.take_theirs", "ticket.start", "ticket.wait",
        "ticket.resolve", "ticket.close", "ticket.reopen", "ticket.comment", "app.quit",
    )  # fmt: skip

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="ticket.back", tooltip="回到上一屏"),
        Binding("p", "move('start')", "处理中", id="ticket.start", tooltip="改为处理中"),
        # Letters no other screen uses: w opens the tickets list and v saves a view elsewhere.
        Binding("a", "move('wait')", "等待回复", id="ticket.wait", tooltip="改为等待回复"),
        Binding("d", "move('resolve')", "已解决", id="ticket.resolve", tooltip="改为已解决"),
        Binding("x", "move('close')", "关闭", id="ticket.close", tooltip="关闭已解决的工单"),
        Binding("o", "move('reopen')", "重新打开", id="ticket.reopen", tooltip="重新打开"),
        Binding("m", "comment", "备注", id="ticket.comment", tooltip="在时间线上加一条备注"),
        Binding("M", "resolve('mine')", "保留我的", id="ticket.keep_mine",
                tooltip="同步冲突：保留本地版本，下次同步时覆盖中心版本"),
        Binding("H", "resolve('theirs')", "采用中心的", id="ticket.take_theirs",
                tooltip="同步冲突：采用中心的版本，放弃本地修改"),
    ]  # fmt: skip

    @dataclass
    class Loaded(Message):
        view: TicketView
        conflict: TicketConflict | None = None
        names: dict[str, str] | None = None  # specialist id -> name

    @dataclass
    class Saved(Message):
        """A change is committed; ``view`` is the ticket as it is now."""

        view: TicketView

    @dataclass
    class Refused(Message):
        """The work log refused the change (e.g. an empty comment); nothing was written."""

        error: str

    def __init__(self, worklog: Worklog, ticket_id: str) -> None:
        super().__init__()
        self.worklog = worklog
        self.ticket_id = ticket_id
        self.view: TicketView | None = None
        self.conflict: TicketConflict | None = None  # when both sides changed it
        self.changed = False
        self.names: dict[str, str] = {}  # specialist id -> name: authors are shown by name

    def compose(self) -> ComposeResult:
        yield Static("读取中…", id="head")
        yield Static("", id="description")
        yield Static("", id="conflict")
        yield Static("时间线", id="timeline-title")
        with VerticalScroll(id="timeline"):
            yield Static("", id="events")
        yield FitFooter()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ticket-load")
    def _load(self) -> None:
        self.post_message(self._read())

    def _read(self) -> Loaded:
        view = self.worklog.ticket(self.ticket_id)
        conflicts = self.worklog.service.ticket_conflicts()
        mine = next((c for c in conflicts if c.ticket_id == str(view.ticket.id)), None)
        return self.Loaded(view, mine, self.worklog.service.specialist_names())

    def on_ticket_screen_loaded(self, message: Loaded) -> None:
        if self.is_attached:  # not torn down by a quit meanwhile
            self.conflict = message.conflict
            self.names = message.names or {}
            self._show(message.view)
            conflict = self.query_one("#conflict", Static)
            conflict.display = message.conflict is not None
            if message.conflict is not None:
                conflict.update(_conflict(message.view, message.conflict))

    def _show(self, view: TicketView) -> None:
        self.view = view
        self.query_one("#head", Static).update(_head(view, self.names))
        self.query_one("#description", Static).update(view.ticket.description or "（无描述）")
        self.query_one("#events", Static).update(_timeline(view, self.names))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the moves the ticket's current status allows."""
        if action == "resolve":
            return self.conflict is not None
        if action == "move":
            if self.view is None:
                return False
            target = MOVES[str(parameters[0])]
            return can_move(self.view.ticket.status, target)
        return True

    def action_move(self, name: str) -> None:
        target = MOVES[name]
        self.app.push_screen(
            CommentPrompt(f"改为「{target.label}」"),
            lambda comment: self._change(target, comment),
        )

    def action_comment(self) -> None:
        self.app.push_screen(
            CommentPrompt("添加备注", required=True),
            lambda comment: self._change(None, comment),
        )

    def _change(self, target: TicketStatus | None, comment: str | None) -> None:
        if comment is None:  # cancelled
            return
        self._save(target, comment)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ticket-save")
    def _save(self, target: TicketStatus | None, comment: str) -> None:
        try:
            if target is None:
                self.worklog.comment_ticket(self.ticket_id, comment)
            else:
                self.worklog.change_ticket_status(self.ticket_id, target, comment)
        except WorklogError as exc:
            self.post_message(self.Refused(exc.errors[exc.field]))
            return
        self.post_message(self.Saved(self.worklog.ticket(self.ticket_id)))

    def on_ticket_screen_saved(self, message: Saved) -> None:
        self.changed = True
        self._show(message.view)
        self.notify(f"工单现为「{message.view.ticket.status.label}」", title="已保存")

    def on_ticket_screen_refused(self, message: Refused) -> None:
        self.notify(message.error, severity="error")

    @work(thread=True, exclusive=True, exit_on_error=False, group="ticket-save")
    def action_resolve(self, keep: str) -> None:
        self.worklog.service.resolve_conflict(
            self.ticket_id, "mine" if keep == "mine" else "theirs"
        )
        self.changed = True
        self._load()

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, "工单操作")


def _head(view: TicketView, names: dict[str, str]) -> Text:
    ticket = view.ticket
    text = Text()
    text.append(ticket.subject, style="bold")
    if view.overdue:
        text.append("  逾期", style="bold red")
    text.append("\n")
    parts = [
        ("单位", view.unit_name or ticket.unit_code),
        ("类别", ticket.category.label),
        ("优先级", ticket.priority.label),
        ("状态", ticket.status.label),
    ]
    text.append("  ".join(f"{k} {v}" for k, v in parts))
    text.append("\n")
    due = f"{ticket.due_at:%Y-%m-%d %H:%M}" if ticket.due_at else "—"
    more = [
        ("创建", f"{ticket.created_at:%Y-%m-%d %H:%M} {_by_name(ticket.author, names)}".strip()),
        ("截止", due),
        ("订单", ticket.order_id or "—"),
        ("版本", str(ticket.version)),
    ]
    text.append("  ".join(f"{k} {v}" for k, v in more))
    text.append("  " + ("已同步" if view.pushed else "待同步"), style="dim")
    return text


def _conflict(view: TicketView, conflict: TicketConflict) -> Text:
    """Both versions of a ticket changed here and on the hub, field by field where they differ."""
    hub = conflict.theirs
    text = Text("同步冲突：这张工单在本地和中心都被修改过\n", style="bold")
    fields = (
        ("status", "状态"), ("priority", "优先级"), ("category", "类别"), ("subject", "subject"),
        ("description", "description"), ("due_at", "due_at"),
    )  # fmt: skip
    shown = 0
    for key, name in fields:
        ours, theirs = getattr(view.ticket, key), getattr(hub, key)
        if ours == theirs:
            continue
        text.append(
            f"{name}：本地「{_shown(ours)}」 · 中心「{_shown(theirs)}」（中心版本 {hub.version}）\n"
        )
        shown += 1
    if not shown:
        text.append(f"内容相同，仅版本不同（中心版本 {hub.version}）\n")
    text.append("M 保留我的 · H 采用中心的", style="dim")
    return text


def _shown(value: object) -> str:
    """A field's value as the conflict note shows it: an enum by its label, a moment as ISO."""
    if isinstance(value, Labelled):
        return value.label
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value or "—")


def _by_name(author: str | None, names: dict[str, str]) -> str:
    """An author as people know them: the name, or the id when the cache has no name."""
    return names.get(author or "", author or "")


def _timeline(view: TicketView, names: dict[str, str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column()
    for event in view.events:
        kind = event.kind
        if kind is TicketEventKind.STATUS and event.to_status is not None:
            before = event.from_status.label if event.from_status else ""
            what = f"{before} → {event.to_status.label}"
        elif kind is TicketEventKind.CREATED:
            what = "创建工单"
        else:
            what = "备注"
        author = _by_name(event.author, names) or "—"
        table.add_row(f"{event.at:%Y-%m-%d %H:%M}", author, what, event.comment)
    return table
