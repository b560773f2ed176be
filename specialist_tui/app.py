"""The Textual app: its screens, app-wide keys, the theme and keymap, and background preparation."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from specialist_tui.client.config import Settings
from specialist_tui.client.read_models import Evaluation, UnitContact, UnitRef
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.models import Call, Event
from specialist_tui.screens.call_form import CallForm
from specialist_tui.screens.event_form import EventForm
from specialist_tui.screens.follow_ups import FollowUpsScreen
from specialist_tui.screens.help import HelpScreen, binding_ids, screen_keys
from specialist_tui.screens.palette import Palette
from specialist_tui.screens.ticket import TicketScreen
from specialist_tui.screens.ticket_form import TicketForm
from specialist_tui.screens.tickets import TicketsScreen
from specialist_tui.screens.unit import UnitScreen
from specialist_tui.screens.units import UnitsScreen
from specialist_tui.screens.worklog_base import worker_failed
from specialist_tui.screens.worklog_form import WorklogForm
from specialist_tui.widgets.messages import LookAtDay, OpenUnit

if TYPE_CHECKING:
    from specialist_tui.client.sync import SyncResult


class Superseded(Exception):
    """A day being prepared was replaced by a newer one: stop, rolling its writes back."""


class SpecialistApp(App[int]):
    """832 平台区域服务专员工作台."""

    CSS_PATH = "app.tcss"
    TITLE = "832 服务专员工作台"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "退出", id="app.quit", tooltip="退出程序"),
        Binding("question_mark", "help", "帮助", id="app.help", tooltip="列出本屏幕的全部按键"),
        Binding("ctrl+p", "command_palette", "命令", show=False, id="app.command_palette",
                tooltip="命令面板：转到单位（支持拼音）和本屏幕的操作"),
        Binding("c", "log_call", "记录通话", id="app.log_call",
                tooltip="为当前单位记录一次通话（联系人、结果、话题、下次跟进）"),
        Binding("t", "new_ticket", "新建工单", id="app.new_ticket", tooltip="为当前单位新建工单"),
        # Not in the footers (full at 80 columns): the list's status line names it once units
        # are marked, and ? and the palette list it.
        Binding("E", "log_event", "记录活动", show=False, id="app.log_event",
                tooltip="记录一次座谈会、培训会或上门走访：参加单位为列表中已标记（空格）的单位，"
                "或在表单里按主管部门加入"),
        Binding("f", "follow_ups", "跟进日程", id="app.follow_ups",
                tooltip="逾期、今天和未来 7 天约定的跟进"),
        Binding("d", "follow_up_done", "跟进完成", id="app.follow_up_done",
                tooltip="本单位最早一项未完成的跟进约定已办完：标记完成，同步给其他设备和组长"),
        Binding("w", "tickets", "工单", id="app.tickets", tooltip="我的工单：逾期在前，按截止时间"),
        Binding("ctrl+s", "sync", "同步", id="app.sync",
                tooltip="与服务中心同步：推送本地通话和工单，拉取中心的更新"),
        Binding("ctrl+r", "summary", "汇总", id="app.summary",
                tooltip="中心汇总：按区域代码或主管部门的填报、预留、完成与欠款"),
    ]  # fmt: skip

    @dataclass
    class Prepared(Message):
        """Flags were brought up to date for ``day`` (evaluation None: they already were)."""

        day: date
        evaluation: Evaluation | None

    @dataclass
    class PrepareProgress(Message):
        """Facts and flags for ``day`` computed for ``done`` of ``total`` units."""

        day: date
        done: int
        total: int

    @dataclass
    class SyncProgress(Message):
        stage: str
        done: int

    @dataclass
    class SyncDone(Message):
        """A sync ended: its result, or the one-line reason it could not finish."""

        result: SyncResult | None
        error: str | None

    def __init__(self, settings: Settings, service: Service | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.service = service or Service(settings)
        self.worklog = Worklog(self.service)
        self.units_screen = UnitsScreen(self.service)
        self._unit_screen: UnitScreen | None = None
        self.syncing = False
        self.unpushed = 0
        # Held by the worker preparing a day: a newer day's worker waits for a cancelled one.
        self._preparing = threading.Lock()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"没有主题 {self.settings.theme!r}，使用默认主题", severity="warning")
        unknown = sorted(set(self.settings.keymap) - binding_ids())
        if unknown:
            self.notify(
                f"配置文件 [keymap] 中没有这些按键编号，已忽略：{'、'.join(unknown)}"
                "（按 ? 查看编号）",
                severity="warning",
                markup=False,  # "[keymap]" is text, not a style tag
            )
        self.set_keymap(self.settings.keymap)
        self.push_screen(self.units_screen)
        if self.service.has_units() and self.service.needs_preparing():
            self.units_screen.set_preparing(True)
            self._prepare(self.service.today)
        if self.settings.hub_url and self.settings.sync_interval:
            self.set_interval(self.settings.sync_interval * 60, self.action_sync)

    def on_unmount(self) -> None:
        self.unpushed = self.service.unpushed()  # said on the terminal after quitting
        self.service.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="app.prepare")
    def _prepare(self, day: date) -> None:
        # Re-evaluating 100k units takes seconds: the list shows the last evaluation meanwhile,
        # dimmed. A newer day cancels this worker: it stops at its next slice of units (its
        # writes roll back), and the next one waits for it to let go of the cache.
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise Superseded
            self.post_message(self.PrepareProgress(day, done, total))

        with self._preparing:
            if worker.is_cancelled:
                return
            try:
                evaluation = self.service.prepare_separately(progress, day)
            except Superseded:
                return
        self.post_message(self.Prepared(day, evaluation))

    def look_at_day(self, day: date | None) -> None:
        """Judge the units as of ``day`` (None: today), replacing any day still being prepared."""
        self.service.look_at(day)
        self.units_screen.set_preparing(True, self._preparing_note(self.service.today, 0))
        self.units_screen.data_changed()  # the header's day and the counts' "trained by"
        self._prepare(self.service.today)

    @staticmethod
    def _preparing_note(day: date, share: int) -> str:
        # Month and day: the header names the year, and the line must hold at 80 columns.
        return f"正在计算截至 {day:%m-%d} 的数据和规则 {share}%…"

    @on(LookAtDay)
    def _look_at_day(self, message: LookAtDay) -> None:
        self.look_at_day(message.day)

    @on(PrepareProgress)
    def _prepare_progress(self, message: PrepareProgress) -> None:
        if message.day != self.service.today:
            return  # a day the user has since replaced
        share = message.done * 100 // max(1, message.total)
        self.units_screen.set_preparing(True, self._preparing_note(message.day, share))

    @on(Prepared)
    def _prepared(self, message: Prepared) -> None:
        if message.day != self.service.today:
            return  # a day the user has since replaced: its own worker reports
        self.units_screen.set_preparing(False)
        self.units_screen.data_changed()

    def action_sync(self) -> None:
        """Sync in a worker (one at a time); typing goes on meanwhile."""
        if not self.settings.hub_url or self.settings.token is None:
            self.notify("未配置同步中心：运行 specialist-tui config set-hub", severity="warning")
            return
        if self.syncing:
            return
        self.syncing = True
        self.units_screen.set_sync_note("同步中…")
        self._sync()

    @work(thread=True, exit_on_error=False, group="app.sync")
    def _sync(self) -> None:
        # Imported here: httpx is only needed once the user syncs (~5 MB and 50 ms at launch).
        from specialist_tui.client.sync import SyncClient, SyncError

        service = self.service
        # A connection of its own: the list and the unit screen keep reading while a pull
        # writes pages and refreshes every unit's flags (seconds at 100k units).
        with service.own_connection() as cache:
            try:
                client = SyncClient(self.settings, cache, service.policy, service.today)
            except SyncError as exc:
                self.post_message(self.SyncDone(None, str(exc)))
                return
            try:
                result = client.sync(self._report_progress)
            except SyncError as exc:
                self.post_message(self.SyncDone(None, str(exc)))
            else:
                self.post_message(self.SyncDone(result, None))
            finally:
                client.close()

    def _report_progress(self, stage: str, done: int) -> None:
        self.post_message(self.SyncProgress(stage, done))

    @on(SyncProgress)
    def _sync_progress(self, message: SyncProgress) -> None:
        from specialist_tui.client.sync import STAGE_LABELS  # loaded already: a sync is running

        stage = STAGE_LABELS.get(message.stage, "")
        self.units_screen.set_sync_note(f"同步中：{stage} {message.done:,} 条…")

    @on(SyncDone)
    def _sync_done(self, message: SyncDone) -> None:
        self.syncing = False
        self.units_screen.set_sync_note(None)
        if message.error is not None:
            self.notify(message.error, title="同步失败", severity="error", timeout=10)
        elif message.result is not None:
            self.notify(message.result.line(), title="同步")
        self.units_screen.data_changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker errors reach the user as one line; the full traceback goes to the dev log.
        reason = worker_failed(event)
        if reason:
            if event.worker.group == "app.prepare":
                self.units_screen.set_preparing(False)
            if event.worker.group == "app.sync":
                self.syncing = False
                self.units_screen.set_sync_note(None)
            self.notify(reason, title="出错了", severity="error")

    @on(OpenUnit)
    def _open_unit(self, message: OpenUnit) -> None:
        self.open_unit(message.code)

    def open_unit(self, code: str) -> None:
        """Show one unit's screen on top of the list.

        One unit screen is kept installed and refilled: building its two dozen widgets anew
        for every unit would cost more than reading the unit.
        """
        screen = self._unit_screen
        if screen is None:
            screen = self._unit_screen = UnitScreen(self.service, code)
            self.install_screen(screen, name="unit")
            self.push_screen(screen)
        elif self.screen is screen:
            screen.show_unit(code)
        elif screen in self.screen_stack:
            self.push_screen(UnitScreen(self.service, code))  # e.g. unit → follow-ups → unit
        else:
            screen.show_unit(code)
            self.push_screen(screen)

    # -- the work log: calls, tickets, follow-ups ----------------------------------------------

    def current_unit(self) -> UnitRef | None:
        """The unit the current screen is about (the list's cursor row, or the unit shown)."""
        screen = self.screen
        if isinstance(screen, UnitsScreen | UnitScreen):
            return screen.current_unit()
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_event":
            units = self.screen
            return isinstance(units, UnitScreen) or (
                isinstance(units, UnitsScreen) and not units.has_class("-empty")
            )
        if action in ("log_call", "new_ticket"):
            if isinstance(self.screen, UnitsScreen):
                return self.screen.shown is not None  # shown once the list has arrived
            return isinstance(self.screen, UnitScreen)
        # The lists of follow-ups and tickets are a key away from the units and the work log;
        # other screens (summary, sync...) keep their footers to themselves.
        if action == "follow_up_done":  # on the unit screen, once it shows an open promise
            screen = self.screen
            return isinstance(screen, UnitScreen) and screen.open_promise() is not None
        if action == "follow_ups":
            return isinstance(self.screen, UnitsScreen | UnitScreen | TicketsScreen | TicketScreen)
        if action == "tickets":
            return isinstance(self.screen, UnitsScreen | UnitScreen | FollowUpsScreen)
        return True

    def action_log_call(self) -> None:
        unit = self.current_unit()
        if unit is None:
            self.notify("先选中一个单位", severity="warning")
            return
        contact = self._selected_contact()
        self.push_screen(
            CallForm(
                self.worklog,
                unit,
                contact.name if contact else None,
                contact.phone if contact else None,
            ),
            self._work_saved,
        )

    def action_new_ticket(self) -> None:
        unit = self.current_unit()
        if unit is None:
            self.notify("先选中一个单位", severity="warning")
            return
        contact = self._selected_contact()
        self.push_screen(TicketForm(self.worklog, unit, contact=contact), self._work_saved)

    def action_log_event(self) -> None:
        """The event form, with the units marked on the list (or the unit on its screen)."""
        screen = self.screen
        codes: list[str] = []
        if isinstance(screen, UnitsScreen):
            codes = screen.marked_codes()
        elif isinstance(screen, UnitScreen):
            codes = [screen.code]
        self.push_screen(EventForm(self.worklog, codes), self._event_saved)

    def _event_saved(self, event: Event | None) -> None:
        if event is None:
            return
        self.units_screen.clear_marks()
        if isinstance(self.screen, UnitScreen):
            self.screen.reload()

    def _selected_contact(self) -> UnitContact | None:
        """The contact picked on the unit screen (None elsewhere: the forms take the first)."""
        screen = self.screen
        return screen.selected_contact() if isinstance(screen, UnitScreen) else None

    def _work_saved(self, item: object | None) -> None:
        # The list re-reads itself when it resumes; the unit screen is told to.
        if item is not None and isinstance(self.screen, UnitScreen):
            self.screen.reload()
        if isinstance(item, Call):  # on to the next unit of the view (a setting turns it off)
            self.units_screen.advance_past(item.unit_code)

    def action_follow_up_done(self) -> None:
        from specialist_tui.screens.follow_up_done import ask_follow_up_done

        screen = self.screen
        promise = screen.open_promise() if isinstance(screen, UnitScreen) else None
        if not isinstance(screen, UnitScreen) or promise is None:
            return
        name, on, count = promise
        more = f"（共 {count} 项，先标记最早的一项）" if count > 1 else ""
        question = f"{name} 约定 {on:%m-%d} 的跟进已完成？{more}"
        ask_follow_up_done(screen, self.worklog, question, screen.reload, unit_code=screen.code)

    def action_follow_ups(self) -> None:
        self.push_screen(FollowUpsScreen(self.worklog))

    def action_tickets(self) -> None:
        self.push_screen(TicketsScreen(self.worklog))

    def action_summary(self) -> None:
        from specialist_tui.screens.summary import SummaryScreen

        if not isinstance(self.screen, SummaryScreen):
            self.push_screen(SummaryScreen(self.service))

    async def action_quit(self) -> None:
        """Quit; a form with something entered asks first (ctrl+q works inside a form)."""
        screen = self.screen
        if isinstance(screen, WorklogForm):
            screen.leave(self.exit)
        else:
            self.exit()

    # -- the command palette, in Chinese ------------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not any(isinstance(s, Palette) for s in self.screen_stack):
            self.push_screen(Palette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's app-wide commands (Textual's own are English, and some leave the UI)."""
        yield SystemCommand("帮助", "列出本屏幕的全部按键", self.action_help)
        yield SystemCommand("退出", "退出程序（本地记录都已保存）", self.action_quit)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        title = getattr(self.screen, "HELP_TITLE", "本屏幕")
        contacts = self.service.help_contacts().lines()
        self.push_screen(HelpScreen(screen_keys(self.screen), title, contacts))


def create_app(settings: Settings, service: Service | None = None) -> SpecialistApp:
    """The app as the CLI runs it; tests and the bench build it the same way."""
    return SpecialistApp(settings, service)


LATER = "下次同步时推送（应用内 ctrl+s，或 specialist-tui sync）"


def run_app(settings: Settings, later: str = LATER) -> int:
    """Run the app in the terminal until the user quits; returns the exit status.

    Quitting with calls or tickets not yet pushed says how many, that they are safe, and
    when they will go (``later``).
    """
    import sys

    app = create_app(settings)
    app.run()
    if app.unpushed:
        print(
            f"还有 {app.unpushed} 条通话/工单未推送到服务中心，已安全保存在本机缓存 "
            f"{settings.cache_dir}；{later}",
            file=sys.stderr,
        )
    return app.return_code or 0
