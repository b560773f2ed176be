"""Messages any screen or widget posts for the app to act on."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenUnit(Message):
    """Show this unit's screen (the list, the follow-ups, the palette ask; the app does it)."""

    code: str
