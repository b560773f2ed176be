"""The service layer: what screens and commands ask for, answered from the cache and the rules."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

from specialist_tui.client.cache import VIEWS, Cache, detail, recent_calls, sync_state
from specialist_tui.client.cache.records import record
from specialist_tui.client.cache.store import Progress
from specialist_tui.client.cache.stored import specialist_names, unit_names
from specialist_tui.client.cache.summary import summary
from specialist_tui.client.cache.views import sort_label, view
from specialist_tui.client.config import SavedView, Settings, write_saved_views
from specialist_tui.client.read_models import (
    Evaluation,
    GroupBy,
    HeaderInfo,
    HelpContacts,
    LastCall,
    LetterRow,
    PartProgress,
    SummaryRow,
    SyncStatus,
    TicketConflict,
    UnitDetail,
    UnitMatch,
    UnitRow,
    ViewInfo,
)
from specialist_tui.domain.divisions import Divisions
from specialist_tui.domain.enums import CanteenMode, UnionMode
from specialist_tui.domain.facts import UnitFacts
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.finance_office import finance_office_name
from specialist_tui.domain.models import Ticket, Unit
from specialist_tui.domain.money import share_of
from specialist_tui.domain.policy import Policy
from specialist_tui.domain.rules import RULES, evaluate, filing_state
from specialist_tui.domain.verdicts import verdicts
from specialist_tui.policies import load_divisions, load_policy

# A demo cache remembers the date its story is told on, so later runs see the same year.
DEMO_TODAY_KEY = "demo_today"


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
        return self.as_of_for(self.today)

    def as_of_for(self, day: date) -> date | None:
        until = self.cache.data_until()
        return day if until is not None and day < until else None

    def look_at(self, day: date | None) -> None:
        """Judge from now on as of ``day`` (None: today again); prepare() does the work."""
        self.settings.today = day

    def prepare(self, progress: Progress | None = None) -> Evaluation | None:
        """Bring facts and flags up to date for today's date and the policy (fast when nothing
        changed; seconds at 100k units when looking back to another day)."""
        return self.cache.ensure_current(self.policy, self.today, self.as_of, progress)

    def needs_preparing(self) -> bool:
        """True when flags were evaluated for another date or policy (prepare will take a while)."""
        return not self.cache.is_current(self.policy, self.today, self.as_of)

    def prepare_separately(
        self, progress: Progress | None = None, day: date | None = None
    ) -> Evaluation | None:
        """prepare() on a connection of its own, so readers of this cache are not held up;
        for ``day`` when given (the day chosen when the work was asked for), else today."""
        day = day or self.today
        with self.own_connection() as own:
            return own.ensure_current(self.policy, day, self.as_of_for(day), progress)

    @contextmanager
    def own_connection(self) -> Iterator[Cache]:
        """A connection of its own to this cache, for a long write (a sync) beside the screens."""
        own = Cache(self.cache.path)
        try:
            yield own
        finally:
            own.close()

    # -- the list -----------------------------------------------------------------------

    @staticmethod
    def views() -> list[ViewInfo]:
        """The built-in views of the units list, in tab order."""
        return [ViewInfo(v.name, v.label, v.default_sort) for v in VIEWS.values() if v.tab]

    @staticmethod
    def view(name: str) -> ViewInfo:
        """One built-in view; UnknownKey (its message lists the views) when there is none."""
        chosen = view(name)
        return ViewInfo(chosen.name, chosen.label, chosen.default_sort)

    @staticmethod
    def sort_label(sort: str) -> str:
        """A sort spec as the UI shows it: its Chinese label with ▲ (ascending) or ▼."""
        return sort_label(sort)

    @property
    def saved_views(self) -> list[SavedView]:
        return self.settings.saved_views

    @property
    def config_file(self) -> Path:
        """The config file saved views are written to."""
        return self.settings.file

    def save_views(self, views: list[SavedView]) -> Path:
        """Write the saved views to the config file (keeping the rest of it); returns its path.

        OSError or ValueError (the file is no longer valid TOML) when it cannot be written.
        """
        path = self.config_file
        write_saved_views(path, views)
        self.settings.saved_views = views
        return path

    def view_rows(
        self,
        view: str,
        text: str = "",
        sort: str | None = None,
        limit: int | None = None,
        rule: str | None = None,
    ) -> list[UnitRow]:
        """A view's rows in sort order; ``rule`` keeps the units it flags, before the limit."""
        return self.unit_rows(self.cache.view_codes(view, text, sort, limit, rule))

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

    def unit_rows(self, codes: Sequence[str]) -> list[UnitRow]:
        """List rows, with the filing's state as the 考评 reads it and the finance office."""
        return [
            replace(
                row,
                filing_state=filing_state(
                    row.filing_status, row.submitted_on, row.confirmed_on, self.policy
                ),
                finance_office_name=finance_office_name(row.finance_office, self.divisions),
            )
            for row in self.cache.unit_rows(codes, self.today)
        ]

    @cached_property
    def divisions(self) -> Divisions:
        return load_divisions(self.policy)

    def last_calls(self, codes: Sequence[str]) -> dict[str, LastCall]:
        """The latest call of each of these units (for the line under the list)."""
        return recent_calls.last_calls(self.cache, codes)

    def called_today(self) -> set[str]:
        """The units called on the service's day (marked in the list, skipped by n/N)."""
        return recent_calls.called_on(self.cache, self.today)

    def has_units(self) -> bool:
        return self.cache.has_rows("units")

    def find_units(self, text: str, limit: int = 20) -> list[UnitMatch]:
        """Units matching ``text`` (name, code, supervisor, area, pinyin), shortest name first."""
        return detail.find_units(self.reader, text, limit)

    def pace_share(self) -> float:
        """The share of its reservation a unit should have completed by today (R9's pace)."""
        return float(self.policy.pace_share(self.today))

    def header(self) -> HeaderInfo:
        cache = self.reader
        user = self.settings.user or cache.get_meta("user_id") or ""
        person = detail.specialist(cache, user) if user else None
        upcoming = self.policy.deadlines_after(self.today)
        return HeaderInfo(
            specialist=(person.name if person else "") or user or "未登录专员",
            center=person.center_name if person else "",
            refreshed_at=cache.get_meta("refreshed_at"),
            today=self.today,
            deadline=upcoming[0] if upcoming else None,
            sync=self.sync_status() if self.settings.hub_url else None,
        )

    def help_contacts(self) -> HelpContacts:
        """The user's center's specialists and the policy's supervision hotline, for help."""
        cache = self.reader
        user = self.settings.user or cache.get_meta("user_id") or ""
        center, rows = detail.center_contacts(cache, user) if user else ("", [])
        people = [(r["name"], r["phone"] or "", r["role"] == "lead") for r in rows]
        return HelpContacts(center, people, list(self.policy.platform.supervision_hotline))

    # -- one unit -----------------------------------------------------------------------

    def unit_detail(self, code: str) -> UnitDetail | None:
        """The unit, its filings, rule verdicts, progress, orders, calls and tickets."""
        # The screen's own connection: these are indexed lookups of one unit, read on the
        # UI thread, and must not wait behind a long list query on the reader.
        cache, policy, today = self.cache, self.policy, self.today
        unit = detail.unit(cache, code)
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
            verdicts=tuple(verdicts(facts, policy, today)),
            flags=tuple(evaluate(facts, policy, today)),
            parts=self._parts(facts),
            monthly=detail.monthly_completed(cache, code, year),
            orders=tuple(detail.orders(cache, code, year)),
            order_count=detail.order_count(cache, code, year),
            calls=tuple(detail.calls(cache, code)),
            tickets=tuple(detail.tickets(cache, code)),
            today=today,
            year=year,
            specialist=detail.specialist(cache, unit.specialist_id or ""),
            events=tuple(detail.events(cache, code)),
        )

    def letter_units(self, view: str = "all", text: str = "") -> tuple[list[UnitRow], int]:
        """The units of a view that send a no-canteen letter, by name, and the view's size.

        Read as codes first: a view of 100k units holds a few hundred that need a letter.
        """
        codes = self.view_codes(view, text, "name")
        needing = detail.letter_codes(self.reader)
        return self.unit_rows([c for c in codes if c in needing]), len(codes)

    def letters(self, view: str = "all", text: str = "") -> list[LetterRow]:
        """The units of a view that need a no-canteen letter, by name, with its state."""
        policy, today = self.policy, self.today
        out = []
        for row in self.letter_units(view, text)[0]:
            facts = self.cache.unit_facts(row.code)
            if facts is None:
                continue
            flag = RULES["R6"].check(facts, policy, today)
            out.append(
                LetterRow(
                    code=row.code,
                    name=row.name,
                    supervisor=row.supervisor,
                    platform=facts.no_canteen_letter,
                    state=facts.letter,
                    marked_on=facts.letter_marked_on if facts.letter_from_mark else None,
                    reason=flag.reason if flag else "",
                )
            )
        return out

    def unit(self, code: str) -> Unit | None:
        """The unit as stored (on the screen's connection: one indexed lookup)."""
        return detail.unit(self.cache, code)

    def _parts(self, facts: UnitFacts) -> tuple[PartProgress, ...]:
        share = self.policy.pace_share(self.today)

        def part(
            label: str, reserved: int | None, completed: int, why_none: str = "未预留"
        ) -> PartProgress:
            expected = share_of(reserved or 0, share)
            return PartProgress(label, reserved, completed, expected, why_none)

        return (
            part(
                "食堂", facts.canteen_reserved, facts.completed_canteen, no_canteen_reserved(facts)
            ),
            part("工会", facts.union_reserved, facts.completed_union, no_union_reserved(facts)),
            part("职工", None, facts.completed_staff),
            part("合计", facts.reserved_total, facts.completed_total),
        )

    # -- the center summary and lists ---------------------------------------------------

    def summary(self, by: GroupBy) -> list[SummaryRow]:
        """One row per area code or supervisor, from the units' current facts."""
        return summary(self.cache, by)

    def specialist_names(self) -> dict[str, str]:
        """Specialist id -> name, for lists that show who looks after a unit."""
        return specialist_names(self.cache)

    def unit_names(self, codes: Sequence[str]) -> dict[str, str]:
        """Unit code -> name for these codes (codes not in the cache are left out)."""
        return unit_names(self.cache, codes)

    # -- sync ---------------------------------------------------------------------------

    def sync_status(self) -> SyncStatus:
        """What the header shows: the last successful sync and what waits to be pushed."""
        cache = self.reader  # read beside a running sync, which holds the main connection
        return SyncStatus(
            last_sync_at=cache.get_meta(sync_state.LAST_SYNC_KEY),
            pending=cache.outbox_count(),
            conflicts=len(sync_state.conflicted_ids(cache)),
        )

    def unpushed(self) -> int:
        """Calls, tickets and ticket changes saved here that the hub has not accepted yet."""
        return self.cache.outbox_count()

    def ticket_conflicts(self) -> list[TicketConflict]:
        """Tickets changed both here and on the hub, each with the hub's version."""
        return [
            TicketConflict(str(c["ticket_id"]), record(Ticket, c["hub_ticket"]))
            for c in sync_state.conflicts(self.cache)
        ]

    def resolve_conflict(self, ticket_id: str, keep: Literal["mine", "theirs"]) -> None:
        """Keep our version (pushed again on the next sync) or take the hub's."""
        if keep == "mine":
            sync_state.keep_mine(self.cache, ticket_id)
        else:
            sync_state.take_theirs(self.cache, ticket_id, self.policy, self.today)


def no_canteen_reserved(facts: UnitFacts) -> str:
    """Why a unit's canteen part may have nothing reserved: said instead of 未预留 when the
    filing explains it."""
    if facts.canteen_mode is CanteenMode.NONE:
        return "无食堂"
    if facts.canteen_mode is CanteenMode.SHARED and facts.representative_code not in (
        None,
        facts.code,
    ):
        return "由代表单位统一预留"
    return "未预留"


def no_union_reserved(facts: UnitFacts) -> str:
    """Why a unit's union part may have nothing reserved."""
    return "无独立工会经费" if facts.union_mode is UnionMode.NONE else "未预留"
