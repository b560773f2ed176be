"""A row-cursor DataTable whose enter shows in the footer under a screen's own label."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


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
