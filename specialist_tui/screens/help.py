"""The `?` help: every key of the screen it was opened from, with what it does.

The keys that matter most come first (the screen's footer keys, in its order of need), so the
first screenful at 80×24 is the useful one; the rest, and the center's contacts, scroll.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from specialist_tui.screens.builtin_keys import in_chinese

KeyRow = tuple[str, str, str, str]
NARROW = 100  # below this width a key's id goes under its description, not in a column
HELP_FOOT = "↑↓ PgUp PgDn 翻看 · Esc 关闭 · 在配置文件的 [keymap] 中按“编号”改键"


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
    """(keys, description, tooltip, id) of every binding active on the screen, one per action:
    the screen's footer keys first in its order of need, then the other keys the footer shows,
    then the rest."""
    rows: dict[tuple[int, str], list[str]] = {}
    details: dict[tuple[int, str], tuple[str, str, str]] = {}
    rank: dict[tuple[int, str], int] = {}
    needed = list(getattr(screen, "FOOTER_KEYS", ()))
    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system or not (binding.description or binding.tooltip):
            continue
        key = (id(active.node), binding.action)
        rows.setdefault(key, []).append(app.get_key_display(binding))
        description, tooltip = in_chinese(binding.description), in_chinese(binding.tooltip)
        details[key] = (description, tooltip, binding.id or "")
        if binding.id in needed:
            order = needed.index(binding.id)
        else:
            order = len(needed) + (0 if binding.show else 1)
        rank[key] = min(order, rank.get(key, order))
    ordered = sorted(rows, key=rank.__getitem__)  # stable: declared order among equals
    return [(" ".join(dict.fromkeys(rows[key])), *details[key]) for key in ordered]


class HelpScreen(ModalScreen[None]):
    """A table of the keys of the screen underneath."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "关闭", id="help.close", tooltip="关闭帮助"),
        Binding("j", "scroll(1)", "向下滚动", show=False, id="help.down", tooltip="向下滚动"),
        Binding("k", "scroll(-1)", "向上滚动", show=False, id="help.up", tooltip="向上滚动"),
    ]

    AUTO_FOCUS = "#help-body"  # the arrows, PgUp/PgDn, Home/End scroll the keys

    def __init__(self, keys: list[KeyRow], title: str, contacts: list[str] | None = None) -> None:
        super().__init__()
        self.keys = keys
        self.title_text = title
        self.contacts = contacts or []

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Label(f"{self.title_text} · 按键", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(id="help-keys")
                if self.contacts:
                    yield Label("\n".join(self.contacts), id="help-contacts", markup=False)
            yield Label(HELP_FOOT, id="help-foot", markup=False)

    def on_resize(self) -> None:
        table = keys_table(self.keys, narrow=self.size.width < NARROW)
        self.query_one("#help-keys", Static).update(table)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=step, animate=False)


def keys_table(keys: list[KeyRow], narrow: bool) -> Table:
    """The keys as a table whose descriptions wrap; the ids in a column, or under the
    description when ``narrow``. Every cell is Text: "[keymap]" shows as written."""
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    table.add_column("按键", no_wrap=True)
    table.add_column("操作", no_wrap=True)
    table.add_column("说明", ratio=1, overflow="fold")
    if not narrow:
        table.add_column("编号", no_wrap=True, style="dim")
    for keys_shown, description, tooltip, binding_id in keys:
        if narrow:
            about = Text(tooltip)
            if binding_id:
                about.append(f"{' ' if tooltip else ''}{binding_id}", style="dim")
            table.add_row(Text(keys_shown), Text(description), about)
        else:
            table.add_row(Text(keys_shown), Text(description), Text(tooltip), Text(binding_id))
    return table
