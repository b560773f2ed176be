"""The units screen: the specialist's home. Views as tabs, a filter, a sortable table of units."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from functools import partial as bind
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from specialist_tui.client.cache import VIEWS
from specialist_tui.client.cache.views import sort_label
from specialist_tui.client.config import SavedView, write_saved_views
from specialist_tui.client.service import HeaderInfo, Service
from specialist_tui.client.unit_search import Scan, UnitSearch
from specialist_tui.domain.clock import beijing_minute
from specialist_tui.domain.search import normalise_query
from specialist_tui.screens.palette import GoToUnit, ScreenActions
from specialist_tui.widgets.unit_table import UnitTable

if TYPE_CHECKING:
    from specialist_tui.app import SpecialistApp

# `s` walks through these; each starts in the direction a specialist wants first.
SORT_CYCLE: tuple[str, ...] = (
    "-score", "name", "supervisor", "area", "status", "-reserved", "-completed", "rate",
    "-unpaid", "oldest", "follow_up",
)  # fmt: skip

EMPTY_HINT = (
    "缓存中还没有单位数据。\n\n"
    "试用演示数据：在终端运行\n\n"
    "    specialist-tui demo\n\n"
    "或从区域服务中心同步后再打开本程序。按 q 退出。"
)

# Counts of every tab wait until typing pauses: they scan all units, the rows do not.
COUNTS_DELAY = 0.25
# Rows read by a quick LIMIT query before a view's whole list arrives.
FIRST_PAGE = 200
# A filter shows this many matches at once, then looks through the rest SCAN_STEP at a time.
FIRST_SCREEN = 100
SCAN_STEP = 16384


@dataclass(frozen=True, slots=True)
class Tab:
    """One tab of the units screen: a built-in view, or a saved filter + sort over one."""

    title: str
    view: str
    filter: str | None = None  # None: the tab keeps whatever filter is typed
    sort: str = ""
    saved: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    view: str
    text: str
    sort: str


def built_in_tabs() -> list[Tab]:
    return [Tab(v.label, v.name) for v in VIEWS.values() if v.tab]


def all_tabs(views: list[SavedView]) -> list[Tab]:
    """The built-in views' tabs, then one per saved view."""
    return built_in_tabs() + [saved_tab(v) for v in views]


def saved_tab(view: SavedView) -> Tab:
    return Tab(view.name, view.view, view.filter, view.sort, saved=True)


def compact_count(count: int) -> str:
    """A count in at most five cells: 812, 9,999, 1.2万."""
    return f"{count:,}" if count < 10_000 else f"{count / 10_000:.1f}万"


