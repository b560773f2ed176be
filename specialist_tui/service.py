"""The service layer: what screens and commands ask for, answered from the cache and the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from specialist_tui.cache import Cache, Evaluation, sync_state
from specialist_tui.config import Settings
from specialist_tui.domain.models import BEIJING
from specialist_tui.domain.policy import Policy
from specialist_tui.policy_files import load_policy

# A demo cache remembers the date its story is told on, so later runs see the same year.
DEMO_TODAY_KEY = "demo_today"


class Service:
    """One user's view of one cache under one policy."""

    def __init__(self, settings: Settings, cache: Cache | None = None) -> None:
        self.settings = settings
        self.policy: Policy = load_policy(settings.policy)
        self.cache = cache or Cache.open(settings.cache_dir)

    def close(self) -> None:
        self.cache.close()

    @property
    def today(self) -> date:
        """The date the rules are evaluated on: --today, else a demo's date, else Beijing today."""
        if self.settings.today is not None:
            return self.settings.today
        pinned = self.cache.get_meta(DEMO_TODAY_KEY)
        if pinned:
            return date.fromisoformat(pinned)
        return datetime.now(BEIJING).date()

    def prepare(self) -> Evaluation | None:
        """Bring flags up to date for today's date and the policy (fast when nothing changed)."""
        return self.cache.ensure_current(self.policy, self.today)

    def view_rows(
        self, view: str, text: str = "", sort: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        codes = self.cache.view_codes(view, text, sort)
        if limit is not None:
            codes = codes[:limit]
        return self.cache.unit_rows(codes, self.today)

    # -- sync ---------------------------------------------------------------------------

    def sync_status(self) -> SyncStatus:
        """What the header shows: the last successful sync and what waits to be pushed."""
        return SyncStatus(
            last_sync_at=self.cache.get_meta(sync_state.LAST_SYNC_KEY),
            pending=self.cache.outbox_count(),
            conflicts=len(sync_state.conflicted_ids(self.cache)),
        )

    def ticket_conflicts(self) -> list[dict[str, Any]]:
        """Tickets changed both here and on the hub: ours and the hub's, side by side."""
        return sync_state.conflicts(self.cache)

    def resolve_conflict(self, ticket_id: str, keep: Literal["mine", "theirs"]) -> None:
        """Keep our version (pushed again on the next sync) or take the hub's."""
        if keep == "mine":
            sync_state.keep_mine(self.cache, ticket_id)
        else:
            sync_state.take_theirs(self.cache, ticket_id, self.policy, self.today)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    last_sync_at: str | None
    pending: int
    conflicts: int

    def line(self) -> str:
        when = self.last_sync_at[:16].replace("T", " ") if self.last_sync_at else "从未"
        text = f"上次同步 {when} · 待推送 {self.pending}"
        return text + (f" · 冲突 {self.conflicts}" if self.conflicts else "")
