"""What the work-log screens share: labels of the choices, field rows and the save plumbing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Static
from textual.worker import Worker, WorkerState

from specialist_tui.domain.dates import parse_moment as parse_moment  # the forms import it here
from specialist_tui.domain.enums import Labelled


def options(enum: Iterable[Labelled]) -> list[tuple[str, str]]:
    """(code, Chinese label) pairs of an enum, for a Choice."""
    return [(member.value, member.label) for member in enum]


def field_row(label: str, *widgets: Widget, id: str | None = None, classes: str = "") -> Horizontal:
    """A form row: a fixed-width Chinese label, then the field's widgets."""
    return Horizontal(
        Label(label, classes="field-label"), *widgets, classes=f"field-row {classes}", id=id
    )


def error_line(name: str) -> Static:
    """The place a field's error appears, right under its row; empty and hidden until then."""
    return Static("", id=f"error-{name}", classes="field-error")


def show_errors(screen: Widget, errors: dict[str, str], where: dict[str, str]) -> None:
    """Put each error under its field (``where`` maps a field to its error line), clear others."""
    lines: dict[str, list[str]] = {}
    for name, message in errors.items():
        lines.setdefault(where.get(name, "form"), []).append(message)
    for widget in screen.query(".field-error").results(Static):
        line_name = (widget.id or "").removeprefix("error-")
        text = "；".join(lines.get(line_name, []))
        widget.update(text)
        widget.display = bool(text)


def quick_dates(today: date) -> dict[str, date | None]:
    """The follow-up quick picks: none, +1, +3, +7 days and next Monday."""
    return {
        "none": None,
        "+1": today + timedelta(days=1),
        "+3": today + timedelta(days=3),
        "+7": today + timedelta(days=7),
        "monday": today + timedelta(days=7 - today.weekday()),
    }


QUICK_LABELS = [
    ("none", "不跟进"),
    ("+1", "+1天"),
    ("+3", "+3天"),
    ("+7", "+7天"),
    ("monday", "下周一"),
]


def worker_failed(event: Worker.StateChanged) -> str | None:
    """The one-line reason a worker failed, or None while it has not."""
    if event.state is not WorkerState.ERROR:
        return None
    error: Any = event.worker.error
    return f"{type(error).__name__}: {error}"


def report_failure(screen: Widget, event: Worker.StateChanged, what: str) -> None:
    """Tell the user in one line that a screen's worker failed (and not the app again)."""
    reason = worker_failed(event)
    if reason:
        event.stop()
        screen.notify(f"{what}失败：{reason}", severity="error")


FORM_CSS = """
.form-dialog {
    width: 84;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary 70%;
    background: $surface;
    padding: 0 1;
}
.form-title { text-style: bold; color: $text; padding-bottom: 1; width: 1fr; }
.field-row { height: 1; }
.field-label { width: 9; color: $text-muted; }
.field-row Input { width: 1fr; }
.field-row Select { width: 1fr; }
.field-error { color: $error; height: auto; display: none; padding-left: 9; }
.form-hint { color: $text-muted; height: 1; }
"""
