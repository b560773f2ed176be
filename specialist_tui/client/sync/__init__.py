"""Sync with the center's hub: the only client code that speaks HTTP."""

from specialist_tui.client.sync.protocol import (
    KILL_HOOK_ENV,
    PUSH_BATCH,
    STAGE_LABELS,
    SyncClient,
    SyncError,
    SyncResult,
    require_hub,
    serve_parses,
)

__all__ = [
    "KILL_HOOK_ENV",
    "PUSH_BATCH",
    "STAGE_LABELS",
    "SyncClient",
    "SyncError",
    "SyncResult",
    "require_hub",
    "serve_parses",
]
