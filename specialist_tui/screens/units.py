"""The units screen: the specialist's home. Views as tabs, a filter, a sortable table of units.

What the table shows and when (background reads, filtering as you type) is UnitsFeed's; this
screen holds the keys, the tabs and saved views, and draws the header, tabs and status.

About 430 lines: the home screen owns many keys (tabs, views, marks for an event, export,
next uncalled unit), each a short action; the table and its feed are modules of their own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from specialist_tui.client.config import SavedView
from specialist_tui.client.read_models import LastCall, UnitRef, UnitRow
from specialist_tui.client.service import Service
from specialist_tui.domain.clock import beijing_minute
from specialist_tui.screens.palette import GoToUnit, ScreenActions
from specialist_tui.screens.unit_tabs import (
    Tab,
    all_tabs,
    header_markup,
    next_sort,
    reversed_sort,
    tabs_markup,
)
from specialist_tui.screens.units_feed import Query, UnitsFeed
from specialist_tui.widgets.fit_footer import FitFooter
from specialist_tui.widgets.messages import LookAtDay, OpenUnit
from specialist_tui.widgets.reason_line import Reason, ReasonLine, worst_flag
from specialist_tui.widgets.unit_table import UnitTable

EMPTY_HINT = (
    "缓存中还没有单位数据。\n\n"
    "试用演示数据：在终端运行\n\n"
    "    specialist-tui demo\n\n"
    "或从区域服务中心同步后再打开本程序。按 q 退出。"
)


def reason_of(row: UnitRow, last: LastCall | None, called_today: bool) -> Reason:
    """The line under the list for one row: its worst flag, first contact and last call."""
    worst = worst_flag([(f.severity.label, f.severity.weight, f.reason) for f in row.flags])
    contacts = row.contacts
    contact = None
    if contacts:
        first = contacts[0]
        contact = (first.name, first.role.label if first.role else "", first.phone)
    last_call = None
    if last is not None:
        when = beijing_minute(last.started_at)
        when = when[11:] if called_today else when[5:]
        last_call = (when, last.outcome.label, last.notes)
    return Reason(worst, contact, last_call, called_today)


class UnitsScreen(UnitsFeed):
    """Units of the chosen view, filtered as you type, in the order of the chosen sort."""

    HELP_TITLE = "单位列表"  # the `?` help's title

    COMMANDS: ClassVar = {GoToUnit, ScreenActions}

    # The keys a narrow footer keeps, most needed first; `?` lists them all.
    FOOTER_KEYS: ClassVar = (
        "table.open", "units.filter", "app.log_call", "units.sort", "units.export",
        "app.follow_ups", "app.quit", "app.tickets", "app.new_ticket",
    )  # fmt: skip

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority bindings act when the key arrives, before keys typed after it are routed:
        # "/xnsjyj" typed in one burst lands in the filter, and "⏎j" after it in the table.
        Binding("slash", "filter", "筛选", priority=True, id="units.filter",
                tooltip="按名称、信用代码、主管部门、区域代码或拼音（如 xnsjyj）筛选"),
        Binding("enter", "filter_done", "完成筛选", show=False, priority=True,
                id="units.filter_done", tooltip="保留筛选文字，回到表格"),
        Binding("escape", "clear_filter", "清除筛选", priority=True, id="units.clear_filter",
                tooltip="清除筛选文字"),
        Binding("s", "next_sort", "排序", id="units.sort", tooltip="换下一个排序列"),
        Binding("S", "reverse_sort", "反向", id="units.reverse_sort", tooltip="反转排序方向"),
        Binding("v", "save_view", "保存视图", id="units.save_view",
                tooltip="把当前筛选和排序保存为一个视图标签，下次启动仍在"),
        Binding("X", "delete_view", "删除视图", show=False, id="units.delete_view",
                tooltip="删除当前的已保存视图"),
        Binding("r", "reload", "刷新", show=False, id="units.reload", tooltip="重新读取列表"),
        Binding("e", "export", "导出", id="units.export",
                tooltip="把当前视图（含筛选和排序）导出为 XLSX 或 CSV 跟进清单"),
        Binding("space", "mark", "标记", show=False, id="units.mark",
                tooltip="标记或取消标记光标所在单位（记录活动时作为参加单位），并下移一行"),
        Binding("A", "mark_all", "全部标记", show=False, id="units.mark_all",
                tooltip="标记列表中（按当前筛选）的全部单位；已全部标记时取消"),
        Binding("u", "untrained", "今年未培训", show=False, id="units.untrained",
                tooltip="列出今年还没有参加过座谈会或培训会的单位（安排下次培训）"),
        Binding("D", "look_back", "查看某天", show=False, id="units.look_back",
                tooltip="按某一天查看：只用当天已知的数据重新判定（如 02-20 谁还没填报）；"
                "留空回到今天"),
        Binding("n", "next_uncalled(1)", "下一个未通话", show=False, id="units.next_uncalled",
                tooltip="跳到下一个今天还没通话的单位"),
        Binding("N", "next_uncalled(-1)", "上一个未通话", show=False,
                id="units.previous_uncalled", tooltip="跳到上一个今天还没通话的单位"),
        *(
            Binding(str(n), f"switch_tab({n - 1})", f"视图{n}", show=False,
                    id=f"units.view_{n}", tooltip=f"切换到第 {n} 个视图标签")
            for n in range(1, 10)
        ),
    ]  # fmt: skip

    def __init__(self, service: Service) -> None:
        views = service.views()
        tabs = all_tabs(views, service.saved_views)
        super().__init__(service, service.view(tabs[0].view).default_sort)
        self.views = views
        self.tabs: list[Tab] = tabs
        self.tab_index = 0
        self.sync_note: str | None = None
        self.preparing = False
        self.preparing_note = ""

    def marked_codes(self) -> list[str]:
        """The units marked for an event (space, A), in the list's order."""
        table = self.query_one(UnitTable)
        listed = [code for code in table.codes if code in table.marked]
        return listed + sorted(table.marked - set(listed))

    def clear_marks(self) -> None:
        self.query_one(UnitTable).set_marked(set())
        self._render_status()

    def current_unit(self) -> UnitRef | None:
        """The unit under the cursor (code, name, contacts), for the call and ticket forms."""
        table = self.query_one(UnitTable)
        code = table.current_code
        if code is None:
            return None
        row = table.row(code)
        if row is None:  # not drawn yet (a key typed ahead of the first frame)
            rows = self.service.unit_rows([code])
            row = rows[0] if rows else None
        return row.ref if row else None

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        yield Static(id="tabs")
        with Horizontal(id="filter-bar"):
            yield Static("/", id="filter-prompt")
            yield Input(placeholder="按 / 筛选：名称、代码、主管部门、区域、拼音", id="filter")
            yield Static(id="status")
        yield UnitTable(self.service.unit_rows, self.service.pace_share(), id="table")
        yield ReasonLine(id="reason")
        yield Static(EMPTY_HINT, id="empty")
        yield FitFooter()

    def on_mount(self) -> None:
        empty = not self.service.has_units()
        self.set_class(empty, "-empty")
        if empty:
            self.counts = {v.name: 0 for v in self.views}
        self.query_one("#filter", Input).can_focus = not empty
        self.set_focus(self.query_one(UnitTable))
        self._render_tabs()
        self._render_status()
        self._render_header()
        self._load_header()
        if not empty:
            self.query_one(UnitTable).mark_called(self.service.called_today())
            self.request()
            self._schedule_counts()

    # -- queries --------------------------------------------------------------------------

    @property
    def current_tab(self) -> Tab:
        return self.tabs[self.tab_index]

    def current_query(self) -> Query:
        return Query(self.current_tab.view, self.text, self.sort)

    def saved_filters(self) -> list[tuple[str, str]]:
        return [(t.filter or "", t.view) for t in self.tabs if t.saved]

    def set_sync_note(self, note: str | None) -> None:
        """Show a sync in progress in the header (None: back to the last sync's status)."""
        self.sync_note = note
        if self.is_mounted:
            self._render_header()

    def set_preparing(self, preparing: bool, note: str = "") -> None:
        """Show that flags are being evaluated again; ``note`` says how far (as-of refresh).

        Meanwhile the list keeps the rows it has, for moving about, but drawn dim and without
        verdicts: they are another day's, and the header already names the new one.
        """
        was = self.preparing
        self.preparing = preparing
        self.preparing_note = note
        if self.is_mounted:
            self._render_header()
            table = self.query_one(UnitTable)
            table.set_stale(preparing)
            if preparing != was:
                # The counts in hand are the last day's: "…" until the new day's are counted.
                self.counts, self.saved_counts = {}, []
                self._render_tabs()
                if not preparing:
                    self._schedule_counts()
                self._show_reason(UnitTable.CursorMoved(table.current_code))

    def on_screen_resume(self) -> None:
        # Back from a unit: its calls or tickets may have changed its row.
        if self.shown is not None:
            self.data_changed()

    # -- rendering ------------------------------------------------------------------------

    def _render_header(self) -> None:
        narrow = self.size.width < 100
        info, note = self.header_info, self.sync_note
        line = header_markup(info, note, self.preparing, self.preparing_note, narrow)
        self.query_one("#header", Static).update(line, layout=False)

    def _render_tabs(self) -> None:
        # Narrow terminals let the tabs take a second line (saved views included).
        width = self.size.width
        # While another day is computed the counts are the last day's: "…" until they are in.
        counts, saved = ({}, []) if self.preparing else (self.counts, self.saved_counts)
        line = tabs_markup(self.tabs, self.tab_index, counts, saved, width)
        self.query_one("#tabs", Static).update(line, layout=width < 100)

    def on_resize(self) -> None:
        self._render_tabs()
        self._render_header()

    def _render_status(self, loading: bool = False) -> None:
        table = self.query_one(UnitTable)
        total = "读取中…" if loading else f"{len(table.codes):,} 个单位"
        line = f"{total} · {self.service.sort_label(self.sort)}"
        if table.marked:
            line = f"[b $text-accent]已标记 {len(table.marked):,} · E 记录活动[/] · {line}"
        # One line of fixed place: no layout pass needed, which saves a reflow per keystroke.
        self.query_one("#status", Static).update(line, layout=False)

    # -- actions --------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""  # Input.Changed re-queries
        self.set_focus(self.query_one(UnitTable))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value == self.text:
            return
        self.text = event.value
        self.request()
        self._schedule_counts()

    def action_filter_done(self) -> None:
        self.set_focus(self.query_one(UnitTable))

    def action_next_sort(self) -> None:
        self.sort = next_sort(self.sort)
        self._sort_changed()

    def action_reverse_sort(self) -> None:
        self.sort = reversed_sort(self.sort)
        self._sort_changed()

    def _sort_changed(self) -> None:
        self._render_status()
        # The top of the new order: keeping the old row would show the middle of it.
        self._top = True
        self.request()

    def action_switch_tab(self, index: int) -> None:
        if not 0 <= index < len(self.tabs) or self.has_class("-empty"):
            return
        self.tab_index = index
        self._top = True
        tab = self.tabs[index]
        self.sort = tab.sort or self.service.view(tab.view).default_sort
        if tab.filter is not None and tab.filter != self.text:
            self.text = tab.filter
            with self.prevent(Input.Changed):
                self.query_one("#filter", Input).value = tab.filter
            self._schedule_counts()
        self._render_tabs()
        self._render_status()
        self.request()

    def action_mark(self) -> None:
        self.query_one(UnitTable).toggle_mark()
        self._render_status()

    def action_mark_all(self) -> None:
        table = self.query_one(UnitTable)
        listed = set(table.codes)
        if listed <= table.marked:
            table.set_marked(table.marked - listed)
        else:
            table.set_marked(table.marked | listed)
        self._render_status()

    def action_untrained(self) -> None:
        """Show the 今年未培训 view as a tab of its own (after the saved ones), once."""
        if self.has_class("-empty"):
            return
        for index, tab in enumerate(self.tabs):
            if tab.view == "untrained":
                self.action_switch_tab(index)
                return
        view = self.service.view("untrained")
        self.tabs = [*self.tabs, Tab(view.label, view.name)]
        self.action_switch_tab(len(self.tabs) - 1)
        self._schedule_counts()

    def action_look_back(self) -> None:
        from specialist_tui.screens.dialogs import DayDialog

        def chosen(day: date | None) -> None:
            self.post_message(LookAtDay(day))

        dialog = DayDialog(self.service.policy.year, self.service.today)
        self.app.push_screen(dialog, chosen)

    def action_reload(self) -> None:
        self.data_changed()

    def action_export(self) -> None:
        from specialist_tui.screens.export import ExportDialog, Exported

        def exported(result: Exported | None) -> None:
            if result is not None:
                self.notify(f"已导出 {result.units:,} 个单位 → {result.path}")

        query = self.current_query()
        dialog = ExportDialog.for_view(self.service, query.view, query.text, query.sort)
        self.app.push_screen(dialog, exported)

    def action_save_view(self) -> None:
        from specialist_tui.screens.dialogs import NameDialog

        suggestion = self.text.strip() or self.current_tab.title
        self.app.push_screen(NameDialog("保存为视图", suggestion), self._save_view)

    def _save_view(self, name: str | None) -> None:
        if not name:
            return
        view = SavedView(name=name, view=self.current_tab.view, filter=self.text, sort=self.sort)
        views = [v for v in self.service.saved_views if v.name != name] + [view]
        path = self._store_views(views)
        if path is None:
            return
        self.tab_index = next(i for i, t in enumerate(self.tabs) if t.saved and t.title == name)
        self.notify(f"视图“{name}”已保存到 {path}")
        self._render_tabs()
        self._schedule_counts()

    def action_delete_view(self) -> None:
        tab = self.current_tab
        if not tab.saved:
            self.notify("当前标签不是已保存的视图", severity="warning")
            return
        from specialist_tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            views = [v for v in self.service.saved_views if v.name != tab.title]
            if self._store_views(views) is None:
                return
            self.notify(f"视图“{tab.title}”已删除")
            self.action_switch_tab(0)
            self._schedule_counts()

        question = ConfirmDialog(f"删除已保存的视图“{tab.title}”？", "会从配置文件中删去这个标签")
        self.app.push_screen(question, answered)

    def _store_views(self, views: list[SavedView]) -> Path | None:
        """Save the views and show them as tabs; the config file's path, None if it failed."""
        try:
            path = self.service.save_views(views)
        except (OSError, ValueError) as exc:  # ValueError: the file is no longer valid TOML
            self.notify(f"无法写入配置文件 {self.service.config_file}：{exc}", severity="error")
            return None
        self.tabs = all_tabs(self.views, views)
        return path

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_current:
            return True
        in_filter = self.focused is self.query_one("#filter", Input)
        if action == "filter":
            return not in_filter and not self.has_class("-empty")  # "/" is text in the filter
        if action == "filter_done":
            return in_filter
        if action == "clear_filter":
            return bool(self.text) or in_filter
        if action == "delete_view":
            return self.current_tab.saved
        return True

    # -- the line under the table, calls made today -----------------------------------------

    @on(UnitTable.CursorMoved)
    def _show_reason(self, message: UnitTable.CursorMoved) -> None:
        line = self.query_one(ReasonLine)
        table = self.query_one(UnitTable)
        row = table.row(message.code) if message.code else None
        if row is None and message.code is not None:  # not drawn yet
            rows = self.service.unit_rows([message.code])
            row = rows[0] if rows else None
        if row is None:
            line.show(None)
            return
        last = self.service.last_calls([row.code]).get(row.code)
        reason = reason_of(row, last, row.code in table.called)
        if self.preparing:
            reason = replace(reason, pending=f"正在按 {self.service.today} 重新计算…")
        line.show(reason)

    def action_next_uncalled(self, step: int) -> None:
        if not self.query_one(UnitTable).next_uncalled(step):
            self.notify(
                "这个列表里后面的单位今天都已通话" if step > 0 else "前面没有今天未通话的单位"
            )

    def advance_past(self, code: str) -> None:
        """After a call to ``code``: the cursor goes to the next unit of the view."""
        table = self.query_one(UnitTable)
        table.mark_called(self.service.called_today())
        if not self.service.settings.advance_after_call or code not in table.codes:
            return
        index = table.codes.index(code) + 1
        if index < len(table.codes):
            table.move_to(index)
            # A re-read of the list (the call changed this unit's row) keeps the new row.
            self._keep = table.codes[index]

    def go_to(self, code: str) -> None:
        """Show this unit in the list (switching to 全部 without a filter if needed) and open it."""
        table = self.query_one(UnitTable)
        if code not in table.codes:
            self.tab_index = next(i for i, tab in enumerate(self.tabs) if tab.view == "all")
            self.text = ""
            self.sort = self.service.view("all").default_sort
            with self.prevent(Input.Changed):
                self.query_one("#filter", Input).value = ""
            self._render_tabs()
            self._render_status()
            self.request(keep=code)
            self._schedule_counts()
        else:
            table.move_to(table.codes.index(code))
        self.post_message(OpenUnit(code))
