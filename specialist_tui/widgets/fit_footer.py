"""A footer whose labels are always whole: on a narrow terminal it shows fewer, shorter keys.

Textual's footer lays every shown key in one row and lets the last ones run off the edge
(`t 新建工…`). This one measures the keys first and steps down until they fit: the usual
spacing, then compact spacing, then without the keys the screen does not name as needed
(``FOOTER_KEYS``, most needed first), then short labels and fewer of the needed keys, in that
order of need. The keys left out stay in `?` help and the command palette.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP = "app.help"  # always shown: it lists every key the footer had to leave out

# Shorter labels for the longest keys, used only when the full ones do not fit; help and the
# palette keep the full ones.
SHORT_LABELS = {
    "app.log_call": "通话",
    "app.new_ticket": "新工单",
    "app.follow_ups": "跟进",
    "units.save_view": "存视图",
    "unit.back": "返回",
    "unit.copy_phone": "复制",
    "follow_ups.call": "通话",
    "summary.group": "分组",
    "summary.ranking": "排名",
}


def key_width(key: str, label: str, compact: bool) -> int:
    """Cells a footer key takes: Textual pads key and label by one cell, or a compact margin."""
    return cell_len(key) + cell_len(label) + (2 if compact else 3)


def keys_that_fit(keys: Sequence[tuple[str, int]], needed: Sequence[str], room: int) -> set[str]:
    """Which (id, width) keys to show in ``room`` cells: all if they fit, else help first, then
    ``needed`` in its order, then the rest in theirs, skipping any that would not fit."""
    if sum(width for _, width in keys) <= room:
        return {key for key, _ in keys}
    widths = dict(keys)
    kept: set[str] = set()
    for key in (HELP, *needed, *widths):
        width = widths.get(key)
        if width is not None and key not in kept and width <= room:
            kept.add(key)
            room -= width
    return kept


class FitFooter(Footer):
    """The footer of every screen of the app: whole labels at any width."""

    def __init__(self) -> None:
        super().__init__()
        self._laid_out_for = -1  # the width the keys were chosen for

    def on_resize(self, event: events.Resize) -> None:
        if self._laid_out_for not in (-1, event.size.width):
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        if not widgets:
            return  # the screen's bindings are not known yet
        width = self._laid_out_for = self.size.width or self.app.size.width
        ids = {
            (active.binding.key, active.binding.action): active.binding.id or ""
            for active in self.screen.active_bindings.values()
        }
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        shown = [k for k in keys if not k.has_class("-command-palette")]
        named = {id(k): ids.get((k.key, k.action), k.action) for k in shown}

        def room(compact: bool) -> int:
            # The palette key docks at the right edge behind a one-cell rule (and, compact,
            # keeps a margin after it).
            taken = sum(key_width(k.key_display, k.description, compact) for k in palette)
            return width - taken - (len(palette) if compact else 0)

        def needs(compact: bool) -> int:
            return sum(key_width(k.key_display, k.description, compact) for k in shown)

        compact = needs(False) > room(False)
        self.compact = compact
        needed: Sequence[str] = getattr(self.screen, "FOOTER_KEYS", ())
        for short in (False, True):  # leave out the lesser keys first, then shorten labels
            if short:
                for key in shown:
                    key.description = SHORT_LABELS.get(named[id(key)], key.description)
            measured = [
                (named[id(k)], key_width(k.key_display, k.description, compact)) for k in shown
            ]
            kept = keys_that_fit(measured, needed, room(compact))
            if kept >= {HELP, *needed} & set(named.values()):
                break
        for widget in widgets:
            dropped = widget in shown and named[id(widget)] not in kept
            if not dropped:
                yield widget
