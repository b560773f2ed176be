"""A row-cursor DataTable whose enter shows in the footer under a screen's own label.

Its columns use the width the terminal has and the width their texts need: each column has a
least width and grows toward its longest text, the narrow ones filling first, so a wide
terminal shows names whole without stretching a column past them; a text cut short ends in "…".
A live resize lays the columns out again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

Columns = Sequence[tuple[str, int]]  # (label, least width in cells)
Row = tuple[str, Sequence[Any]]  # (key, cells: str or Text)
SCROLLBAR = 2


class ListTable(DataTable[object]):
    """DataTable hides its enter binding; a list the user opens rows from should show it.

    Enter still posts RowSelected, so the key is processed in order with the arrows before it
    (a screen-level priority binding would run ahead of keys still queued for the table).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "打开", id="list.open", tooltip="打开所选的一行"),
        # The same movement keys as the units list, so every list moves alike.
        Binding("j", "cursor_down", "下一行", show=False, id="list.down", tooltip="下一行"),
        Binding("k", "cursor_up", "上一行", show=False, id="list.up", tooltip="上一行"),
        Binding("g,home", "scroll_top", "第一行", show=False, id="list.top", tooltip="第一行"),
        Binding(
            "G,end", "scroll_bottom", "最后一行", show=False, id="list.bottom", tooltip="最后一行"
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self._columns: Columns = ()
        self._rows: list[Row] = []
        self._laid_out_for = -1  # the room the columns were fitted to

    def show_rows(self, columns: Columns, rows: Sequence[Row]) -> None:
        """Show ``rows`` under ``columns`` fitted to the table's width; the cursor stays on the
        same row number (or the last row)."""
        cursor, scroll_y = self.cursor_row, self.scroll_y
        self._columns, self._rows = columns, list(rows)
        self._lay_out()
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1), scroll=False)
            self.scroll_to(y=scroll_y, animate=False)

    def on_resize(self) -> None:
        if self._columns and self._laid_out_for != self._room():
            self.show_rows(self._columns, self._rows)

    def _lay_out(self) -> None:
        room = self._laid_out_for = self._room()
        self.clear(columns=True)
        cells = [[_cell(c) for c in row] for _, row in self._rows]
        wanted = [
            max([cell_len(label), *(cells_[i].cell_len for cells_ in cells)])
            for i, (label, _) in enumerate(self._columns)
        ]
        widths = fitted_widths(self._columns, wanted, room)
        for (label, _), width in zip(self._columns, widths, strict=True):
            self.add_column(label, width=width)
        for (key, _), row in zip(self._rows, cells, strict=True):
            self.add_row(*row, key=key)

    def _room(self) -> int:
        width = self.size.width or self.app.size.width
        return width - SCROLLBAR


def _cell(cell: Any) -> Text:
    """A cell as Text that ends in "…" when its column is too narrow for it."""
    text = Text(cell) if isinstance(cell, str) else cell.copy()
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def fitted_widths(columns: Columns, wanted: Sequence[int], room: int) -> list[int]:
    """Widths for ``columns`` in ``room`` cells (each column pads one cell on either side):
    every column its least width, then the spare shared evenly by the columns still narrower
    than their ``wanted`` width, none past it."""
    widths = [least for _, least in columns]
    spare = room - sum(widths) - 2 * len(columns)
    while spare > 0:
        short = [i for i, want in enumerate(wanted) if widths[i] < want]
        if not short:
            break
        share = max(1, spare // len(short))
        for i in short:
            grant = min(share, wanted[i] - widths[i], spare)
            widths[i] += grant
            spare -= grant
    return widths
