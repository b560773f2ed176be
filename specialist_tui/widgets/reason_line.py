"""The line under the units list: why the selected unit is there, whom to call, the last call.

A specialist decides whom to call next from this line: the worst flag in a sentence, the
contact to ring with the number, and how the last call went (when, outcome, note).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def reason_text(reason: Reason) -> Text:
    """The line's text; parts are separated by " · " and any part may be missing."""
    text = Text(no_wrap=False, overflow="ellipsis")
    if reason.worst is None:
        text.append("没有需要跟进的标记", style="dim")
    else:
        severity, why = reason.worst
        text.append(severity, style=SEVERITY_STYLES.get(severity, ""))
        text.append(f" {why}")
    if reason.contact is not None:
        name, role, phone = reason.contact
        who = f"{name}（{role}）" if role else name
        text.append(" · 打给 ", style="dim")
        text.append(f"{who} {phone}".strip())
    if reason.last_call is not None:
        when, outcome, note = reason.last_call
        text.append(" · 今天已通话 " if reason.called_today else " · 上次 ", style="dim")
        text.append(f"{when} {outcome}" + (f"：{note}" if note else ""))
    return text


def worst_flag(flags: Sequence[tuple[str, int, str]]) -> tuple[str, str] | None:
    """(severity label, reason) of the heaviest of (severity label, weight, reason) flags."""
    if not flags:
        return None
    label, _, why = max(flags, key=lambda f: f[1])
    return label, why


class ReasonLine(Static):
    """Two lines at most under the table; it says nothing until a unit is selected."""

    DEFAULT_CSS = """
    ReasonLine { height: auto; max-height: 2; padding: 0 1; color: $text; }
    """

    def show(self, reason: Reason | None) -> None:
        self.update(Text() if reason is None else reason_text(reason))
