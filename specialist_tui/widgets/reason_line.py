"""The line under the units list: why the selected unit is there, whom to call, the last call.

A specialist decides whom to call next from this line: the worst flag in a sentence, the
contact to ring with the number, and how the last call went (when, outcome, note). At 80×24 it
takes three lines, one for each; on a wider and taller terminal the reason and the contact share
the first line and the last call's note has up to three lines to itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from rich.cells import cell_len, chop_cells
from rich.text import Text
from textual.widgets import Static

SEVERITY_STYLES = {"紧急": "bold red", "严重": "red", "注意": "yellow", "提示": "dim"}


@dataclass(frozen=True, slots=True)
class Reason:
    """What the line says about one unit, already in words."""

    worst: tuple[str, str] | None  # (severity label, reason) of the worst flag
    contact: tuple[str, str, str] | None  # (name, role label, phone) to call
    last_call: tuple[str, str, str] | None  # (when, outcome label, note) of the latest call
    called_today: bool = False
    # Said instead of the worst flag while the rules are being run for another day: the
    # flags in hand are those of the day before, not of the day in the header.
    pending: str | None = None


SEPARATOR = " · "


def why_text(reason: Reason) -> Text:
    """The worst flag: its severity and its sentence."""
    if reason.pending is not None:
        return Text(reason.pending, style="dim")
    if reason.worst is None:
        return Text("没有需要跟进的标记", style="dim")
    severity, why = reason.worst
    return Text.assemble((severity, SEVERITY_STYLES.get(severity, "")), f" {why}")


def contact_text(reason: Reason) -> Text | None:
    """Whom to call: name, role and phone."""
    if reason.contact is None:
        return None
    name, role, phone = reason.contact
    who = f"{name}（{role}）" if role else name
    return Text.assemble(("打给 ", "dim"), f"{who} {phone}".strip())


def last_call_text(reason: Reason) -> Text | None:
    """The latest call: when, its outcome and its note."""
    if reason.last_call is None:
        return None
    when, outcome, note = reason.last_call
    lead = "今天已通话 " if reason.called_today else "上次 "
    note = " ".join(note.split())  # a note typed in the shell may hold line breaks
    return Text.assemble((lead, "dim"), f"{when} {outcome}" + (f"：{note}" if note else ""))


def reason_text(reason: Reason) -> Text:
    """The whole line on one line, its parts separated by " · " (any part may be missing)."""
    parts = [why_text(reason), contact_text(reason), last_call_text(reason)]
    return Text(SEPARATOR, style="dim").join(part for part in parts if part is not None)


def reason_lines(reason: Reason, width: int, most: int) -> list[Text]:
    """The line laid out in at most ``most`` lines of ``width`` cells: the reason, whom to call
    (on the reason's line when both fit) and the last call, whose note wraps into the lines
    left. Whatever is cut ends in "…"."""
    why, who, last = why_text(reason), contact_text(reason), last_call_text(reason)
    lines: list[Text] = []
    if who is not None and cell_len(why.plain) + len(SEPARATOR) + cell_len(who.plain) <= width:
        lines.append(Text(SEPARATOR, style="dim").join([why, who]))
    else:
        lines += [part for part in (why, who) if part is not None]
    if last is not None:
        lines += wrapped(last, width, max(1, most - len(lines)))
    lines = lines[:most]
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


def wrapped(text: Text, width: int, most: int) -> list[Text]:
    """``text`` cut into lines of ``width`` cells, at most ``most``: the last line holds the
    rest, which the caller's truncation ends in "…"."""
    pieces = chop_cells(text.plain, width)
    offsets = list(accumulate(len(piece) for piece in pieces))
    lines = list(text.divide(offsets[:-1]))
    if len(lines) > most:
        lines = [*lines[: most - 1], Text("").join(lines[most - 1 :])]
    return lines


def worst_flag(flags: Sequence[tuple[str, int, str]]) -> tuple[str, str] | None:
    """(severity label, reason) of the heaviest of (severity label, weight, reason) flags."""
    if not flags:
        return None
    label, _, why = max(flags, key=lambda f: f[1])
    return label, why


# Lines the line takes: three on a short terminal, four from TALL rows. A fixed height: the table
# above does not jump as the cursor moves from a unit with a long note to one without.
SHORT_LINES, TALL_LINES, TALL = 3, 4, 40


class ReasonLine(Static):
    """A few lines under the table; it says nothing until a unit is selected."""

    DEFAULT_CSS = """
    ReasonLine { height: 3; padding: 0 1; color: $text; }
    """

    reason: Reason | None = None

    def show(self, reason: Reason | None) -> None:
        self.reason = reason
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        most = TALL_LINES if self.app.size.height >= TALL else SHORT_LINES
        self.styles.height = most
        width = (self.size.width or self.app.size.width) - 2  # the padding
        if self.reason is None or width <= 0:
            self.update(Text())
            return
        lines = reason_lines(self.reason, width, most)
        self.update(Text("\n").join(lines), layout=False)
