"""Sync with the center's hub: the only client code that speaks HTTP.

protocol.py   the protocol client: push the outbox, pull the change feed, HTTP with retries
push_batch.py one push request from outbox rows
pages.py      the page pipeline: fetch a page ahead while the last one parses and is written
parsing.py    one page validated against the wire models and turned into storage rows
parse_worker.py  the child process that parses a bulk pull's pages (why, at its top)
"""

from specialist_tui.client.sync.errors import SyncError
from specialist_tui.client.sync.protocol import (
    KILL_HOOK_ENV,
    PUSH_BATCH,
    STAGE_LABELS,
    SyncClient,
    SyncResult,
    require_hub,
)

__all__ = [
    "KILL_HOOK_ENV",
    "PUSH_BATCH",
    "STAGE_LABELS",
    "SyncClient",
    "SyncError",
    "SyncResult",
    "require_hub",
]
