"""The one error a sync raises."""

from __future__ import annotations


class SyncError(Exception):
    """A sync that could not finish; the message is one line a user can act on."""
