"""Feed pages as the API answers them: the cursor a client holds, and a page's bytes."""

from __future__ import annotations

import base64
import binascii

from specialist_tui.hub.store import Caller, HubStore, Position
from specialist_tui.wire import page_json


def encode_cursor(position: Position) -> str:
    txid, seq = position
    return base64.urlsafe_b64encode(f"v2:{txid}:{seq}".encode()).decode().rstrip("=")


def parse_cursor(cursor: str) -> Position:
    """The feed position a cursor stands for; an empty cursor is the beginning.

    ValueError for anything this hub did not make. A v1 cursor (a seq, from hubs before
    PostgreSQL support) is the position (0, seq): rows written then, or copied by
    `hub migrate`, keep txid 0, so such a client resumes exactly.
    """
    if not cursor:
        return (0, 0)
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(cursor) from None
    version, _, rest = text.partition(":")
    parts = rest.split(":")
    if version == "v1":
        parts = ["0", *parts]
    # Bounded like the databases' integers: a longer number is no cursor this hub made.
    if version not in ("v1", "v2") or len(parts) != 2 or not all(_small(p) for p in parts):
        raise ValueError(text)
    return (int(parts[0]), int(parts[1]))


def _small(digits: str) -> bool:
    return digits.isascii() and digits.isdigit() and len(digits) <= 18


def feed_page(store: HubStore, caller: Caller, since: Position, limit: int) -> bytes:
    """The ChangesPage after ``since`` that ``caller`` may see, as the API's bytes."""
    rows, has_more = store.changes_after(caller, since, limit)
    last = (rows[-1][0], rows[-1][1]) if rows else since
    # The stored bodies are already the records' canonical JSON: splice, don't re-encode.
    changes = ((kind, key, op, body) for _, _, kind, key, op, body in rows)
    return page_json(changes, encode_cursor(last), has_more)


def empty_page(since: Position) -> bytes:
    """The page of a poll that found nothing after ``since``: the same cursor back."""
    return page_json((), encode_cursor(since), False)
