"""The service layer: what screens and commands ask for, answered from the cache and the rules."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any, Literal

from specialist_tui.client.cache import (
    Cache,
    Evaluation,
    detail,
    recent_calls,
    stored,
    sync_state,
)
from specialist_tui.client.cache.store import Progress
from specialist_tui.client.config import Settings
from specialist_tui.domain.clock import beijing_minute
from specialist_tui.domain.divisions import Divisions
from specialist_tui.domain.enums import FilingStatus
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.finance_office import finance_office_name
from specialist_tui.domain.models import BEIJING
from specialist_tui.domain.money import share_of
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules import evaluate, filing_state
from specialist_tui.domain.verdicts import Verdict, verdicts
from specialist_tui.policies import load_divisions, load_policy

# A demo cache remembers the date its story is told on, so later runs see the same year.
DEMO_TODAY_KEY = "demo_today"

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """What the app's header line says: who, where, how fresh, and the next deadline."""

    specialist: str
    center: str
    refreshed_at: str | None
    today: date
    deadline: tuple[str, date] | None  # (name, day) of the next policy deadline
    sync: SyncStatus | None = None  # None when no hub is configured

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline[1] - self.today).days


@dataclass(frozen=True, slots=True)
class PartProgress:
    """Reserved against completed spend for one part of a unit's purchasing."""

    label: str
    reserved: int | None  # None: this part has no reservation of its own
    completed: int
    expected: int  # what the year's pace asks to be completed by today


@dataclass(slots=True)
class UnitDetail:
    """Everything the unit screen shows about one unit."""

    unit: Row
    facts: UnitFacts
    filing: Row | None
    last_filing: Row | None
    verdicts: list[Verdict]
    flags: list[Flag]
    parts: list[PartProgress]
    monthly: list[int]
    orders: list[Row]
    order_count: int
    calls: list[Row]
    tickets: list[Row]
    today: date
    year: int
    specialist: Row | None = None


