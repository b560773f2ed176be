"""The units screen's tabs and header line: which tabs there are, and how they read."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.markup import escape

from specialist_tui.client.config import SavedView
from specialist_tui.client.read_models import HeaderInfo, ViewInfo
from specialist_tui.domain.clock import beijing_minute

# `s` walks through these; each starts in the direction a specialist wants first.
SORT_CYCLE: tuple[str, ...] = (
    "-score", "name", "supervisor", "area", "status", "-reserved", "-completed", "rate",
    "-unpaid", "oldest", "follow_up",
)  # fmt: skip


def next_sort(sort: str) -> str:
    """The sort after ``sort`` in the cycle `s` walks (the first one after an unknown sort)."""
    bare = [s.lstrip("-") for s in SORT_CYCLE]
    name = sort.lstrip("-")
    position = bare.index(name) if name in bare else -1
    return SORT_CYCLE[(position + 1) % len(SORT_CYCLE)]


def reversed_sort(sort: str) -> str:
    return sort[1:] if sort.startswith("-") else f"-{sort}"


@dataclass(frozen=True, slots=True)
class Tab:
    """One tab of the units screen: a built-in view, or a saved filter + sort over one."""

    title: str
    view: str
    filter: str | None = None  # None: the tab keeps whatever filter is typed
    sort: str = ""
    saved: bool = False


def all_tabs(views: list[ViewInfo], saved: list[SavedView]) -> list[Tab]:
    """The built-in views' tabs, then one per saved view."""
    return [Tab(v.label, v.name) for v in views] + [saved_tab(v) for v in saved]


def saved_tab(view: SavedView) -> Tab:
    return Tab(view.name, view.view, view.filter, view.sort, saved=True)


def compact_count(count: int) -> str:
    """A count in at most five cells: 812, 9,999, 1.2万."""
    return f"{count:,}" if count < 10_000 else f"{count / 10_000:.1f}万"


def header_markup(
    info: HeaderInfo | None,
    sync_note: str | None,
    preparing: bool,
    preparing_note: str = "",
    narrow: bool = False,
) -> str:
    """The header line: who and where, the next deadline, today, data and sync freshness.

    ``preparing_note`` says how far a re-evaluation has come (looking back at another day);
    ``narrow`` (80 columns) keeps who, the deadline, the day and what waits to be pushed.
    """
    parts = []
    if info is not None:
        who = escape(info.specialist)
        if info.center and not narrow:
            who += f" · {escape(info.center)}"
        parts.append(f"[b]{who}[/b]")
        if info.deadline is not None:
            name, _ = info.deadline
            days = info.days_left
            style = "$text-error" if days is not None and days <= 7 else "$text-warning"
            parts.append(f"[{style}]距{name} {days} 天[/]")
        parts.append(f"今天 {info.today:%m-%d}" if narrow else f"今天 {info.today}")
        if info.refreshed_at and not narrow:
            parts.append(f"数据更新 {beijing_minute(info.refreshed_at)}")
        if sync_note:
            parts.append(f"[$text-accent]{escape(sync_note)}[/]")
        elif info.sync is not None:
            parts.append(f"待推送 {info.sync.pending}" if narrow else escape(info.sync.line()))
    if preparing:
        note = escape(preparing_note or "正在按今天的日期重新评估…")
        parts.insert(1, f"[$text-muted]{note}[/]")
    return (" · " if narrow else "  ·  ").join(parts)


def tabs_markup(
    tabs: list[Tab], current: int, counts: dict[str, int], saved_counts: list[int], width: int
) -> str:
    """The tab line: each tab's number key, title and count, the current one highlighted.

    Below 100 columns the number keys close up to their titles, big counts show in 万, and
    the tabs wrap onto a second line between tabs (never inside one) rather than lose a tab.
    """
    wide = width >= 100
    pieces: list[tuple[str, str, int]] = []
    saved_index = 0
    for i, tab in enumerate(tabs):
        if tab.saved:
            count = saved_counts[saved_index] if saved_index < len(saved_counts) else None
            saved_index += 1
        else:
            count = counts.get(tab.view)
        shown = "…" if count is None else (f"{count:,}" if wide else compact_count(count))
        number = (f"{i + 1} " if wide else f"{i + 1}") if i < 9 else ""
        style = "bold $text on $primary" if i == current else "$text-muted"
        pieces.append((f" {number}{tab.title} {shown} ", style, i))
    room = max(1, width - 2)  # inside the padding
    markup, used = [], 0
    for text, style, i in pieces:
        cells = cell_len(text)
        if used and used + cells > room:
            markup.append("\n")
            used = 0
        markup.append(f"[{style} @click=screen.switch_tab({i})]{escape(text)}[/]")
        used += cells
    return "".join(markup)
