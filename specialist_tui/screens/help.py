"""The `?` help: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from specialist_tui.screens.builtin_keys import in_chinese

KeyRow = tuple[str, str, str, str]
HELP_FOOT = "Esc 关闭 · 在配置文件的 [keymap] 中按“编号”改键"


def binding_ids() -> set[str]:
    """Every binding id of the app's screens and widgets: what the keymap setting may name."""
    from textual.dom import DOMNode

    found: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("specialist_tui"):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                found.add(binding.id)
    return found


def screen_keys(screen: Screen[object]) -> list[KeyRow]:
    """(keys, description, tooltip, id) of every binding active on the screen, one per action."""
    rows: dict[tuple[int, str], list[str]] = {}
    details: dict[tuple[int, str], tuple[str, str, str]] = {}
    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system or not (binding.description or binding.tooltip):
            continue
        key = (id(active.node), binding.action)
        rows.setdefault(key, []).append(app.get_key_display(binding))
        description, tooltip = in_chinese(binding.description), in_chinese(binding.tooltip)
        details[key] = (description, tooltip, binding.id or "")
    return [(" ".join(dict.fromkeys(keys)), *details[key]) for key, keys in rows.items()]


class HelpScreen(ModalScreen[None]):
    """A table of the keys of the screen underneath."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "关闭", id="help.close", tooltip="关闭帮助"),
    ]

    def __init__(self, keys: list[KeyRow], title: str, contacts: list[str] | None = None) -> None:
        super().__init__()
        self.keys = keys
        self.title_text = title
        self.contacts = contacts or []

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Label(f"{self.title_text} · 按键", id="help-title")
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("按键", "操作", "说明", "编号")
            for row in self.keys:
                # As Text: a tooltip such as "[keymap]" is shown as written, not read as markup.
                table.add_row(*(Text(cell) for cell in row))
            yield table
            if self.contacts:
                yield Label("\n".join(self.contacts), id="help-contacts", markup=False)
            yield Label(HELP_FOOT, id="help-foot", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