class Service:
    """One user's view of one cache under one policy."""

    def __init__(self, settings: Settings, cache: Cache | None = None) -> None:
        self.settings = settings
        self.policy: Policy = load_policy(settings.policy)
        self.cache = cache or Cache.open(settings.cache_dir)
        self._reader: Cache | None = None
        self._reader_lock = threading.Lock()

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self.cache.close()

    @property
    def reader(self) -> Cache:
        """A second connection for long reads in background threads.

        SQLite in WAL mode lets it read while the first connection serves the screen, so a
        slow list query never makes the visible rows wait for the cache's lock.
        """
        with self._reader_lock:
            if self._reader is None:
                self._reader = Cache.background(self.cache.path)
            return self._reader

    @property
    def today(self) -> date:
        """The date the rules are evaluated on: --today, else a demo's date, else Beijing today."""
        if self.settings.today is not None:
            return self.settings.today
        pinned = self.cache.get_meta(DEMO_TODAY_KEY)
        if pinned:
            return date.fromisoformat(pinned)
        return datetime.now(BEIJING).date()

    @property
    def as_of(self) -> date | None:
        """The day facts are taken as known on: None (every record) unless some record is dated
        after today, as when looking back with --today."""
        today, until = self.today, self.cache.data_until()
        return today if until is not None and today < until else None

    def prepare(self, progress: Progress | None = None) -> Evaluation | None:
        """Bring facts and flags up to date for today's date and the policy (fast when nothing
        changed; seconds at 100k units when looking back to another day)."""
        return self.cache.ensure_current(self.policy, self.today, self.as_of, progress)

    def needs_preparing(self) -> bool:
        """True when flags were evaluated for another date or policy (prepare will take a while)."""
        return not self.cache.is_current(self.policy, self.today, self.as_of)

    def prepare_separately(self, progress: Progress | None = None) -> Evaluation | None:
        """prepare() on a connection of its own, so readers of this cache are not held up."""
        own = Cache(self.cache.path)
        try:
            return own.ensure_current(self.policy, self.today, self.as_of, progress)
        finally:
            own.close()

    # -- the list -----------------------------------------------------------------------

    def view_rows(
        self, view: str, text: str = "", sort: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        codes = self.cache.view_codes(view, text, sort)
        if limit is not None:
            codes = codes[:limit]
        return self.unit_rows(codes)

    def view_codes(
        self, view: str, text: str = "", sort: str | None = None, limit: int | None = None
    ) -> list[str]:
        """A view's codes in sort order (on the background connection)."""
        return self.reader.view_codes(view, text, sort, limit)

    def view_counts(self, text: str = "") -> dict[str, int]:
        """Units per view under a filter (on the background connection)."""
        return self.reader.view_counts(text)

    def search_keys(self) -> dict[str, bytes]:
        """Every unit's search text (UTF-8) by code, for filtering in memory."""
        return self.reader.search_keys()

    def unit_rows(self, codes: Sequence[str]) -> list[Row]:
        """List rows, with the filing's state as the 考评 reads it and the finance office."""
        rows = self.cache.unit_rows(codes, self.today)
        for row in rows:
            row["filing_state"] = filing_state(
                FilingStatus(row["filing_status"]),
                _day(row["submitted_on"]),
                _day(row["confirmed_on"]),
                self.policy,
            )
            row["finance_office_name"] = finance_office_name(row["finance_office"], self.divisions)
        return rows

    @cached_property
    def divisions(self) -> Divisions:
        return load_divisions(self.policy)

    def last_calls(self, codes: Sequence[str]) -> dict[str, Row]:
        """The latest call of each of these units (for the line under the list)."""
        return recent_calls.last_calls(self.cache, codes)

    def called_today(self) -> set[str]:
        """The units called on the service's day (marked in the list, skipped by n/N)."""
        return recent_calls.called_on(self.cache, self.today)

    def unit_count(self) -> int:
        return self.cache.count("units")

    def has_units(self) -> bool:
        return self.cache.has_rows("units")

    def find_units(self, text: str, limit: int = 20) -> list[Row]:
        """Units matching ``text`` (name, code, supervisor, area, pinyin), shortest name first."""
        return detail.find_units(self.reader, text, limit)

    def pace_share(self) -> float:
        """The share of its reservation a unit should have completed by today (R9's pace)."""
        return float(self.policy.pace_share(self.today))

    def specialist_names(self) -> dict[str, str]:
        """Specialist id -> name, so authors show by name."""
        return stored.specialist_names(self.cache)

    def header(self) -> HeaderInfo:
        cache = self.reader
        user = self.settings.user or cache.get_meta("user_id") or ""
        person = detail.specialist(cache, user) if user else None
        upcoming = self.policy.deadlines_after(self.today)
        return HeaderInfo(
            specialist=(person or {}).get("name") or user or "未登录专员",
            center=(person or {}).get("center_name") or "",
            refreshed_at=cache.get_meta("refreshed_at"),
            today=self.today,
            deadline=upcoming[0] if upcoming else None,
            sync=self.sync_status() if self.settings.hub_url else None,
        )

    # -- one unit -----------------------------------------------------------------------

    def unit_detail(self, code: str) -> UnitDetail | None:
        """The unit, its filings, rule verdicts, progress, orders, calls and tickets."""
        # The screen's own connection: these are indexed lookups of one unit, read on the
        # UI thread, and must not wait behind a long list query on the reader.
        cache, policy, today = self.cache, self.policy, self.today
        unit = cache.unit(code)
        facts = cache.unit_facts(code)
        if unit is None or facts is None:
            return None
        year = policy.year
        filings = detail.filings(cache, code, (year, year - 1))
        return UnitDetail(
            unit=unit,
            facts=facts,
            filing=filings.get(year),
            last_filing=filings.get(year - 1),
            verdicts=verdicts(facts, policy, today),
            flags=evaluate(facts, policy, today),
            parts=self._parts(facts),
            monthly=detail.monthly_completed(cache, code, year),
            orders=detail.orders(cache, code, year),
            order_count=detail.order_count(cache, code, year),
            calls=detail.calls(cache, code),
            tickets=detail.tickets(cache, code),
            today=today,
            year=year,
            specialist=detail.specialist(cache, unit["specialist_id"] or ""),
        )

    def _parts(self, facts: UnitFacts) -> list[PartProgress]:
        share = self.policy.pace_share(self.today)

        def part(label: str, reserved: int | None, completed: int) -> PartProgress:
            return PartProgress(label, reserved, completed, share_of(reserved or 0, share))

        return [
            part("食堂", facts.canteen_reserved, facts.completed_canteen),
            part("工会", facts.union_reserved, facts.completed_union),
            part("职工", None, facts.completed_staff),
            part("合计", facts.reserved_total, facts.completed_total),
        ]

    # -- sync ---------------------------------------------------------------------------

    def sync_status(self) -> SyncStatus:
        """What the header shows: the last successful sync and what waits to be pushed."""
        cache = self.reader  # read beside a running sync, which holds the main connection
        return SyncStatus(
            last_sync_at=cache.get_meta(sync_state.LAST_SYNC_KEY),
            pending=cache.outbox_count(),
            conflicts=len(sync_state.conflicted_ids(cache)),
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


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def decode_topics(value: str | None) -> list[str]:
    """A call's topics column (JSON text) as a list of codes."""
    try:
        topics = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(t) for t in topics] if isinstance(topics, list) else []


@dataclass(frozen=True, slots=True)
class SyncStatus:
    last_sync_at: str | None
    pending: int
    conflicts: int

    def line(self) -> str:
        when = beijing_minute(self.last_sync_at) or "从未"
        text = f"上次同步 {when} · 待推送 {self.pending}"
        return text + (f" · 冲突 {self.conflicts}" if self.conflicts else "")
