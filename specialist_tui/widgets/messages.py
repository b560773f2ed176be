"""Messages any screen or widget posts for the app to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.message import Message


@dataclass
class OpenUnit(Message):
    """Show this unit's screen (the list, the follow-ups, the palette ask; the app does it)."""

    code: str


@dataclass
class LookAtDay(Message):
    """Judge every unit as of this day, with only what was known then (None: today again)."""

    day: date | None
