"""A row-cursor DataTable whose enter shows in the footer under a screen's own label.

Its columns use the width the terminal has: each has a least width, the spare width goes to
the columns that hold names and actions, and a text cut short ends in "…".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

Columns = Sequence[tuple[str, int]]  # (label, least width in cells)
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

    def fit_columns(self, columns: Columns, grow: Collection[str] = ()) -> None:
        """Empty the table and lay out ``columns`` on its width; ``grow`` get the spare."""
        self.clear(columns=True)
        for label, width in zip(
            (label for label, _ in columns), fitted_widths(columns, grow, self._room()), strict=True
        ):
            self.add_column(label, width=width)

    def _room(self) -> int:
        width = self.size.width or self.app.size.width
        return width - SCROLLBAR

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        """Add a row; a text too long for its column ends in "…" instead of being cut."""
        shown = [
            Text(c, no_wrap=True, overflow="ellipsis") if isinstance(c, str) else _ellipsis(c)
            for c in cells
        ]
        return super().add_row(*shown, **kwargs)


def _ellipsis(cell: Any) -> Any:
    if isinstance(cell, Text):
        cell = cell.copy()
        cell.no_wrap, cell.overflow = True, "ellipsis"
    return cell


def fitted_widths(columns: Columns, grow: Collection[str], room: int) -> list[int]:
    """Widths for ``columns`` in ``room`` cells (each column pads one cell on either side):
    every column its least width, the spare shared evenly by the ``grow`` columns."""
    widths = [width for _, width in columns]
    growing = [i for i, (label, _) in enumerate(columns) if label in grow]
    spare = room - sum(widths) - 2 * len(columns)
    if spare > 0 and growing:
        share, extra = divmod(spare, len(growing))
        for n, i in enumerate(growing):
            widths[i] += share + (1 if n < extra else 0)
    return widths
