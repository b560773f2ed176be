"""One clock for everything shown: stored moments read back as Beijing wall time.

Moments are stored as ISO text with their offset, some written in the machine's own zone
(older caches, the sync stamps); converting on the way out makes every line agree.
"""

from __future__ import annotations

from datetime import datetime

from specialist_tui.domain.fields import BEIJING


def beijing(moment: str) -> datetime:
    """An ISO moment as an aware Beijing datetime; a moment without an offset is Beijing's."""
    value = datetime.fromisoformat(moment)
    if value.tzinfo is None:
        return value.replace(tzinfo=BEIJING)
    return value.astimezone(BEIJING)


def beijing_minute(moment: str | None) -> str:
    """An ISO moment as "2024-06-20 10:00" in Beijing time; "" for none or unreadable text."""
    if not moment:
        return ""
    try:
        return beijing(moment).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return moment[:16].replace("T", " ")
