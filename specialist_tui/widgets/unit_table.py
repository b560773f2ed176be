"""The units table: a Line-API view over a long list of unit codes.

It holds only the codes of the current view, filter and sort; the rows on screen are fetched
(a primary-key lookup of a few dozen rows) when drawn and kept in a small LRU of formatted
strips, so 100,000 units cost no more to show than 100.

About 420 lines: the speed mechanism (codes, LRU of strips, fitted columns) stays in one module
so its invariants are read together; the column definitions live in unit_columns.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from specialist_tui.client.read_models import UnitRow
from specialist_tui.domain.enums import FilingStatus, Severity
from specialist_tui.domain.money import percent_floor
from specialist_tui.widgets.cells import bar, fit
from specialist_tui.widgets.messages import OpenUnit
from specialist_tui.widgets.unit_columns import Column, cell_text, layout

Fetch = Callable[[Sequence[str]], list[UnitRow]]

SEVERITY_CLASS = {
    Severity.CRITICAL: "unit-table--critical",
    Severity.HIGH: "unit-table--high",
    Severity.MEDIUM: "unit-table--medium",
    Severity.LOW: "unit-table--low",
}
# Filing states the status column shows in the warning colour.
_BEHIND = (FilingStatus.NOT_STARTED, FilingStatus.RETURNED)


class UnitTable(ScrollView, can_focus=True):
    """The units of one view, one line each, with a cursor row."""

    @dataclass
    class CursorMoved(Message):
        """The cursor is on another unit (None: the list is empty)."""

        code: str | None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "下移", show=False, id="table.down",
                tooltip="光标下移一行"),
        Binding("up,k", "cursor_up", "上移", show=False, id="table.up", tooltip="光标上移一行"),
        Binding("g,home", "first", "首行", show=False, id="table.first", tooltip="跳到第一行"),
        Binding("G,end", "last", "末行", show=False, id="table.last", tooltip="跳到最后一行"),
        Binding("pagedown,ctrl+d", "page_down", "下一页", show=False, id="table.page_down",
                tooltip="向下翻一页"),
        Binding("pageup,ctrl+u", "page_up", "上一页", show=False, id="table.page_up",
                tooltip="向上翻一页"),
        Binding("enter", "open", "打开", id="table.open", tooltip="打开光标所在单位"),
    ]  # fmt: skip

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "unit-table--header",
        "unit-table--sorted",
        "unit-table--cursor",
        "unit-table--muted",
        "unit-table--good",
        "unit-table--marked",
        "unit-table--behind",
        "unit-table--critical",
        "unit-table--high",
        "unit-table--medium",
        "unit-table--low",
    }

    DEFAULT_CSS = """
    UnitTable {
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        & > .unit-table--header { text-style: bold; color: $text-accent; }
        & > .unit-table--sorted { text-style: bold underline; color: $text-accent; }
        & > .unit-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .unit-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .unit-table--muted { color: $text-muted; }
        & > .unit-table--good { color: $text-success; }
        & > .unit-table--marked { color: $text-accent; text-style: bold; }
        & > .unit-table--behind { color: $text-warning; }
        & > .unit-table--critical { color: $text-error; text-style: bold reverse; }
        & > .unit-table--high { color: $text-error; text-style: bold; }
        & > .unit-table--medium { color: $text-warning; }
        & > .unit-table--low { color: $text-muted; }
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False, always_update=True)

    def __init__(self, fetch: Fetch, pace: float = 0.0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._fetch = fetch
        self.pace = pace  # the completion share the year's pace asks for today
        self.called: set[str] = set()
        self.marked: set[str] = set()  # picked for an event (space on the list)
        # The rows are those of another day than the one being prepared: drawn dim, with no
        # verdicts, so that none reads as the new day's.
        self.stale = False
        self.codes: list[str] = []
        self.sort = ""
        self._rows: LRUCache[str, UnitRow] = LRUCache(maxsize=2000)
        self._strips: LRUCache[tuple[str, bool, int], Strip] = LRUCache(maxsize=500)
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1

    # -- data -------------------------------------------------------------------------

    def set_codes(
        self, codes: list[str], sort: str, keep: str | None = None, top: bool = False
    ) -> None:
        """Show these codes. The cursor goes to the first row when ``top``; else it stays on
        ``keep`` (default: the current unit) when still listed, else on the first row, or
        where it was when ``keep`` was given."""
        position = 0 if keep is None else self.cursor
        keep = None if top else keep if keep is not None else self.current_code
        self.codes = codes
        if sort != self.sort:
            self.sort = sort
            self._layout_width = -1  # the header shows the sort mark
        size = Size(self.size.width, len(codes) + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        if keep is not None:
            # One scan of up to 100k codes (this runs on every filter keystroke), not two.
            with suppress(ValueError):
                position = codes.index(keep)
        self.cursor = position
        self._scroll_cursor_into_view(center=True)
        self.refresh()

    def forget_rows(self) -> None:
        """Drop every fetched row (the data changed underneath, e.g. after re-evaluation)."""
        self._rows.clear()
        self._strips.clear()
        self.refresh()

    def set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self._strips.clear()
            self.refresh()

    @property
    def current_code(self) -> str | None:
        if 0 <= self.cursor < len(self.codes):
            return self.codes[self.cursor]
        return None

    def row(self, code: str) -> UnitRow | None:
        return self._rows.get(code)

    def _ensure_rows(self, first: int, last: int) -> None:
        # The visible rows are read now; a page either side after the frame is drawn, so a
        # page move usually finds its rows already here.
        missing = [c for c in self.codes[first:last] if c not in self._rows]
        if not missing:
            return
        for row in self._fetch(missing):
            self._rows[row.code] = row
        self.call_after_refresh(self._prefetch, first, last)

    def _prefetch(self, first: int, last: int) -> None:
        span = last - first
        start, stop = max(0, first - span), min(len(self.codes), last + span)
        missing = [c for c in self.codes[start:stop] if c not in self._rows]
        if missing:
            for row in self._fetch(missing):
                self._rows[row.code] = row

    # -- drawing ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._layout_width = -1

    @property
    def page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def render_lines(self, crop: Any) -> list[Strip]:
        top = int(self.scroll_offset.y)
        self._ensure_rows(top, min(len(self.codes), top + self.page_height))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout = layout(width)
            self._layout_width = width
            self._strips.clear()
        if y == 0:
            return self._header_strip(width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.codes):
            return Strip.blank(width, self.rich_style)
        code = self.codes[index]
        is_cursor = index == self.cursor
        key = (code, is_cursor, width)
        strip = self._strips.get(key)
        if strip is None:
            row = self._rows.get(code)
            if row is None:
                self._ensure_rows(index, index + 1)
                row = self._rows.get(code)
            strip = self._row_strip(row, is_cursor, width)
            if row is not None:
                self._strips[key] = strip
        return strip

    def _style(self, name: str) -> Style:
        # The partial style cannot resolve "auto 60%" (the themes' $text-muted) without a
        # background, and comes out white: take the colour from the full, resolved style.
        partial = self.get_component_rich_style(name, partial=True)
        color = self.get_component_rich_style(name).color
        return partial + Style(color=color) if color is not None else partial

    def _header_strip(self, width: int) -> Strip:
        base = self.rich_style
        head, sorted_style = self._style("unit-table--header"), self._style("unit-table--sorted")
        name = self.sort.lstrip("-")
        mark = "▼" if self.sort.startswith("-") else "▲"
        segments: list[Segment] = []
        for i, (column, cells) in enumerate(self._layout):
            if i:
                segments.append(Segment(" ", base))
            if column.sort and column.sort == name:
                text = fit(column.title + mark, cells, column.align)
                segments.append(Segment(text, base + sorted_style))
            else:
                segments.append(Segment(fit(column.title, cells, column.align), base + head))
        return Strip(segments).adjust_cell_length(width, base)

    def _row_strip(self, row: UnitRow | None, is_cursor: bool, width: int) -> Strip:
        base = self.rich_style
        if is_cursor:
            base = base + self._style("unit-table--cursor")
        if self.stale:
            base = base + Style(dim=True)
        if row is None:
            return Strip([Segment(fit("…", width), base)], width)
        segments: list[Segment] = []
        for i, (column, cells) in enumerate(self._layout):
            if i:
                segments.append(Segment(" ", base))
            segments.extend(self._cell(row, column, cells, base))
        if is_cursor:
            # One colour on the cursor's background, as DataTable does: the cells' own colours
            # (red flags, muted codes) do not all read on it in every theme.
            color = Style(color=base.color, bgcolor=base.bgcolor)
            segments = [Segment(seg.text, (seg.style or base) + color) for seg in segments]
        return Strip(segments).adjust_cell_length(width, base)

    def _cell(self, row: UnitRow, column: Column, cells: int, base: Style) -> list[Segment]:
        key = column.key
        if key == "rate":
            return self._rate_cell(row, cells, base)
        if self.stale and key in ("flags", "unpaid"):
            # Verdicts are the last day's, and unpaid ages would count the new day against the
            # last day's orders: neither is shown until the new day's facts are in.
            return [Segment(fit("…", cells), base + self._style("unit-table--muted"))]
        if key == "flags":
            return self._flags_cell(row, cells, base)
        text, style = cell_text(row, key), ""
        if key == "name" and row.code in self.marked:
            check = "✓" if row.code in self.called else ""
            text, style = f"●{check}{text}", "unit-table--marked"
        elif key == "name" and row.code in self.called:
            text, style = f"✓{text}", "unit-table--good"  # called today
        elif key == "unpaid" and row.unpaid_count:
            days = row.unpaid_oldest_days or 0
            style = "unit-table--high" if days > 30 else "unit-table--medium"
        elif key == "status" and row.filing_status in _BEHIND:
            style = "unit-table--high"
        elif key in ("area", "supervisor", "canteen", "follow_up"):
            style = "unit-table--muted"
        text = fit(text, cells, column.align)
        return [Segment(text, base + self._style(style) if style else base)]

    def _rate_cell(self, row: UnitRow, cells: int, base: Style) -> list[Segment]:
        reserved, done = row.reserved_fen, row.completed_fen
        if reserved <= 0:
            return [Segment(fit("—", cells), base + self._style("unit-table--muted"))]
        share = done / reserved
        # Floored like every other rate we show (14.99% never reads 15.0%), and uncapped.
        percent = percent_floor(done, reserved).rjust(6)
        bar_cells = max(0, cells - len(percent) - 1)
        style = "unit-table--good" if share >= self.pace else "unit-table--behind"
        text = bar(share, bar_cells) + " " + percent if bar_cells else fit(percent, cells)
        return [Segment(fit(text, cells), base + self._style(style))]

    def _flags_cell(self, row: UnitRow, cells: int, base: Style) -> list[Segment]:
        segments: list[Segment] = []
        used = 0
        flags = row.flags
        for n, flag in enumerate(flags):
            badge = flag.rule
            rest = len(flags) - n - 1
            # Keep room for a "+n" when more flags follow than fit.
            room = cells - used - (len(f" +{rest}") if rest else 0)
            if len(badge) + (1 if segments else 0) > room:
                more = f"+{len(flags) - n}"
                segments.append(Segment(fit(" " + more if segments else more, cells - used), base))
                used = cells
                break
            if segments:
                segments.append(Segment(" ", base))
                used += 1
            style = self._style(SEVERITY_CLASS[flag.severity])
            segments.append(Segment(badge, base + style))
            used += len(badge)
        if used < cells:
            segments.append(Segment(" " * (cells - used), base))
        return segments

    # -- cursor -----------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.codes) - 1)) if self.codes else 0

    def watch_cursor(self, old: int, new: int) -> None:
        # Row i is content line i + 1: the header takes line 0.
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self.post_message(self.CursorMoved(self.current_code))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        top = int(self.scroll_offset.y)
        page = self.page_height
        if top <= self.cursor < top + page:
            return
        if center:
            target = self.cursor - page // 2
        elif self.cursor < top:
            target = self.cursor
        else:
            target = self.cursor - page + 1
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        self.cursor = index
        self._scroll_cursor_into_view()

    def mark_called(self, codes: set[str]) -> None:
        """The units called today: a ✓ before their names, and n/N pass them by."""
        if codes != self.called:
            self.called = set(codes)
            self._strips.clear()
            self.refresh()

    def set_marked(self, codes: set[str]) -> None:
        """The units picked for an event: a ● before their names."""
        self.marked = set(codes)
        self._strips.clear()
        self.refresh()

    def toggle_mark(self) -> None:
        """Mark or unmark the unit under the cursor, then move down (space, space, space...)."""
        code = self.current_code
        if code is None:
            return
        self.marked.symmetric_difference_update({code})
        self.refresh_line(self.cursor + 1)
        self._strips.clear()
        self.move_to(self.cursor + 1)

    def next_uncalled(self, step: int) -> bool:
        """Move to the next (step 1) or previous (-1) unit not called today; False if none."""
        index = self.cursor + step
        while 0 <= index < len(self.codes):
            if self.codes[index] not in self.called:
                self.move_to(index)
                return True
            index += step
        return False

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.codes) - 1)

    def action_page_down(self) -> None:
        page = self.page_height
        self.scroll_to(y=int(self.scroll_offset.y) + page, animate=False, immediate=True)
        self.move_to(self.cursor + page)

    def action_page_up(self) -> None:
        page = self.page_height
        self.scroll_to(y=max(0, int(self.scroll_offset.y) - page), animate=False, immediate=True)
        self.move_to(self.cursor - page)

    def action_open(self) -> None:
        code = self.current_code
        if code is not None:
            self.post_message(OpenUnit(code))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if index >= len(self.codes):
            return
        if index == self.cursor and event.chain >= 2:
            self.action_open()
        self.move_to(index)
