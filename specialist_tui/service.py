"""The service layer: what screens and commands ask for, answered from the cache and the rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from specialist_tui.cache import Cache, Evaluation
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
