"""The units list's data: which codes the table shows, read in the background, filtered as
the user types, and the tab counts and header that go with them.

A view's ordered codes and every unit's search text are read once by workers; each keystroke
then filters in memory (the first screenful at once, the rest between frames). The units
screen builds on this class and says how the results are drawn (its render hooks).
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from functools import partial as bind

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from specialist_tui.client.read_models import HeaderInfo
from specialist_tui.client.service import Service
from specialist_tui.client.unit_search import Scan, UnitSearch
from specialist_tui.domain.search import normalise_query
from specialist_tui.widgets.unit_table import UnitTable

# Counts of every tab wait until typing pauses: they scan all units, the rows do not.
COUNTS_DELAY = 0.25
# Rows read by a quick LIMIT query before a view's whole list arrives.
FIRST_PAGE = 200
# A filter shows this many matches at once, then looks through the rest SCAN_STEP at a time.
FIRST_SCREEN = 100
SCAN_STEP = 16384


@dataclass(frozen=True, slots=True)
class Query:
    view: str
    text: str
    sort: str


class UnitsFeed(Screen[None]):
    """Keeps the UnitTable showing the codes of the current query; subclasses draw the rest."""

    @dataclass
    class PageReady(Message):
        """The first screenful of a view, before its whole list."""

        view: str
        sort: str
        codes: list[str]

    @dataclass
    class BaseReady(Message):
        """A view's whole ordered list, with the search texts in the same order if known."""

        view: str
        sort: str
        codes: list[str]
        keys: list[bytes] | None

    @dataclass
    class KeysReady(Message):
        keys: dict[str, bytes]

    @dataclass
    class CountsReady(Message):
        text: str
        counts: dict[str, int]
        saved: list[int]

    @dataclass
    class HeaderReady(Message):
        info: HeaderInfo

    def __init__(self, service: Service, sort: str) -> None:
        super().__init__()
        self.service = service
        self.text = ""
        self.sort = sort
        self.counts: dict[str, int] = {}
        self.saved_counts: list[int] = []
        self.header_info: HeaderInfo | None = None
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

    # -- what the screen above says --------------------------------------------------------

    def current_query(self) -> Query:
        raise NotImplementedError

    def saved_filters(self) -> list[tuple[str, str]]:
        """(filter, view) of each saved tab, in tab order, for their counts."""
        raise NotImplementedError

    def _render_status(self, loading: bool = False) -> None:
        raise NotImplementedError

    def _render_tabs(self) -> None:
        raise NotImplementedError

    def _render_header(self) -> None:
        raise NotImplementedError

    # -- reading and filtering --------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a list, the search texts, a filter pass or the tab counts are pending."""
        return (
            self._loading_base is not None
            or self._loading_keys
            or self._scan is not None
            or self.counting
        )

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
        self._count_worker(self.text, self.saved_filters())

    @work(thread=True, exclusive=True, exit_on_error=False, group="units.counts")
    def _count_worker(self, text: str, saved: list[tuple[str, str]]) -> None:
        counts = self.service.view_counts(text)
        by_filter: dict[str, dict[str, int]] = {}
        saved_counts = []
        for key, view in saved:
            if key not in by_filter:
                by_filter[key] = self.service.view_counts(key)
            saved_counts.append(by_filter[key].get(view, 0))
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