class UnitsScreen(Screen[None]):
    """Units of the chosen view, filtered as you type, in the order of the chosen sort."""

    COMMANDS: ClassVar = {GoToUnit, ScreenActions}

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
        *(
            Binding(str(n), f"switch_tab({n - 1})", f"视图{n}", show=False,
                    id=f"units.view_{n}", tooltip=f"切换到第 {n} 个视图标签")
            for n in range(1, 10)
        ),
    ]  # fmt: skip

    class PageReady(Message):
        """The first screenful of a view, before its whole list."""

        def __init__(self, view: str, sort: str, codes: list[str]) -> None:
            super().__init__()
            self.view, self.sort, self.codes = view, sort, codes

    class BaseReady(Message):
        """A view's whole ordered list, with the search texts in the same order if known."""

        def __init__(
            self, view: str, sort: str, codes: list[str], keys: list[bytes] | None
        ) -> None:
            super().__init__()
            self.view, self.sort, self.codes, self.keys = view, sort, codes, keys

    class KeysReady(Message):
        def __init__(self, keys: dict[str, bytes]) -> None:
            super().__init__()
            self.keys = keys

    class CountsReady(Message):
        def __init__(self, text: str, counts: dict[str, int], saved: list[int]) -> None:
            super().__init__()
            self.text = text
            self.counts = counts
            self.saved = saved

    class HeaderReady(Message):
        def __init__(self, info: HeaderInfo) -> None:
            super().__init__()
            self.info = info

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service
        self.tabs: list[Tab] = all_tabs(service.settings.saved_views)
        self.tab_index = 0
        self.text = ""
        self.sort = VIEWS[self.tabs[0].view].default_sort
        self.counts: dict[str, int] = {}
        self.saved_counts: list[int] = []
        self.header_info: HeaderInfo | None = None
        self.sync_note: str | None = None
        self.preparing = False
        self.preparing_note = ""
        self.counting = False  # tab counts are due (tests and the bench wait on this)
        self.shown: Query | None = None  # the query whose codes the table shows
        self.shown_at = 0.0  # perf_counter when they were shown (the bench reads it)
        self.search = UnitSearch()
        self._loading_base: tuple[str, str] | None = None
        self._loading_keys = False
        self._frozen = False
        self._scan: Scan | None = None  # a filter still looking through the list
        self._keep: str | None = None
        self._top = False  # the next list shown starts at its first row (a new view)
        self._counts_timer: Timer | None = None

    def current_unit(self) -> dict[str, Any] | None:
        """The row under the cursor (code, name, contacts...), for the call and ticket forms."""
        table = self.query_one(UnitTable)
        code = table.current_code
        if code is None:
            return None
        row = table.row(code)
        if row is None:  # not drawn yet (a key typed ahead of the first frame)
            rows = self.service.unit_rows([code])
            row = rows[0] if rows else None
        return row

    @property
    def typed_app(self) -> SpecialistApp:
        from specialist_tui.app import SpecialistApp

        assert isinstance(self.app, SpecialistApp)
        return self.app

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        yield Static(id="tabs")
        with Horizontal(id="filter-bar"):
            yield Static("/", id="filter-prompt")
            yield Input(placeholder="按 / 筛选：名称、代码、主管部门、区域、拼音", id="filter")
            yield Static(id="status")
        yield UnitTable(self.service.unit_rows, self.service.pace_share(), id="table")
        yield Static(EMPTY_HINT, id="empty")
        yield Footer()

    def on_mount(self) -> None:
        empty = not self.service.has_units()
        self.set_class(empty, "-empty")
        if empty:
            self.counts = dict.fromkeys(VIEWS, 0)
        self.query_one("#filter", Input).can_focus = not empty
        self.set_focus(self.query_one(UnitTable))
        self._render_tabs()
        self._render_status()
        self._render_header()
        self._load_header()
        if not empty:
            self.request()
            self._schedule_counts()

    # -- queries --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a list, the search texts, a filter pass or the tab counts are pending."""
        return (
            self._loading_base is not None
            or self._loading_keys
            or self._scan is not None
            or self.counting
        )

    @property
    def current_tab(self) -> Tab:
        return self.tabs[self.tab_index]

    def current_query(self) -> Query:
        return Query(self.current_tab.view, self.text, self.sort)

    def request(self, keep: str | None = None) -> None:
        """Show the codes of the current tab, filter and sort: at once when the lists are in
        memory, else after a background read."""
        if keep is not None:
            self._keep = keep
        query = self.current_query()
        if self.search.ready(query.view, query.sort, query.text):
            self._filter(query)
            return
        if not self.search.has_base(query.view, query.sort):
            base = (query.view, query.sort)
            if self._loading_base != base:
                self._loading_base = base
                self._load_base(query.view, query.sort, first_page=self.shown is None)
        if self.search.keys is None and not self._loading_keys:
            self._loading_keys = True
            self._load_keys()
        self._render_status(loading=True)

    def _filter(self, query: Query) -> None:
        """Filter in memory: the first screenful now, the rest of the list in small steps
        between keystrokes (a full pass over 100k units takes a few tens of milliseconds)."""
        found = self.search.start(query.view, query.sort, query.text)
        self._scan = None
        if isinstance(found, list):
            self._show(query, found)
            return
        if found.step(len(found.source_codes), enough=FIRST_SCREEN):
            self._show(query, self.search.finish(found))
            return
        self._scan = found
        self._show(query, list(found.codes), partial=True)
        # After the frame with the first rows is painted; then in steps through the event
        # loop (a timer, not call_later, which would run every step before anything else).
        self.call_after_refresh(self._continue_scan, found, query)

    def _continue_scan(self, scan: Scan, query: Query) -> None:
        if self._scan is not scan:
            return  # overtaken by another keystroke
        if not scan.step(SCAN_STEP):
            self.set_timer(0.001, bind(self._continue_scan, scan, query))
            return
        self._scan = None
        self._show(query, self.search.finish(scan))

    def _show(self, query: Query, codes: list[str], partial: bool = False) -> None:
        table = self.query_one(UnitTable)
        table.set_codes(codes, query.sort, keep=self._keep, top=self._top)
        if not partial:
            self._keep = None
            self._top = False
        first = self.shown is None
        self.shown = query
        self.shown_at = time.perf_counter()
        if first:
            self.refresh_bindings()  # keys about "the unit under the cursor" now apply
        self._render_status(loading=partial)

    @work(thread=True, exclusive=True, exit_on_error=False, group="units.base")
    def _load_base(self, view: str, sort: str, first_page: bool) -> None:
        if first_page:
            # The first screenful comes from a LIMIT query in milliseconds; the whole
            # sorted list (a few hundred ms at 100k units) follows.
            page = self.service.view_codes(view, "", sort, limit=FIRST_PAGE)
            self.post_message(self.PageReady(view, sort, page))
        codes, keys = self.search.align(self.service.view_codes(view, "", sort))
        self.post_message(self.BaseReady(view, sort, codes, keys))

    @on(PageReady)
    def _first_page(self, message: PageReady) -> None:
        query = self.current_query()
        current = (message.view, message.sort) == (query.view, query.sort)
        if self.shown is None and current and not normalise_query(query.text):
            self._show(query, message.codes, partial=True)

    @on(BaseReady)
    def _base_ready(self, message: BaseReady) -> None:
        if self._loading_base == (message.view, message.sort):
            self._loading_base = None
        self.search.set_base(message.view, message.sort, message.codes, message.keys)
        self.request()
        if self.search.keys is None and not self._loading_keys:
            self._loading_keys = True
            self._load_keys()

    @work(thread=True, exclusive=True, exit_on_error=False, group="units.keys")
    def _load_keys(self) -> None:
        self.post_message(self.KeysReady(UnitSearch.prepare_keys(self.service.search_keys())))

    @on(KeysReady)
    def _keys_ready(self, message: KeysReady) -> None:
        self._loading_keys = False
        self.search.set_keys(message.keys)
        if normalise_query(self.text):
            self.request()
        if not self._frozen:
            # Everything alive now (widgets, styles, the lists) lives as long as the app; moving
            # it out of the collector's view keeps full collections from pausing a keystroke
            # for 50-100 ms at 100k units.
            gc.freeze()
            self._frozen = True

    def _schedule_counts(self) -> None:
        self.counting = True
        if self._counts_timer is not None:
            self._counts_timer.stop()
        self._counts_timer = self.set_timer(COUNTS_DELAY, self._count)

    def _count(self) -> None:
        saved = [t for t in self.tabs if t.saved]
        self._count_worker(self.text, saved)

    @work(thread=True, exclusive=True, exit_on_error=False, group="units.counts")
    def _count_worker(self, text: str, saved: list[Tab]) -> None:
        counts = self.service.view_counts(text)
        by_filter: dict[str, dict[str, int]] = {}
        saved_counts = []
        for tab in saved:
            key = tab.filter or ""
            if key not in by_filter:
                by_filter[key] = self.service.view_counts(key)
            saved_counts.append(by_filter[key].get(tab.view, 0))
        self.post_message(self.CountsReady(text, counts, saved_counts))

    @on(CountsReady)
    def _show_counts(self, message: CountsReady) -> None:
        if message.text != self.text:
            return
        self.counting = False
        self.counts, self.saved_counts = message.counts, message.saved
        self._render_tabs()

    @work(thread=True, exclusive=True, exit_on_error=False, group="units.header")
    def _load_header(self) -> None:
        self.post_message(self.HeaderReady(self.service.header()))

    @on(HeaderReady)
    def _show_header(self, message: HeaderReady) -> None:
        self.header_info = message.info
        self._render_header()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failed read must not leave the screen waiting for an answer that never comes.
        if event.state is WorkerState.ERROR:
            if event.worker.group == "units.base":
                self._loading_base = None
            elif event.worker.group == "units.keys":
                self._loading_keys = False
            self._render_status()

    def data_changed(self) -> None:
        """The cache was re-evaluated or written: re-read the list on the same unit."""
        table = self.query_one(UnitTable)
        table.pace = self.service.pace_share()
        table.forget_rows()
        self.search.forget()
        self.request(keep=table.current_code)
        self._schedule_counts()
        self._load_header()

    def set_sync_note(self, note: str | None) -> None:
        """Show a sync in progress in the header (None: back to the last sync's status)."""
        self.sync_note = note
        if self.is_mounted:
            self._render_header()

    def set_preparing(self, preparing: bool, note: str = "") -> None:
        """Show that flags are being evaluated again; ``note`` says how far (as-of refresh)."""
        self.preparing = preparing
        self.preparing_note = note
        if self.is_mounted:
            self._render_header()

    def on_screen_resume(self) -> None:
        # Back from a unit: its calls or tickets may have changed its row.
        if self.shown is not None:
            self.data_changed()

    # -- rendering ------------------------------------------------------------------------

    def _render_header(self) -> None:
        info = self.header_info
        parts = []
        if info is not None:
            who = escape(info.specialist) + (f" · {escape(info.center)}" if info.center else "")
            parts.append(f"[b]{who}[/b]")
            if info.deadline is not None:
                name, _ = info.deadline
                days = info.days_left
                style = "$text-error" if days is not None and days <= 7 else "$text-warning"
                parts.append(f"[{style}]距{name} {days} 天[/]")
            parts.append(f"今天 {info.today}")
            if info.refreshed_at:
                parts.append(f"数据更新 {beijing_minute(info.refreshed_at)}")
            if self.sync_note:
                parts.append(f"[$text-accent]{escape(self.sync_note)}[/]")
            elif info.sync is not None:
                parts.append(escape(info.sync.line()))
        if self.preparing:
            note = escape(self.preparing_note or "正在按今天的日期重新评估…")
            parts.insert(1, f"[$text-muted]{note}[/]")
        self.query_one("#header", Static).update("  ·  ".join(parts), layout=False)

    def _render_tabs(self) -> None:
        # Narrow terminals drop the number-key prefix and show big counts in 万.
        wide = self.size.width >= 100
        pieces = []
        saved_index = 0
        for i, tab in enumerate(self.tabs):
            if tab.saved:
                count = (
                    self.saved_counts[saved_index] if saved_index < len(self.saved_counts) else None
                )
                saved_index += 1
            else:
                count = self.counts.get(tab.view)
            shown = "…" if count is None else (f"{count:,}" if wide else compact_count(count))
            number = f"{i + 1} " if wide and i < 9 else ""
            label = f"{number}{escape(tab.title)} {shown}"
            style = "bold $text on $primary" if i == self.tab_index else "$text-muted"
            pieces.append(f"[{style} @click=screen.switch_tab({i})] {label} [/]")
        self.query_one("#tabs", Static).update("".join(pieces), layout=False)

    def on_resize(self) -> None:
        self._render_tabs()

    def _render_status(self, loading: bool = False) -> None:
        table = self.query_one(UnitTable)
        total = "读取中…" if loading else f"{len(table.codes):,} 个单位"
        line = f"{total} · {sort_label(self.sort)}"
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
        bare = [s.lstrip("-") for s in SORT_CYCLE]
        name = self.sort.lstrip("-")
        position = bare.index(name) if name in bare else -1
        self.sort = SORT_CYCLE[(position + 1) % len(SORT_CYCLE)]
        self._sort_changed()

    def action_reverse_sort(self) -> None:
        self.sort = self.sort[1:] if self.sort.startswith("-") else f"-{self.sort}"
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
        self.sort = tab.sort or VIEWS[tab.view].default_sort
        if tab.filter is not None and tab.filter != self.text:
            self.text = tab.filter
            with self.prevent(Input.Changed):
                self.query_one("#filter", Input).value = tab.filter
            self._schedule_counts()
        self._render_tabs()
        self._render_status()
        self.request()

    def action_reload(self) -> None:
        self.data_changed()

    def action_export(self) -> None:
        from specialist_tui.screens.export import ExportDialog, Exported

        def exported(result: Exported | None) -> None:
            if result is not None:
                self.notify(f"已导出 {result.units:,} 个单位 → {result.path}")

        query = self.current_query()
        dialog = ExportDialog(self.service, query.view, query.text, query.sort)
        self.app.push_screen(dialog, exported)

    def action_save_view(self) -> None:
        from specialist_tui.screens.dialogs import NameDialog

        suggestion = self.text.strip() or self.current_tab.title
        self.app.push_screen(NameDialog("保存为视图", suggestion), self._save_view)

    def _save_view(self, name: str | None) -> None:
        if not name:
            return
        view = SavedView(name=name, view=self.current_tab.view, filter=self.text, sort=self.sort)
        settings = self.service.settings
        views = [v for v in settings.saved_views if v.name != name] + [view]
        if not self._store_views(views):
            return
        self.tab_index = next(i for i, t in enumerate(self.tabs) if t.saved and t.title == name)
        self.notify(f"视图“{name}”已保存到 {settings.file}")
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
            settings = self.service.settings
            views = [v for v in settings.saved_views if v.name != tab.title]
            if not self._store_views(views):
                return
            self.notify(f"视图“{tab.title}”已删除")
            self.action_switch_tab(0)
            self._schedule_counts()

        question = ConfirmDialog(f"删除已保存的视图“{tab.title}”？", "会从配置文件中删去这个标签")
        self.app.push_screen(question, answered)

    def _store_views(self, views: list[SavedView]) -> bool:
        """Write the saved views to the config file and show them as tabs; False if it failed."""
        settings = self.service.settings
        try:
            write_saved_views(settings.file, views)
        except (OSError, ValueError) as exc:  # ValueError: the file is no longer valid TOML
            self.notify(f"无法写入配置文件 {settings.file}：{exc}", severity="error")
            return False
        settings.saved_views = views
        self.tabs = all_tabs(views)
        return True

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

    @on(UnitTable.Opened)
    def _open(self, message: UnitTable.Opened) -> None:
        self.typed_app.open_unit(message.code)

    def go_to(self, code: str) -> None:
        """Show this unit in the list (switching to 全部 without a filter if needed) and open it."""
        table = self.query_one(UnitTable)
        if code not in table.codes:
            self.tab_index = next(i for i, tab in enumerate(self.tabs) if tab.view == "all")
            self.text = ""
            self.sort = VIEWS["all"].default_sort
            with self.prevent(Input.Changed):
                self.query_one("#filter", Input).value = ""
            self._render_tabs()
            self._render_status()
            self.request(keep=code)
            self._schedule_counts()
        else:
            table.move_to(table.codes.index(code))
        self.typed_app.open_unit(code)
