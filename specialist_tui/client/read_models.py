"""The typed read models the service door hands out: frozen, plain data, no SQL column names.

The cache builds them from its rows, the service and the work log return them, screens and
commands read their attributes. Money is integer fen; days are dates; codes are enums.

About 440 lines: every shape the door hands out, side by side, so a reader sees the whole
boundary between the screens and the data in one place; each class is small and plain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from specialist_tui.domain.clock import beijing_minute
from specialist_tui.domain.enums import (
    CallOutcome,
    CanteenMode,
    ContactRole,
    FilingStatus,
    LetterStatus,
    Level,
    UnionMode,
)
from specialist_tui.domain.facts import Flag, UnitFacts
from specialist_tui.domain.letters import needs_no_canteen_letter
from specialist_tui.domain.models import (
    Call,
    EventAttendance,
    Filing,
    Order,
    Ticket,
    TicketEvent,
    Unit,
)
from specialist_tui.domain.verdicts import Verdict

_ROLES = {m.value: m for m in ContactRole}


def decode_contacts(text: str | None) -> tuple[UnitContact, ...]:
    """A unit's contacts as stored (JSON text of {name, role, phone} objects)."""
    return tuple(
        UnitContact(c["name"], _ROLES.get(c.get("role", "")), c["phone"])
        for c in json.loads(text or "[]")
    )


# -- the units list -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitContact:
    """A unit's contact as listed (the domain's Contact validates; 100k units' worth takes 1 s)."""

    name: str
    role: ContactRole | None
    phone: str

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "role": self.role, "phone": self.phone}


@dataclass(frozen=True, slots=True)
class UnitRef:
    """What the call and ticket forms need of a unit: who it is and whom to call."""

    code: str
    name: str
    contacts: tuple[UnitContact, ...]

    @classmethod
    def of_unit(cls, unit: Unit) -> UnitRef:
        contacts = tuple(UnitContact(c.name, c.role, c.phone) for c in unit.contacts)
        return cls(unit.code, unit.name, contacts)


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One line of the units list: the unit, this year's filing and spend, flags and score.

    The fields are in the order `specialist-tui units --format json` prints them.
    """

    code: str
    name: str
    supervisor: str
    supervisor_code: str | None
    level: Level
    division_code: str
    area_code: str
    specialist_id: str | None
    contacts_json: str = field(repr=False)  # see ``contacts``
    staff_count: int
    finance_office: str  # the division whose finance department confirms the filing
    filing_status: FilingStatus
    submitted_on: date | None
    confirmed_on: date | None
    canteen_mode: CanteenMode | None
    representative_code: str | None  # a shared canteen's representative unit
    canteen_total_fen: int
    canteen_reserved_fen: int
    union_mode: UnionMode | None
    union_total_fen: int
    union_reserved_fen: int
    reserved_fen: int
    completed_canteen_fen: int
    completed_union_fen: int
    completed_staff_fen: int
    completed_fen: int
    unpaid_count: int
    unpaid_fen: int
    unpaid_oldest_days: int | None
    open_count: int
    last_call_at: str | None  # ISO moment of the latest call, as the hub and forms wrote it
    next_follow_up: date | None
    active_tickets: int
    flag_mask: int  # the rules' bits and the lateness bits, as views filter on them
    trained: bool  # a seminar or training of the year reached it (or a call about training)
    score: int
    due_on: date | None
    flags: tuple[Flag, ...]
    # Filled by the service, which knows the policy and the division names.
    filing_state: str = ""  # the filing's status as the 考评 reads it, lateness included
    finance_office_name: str = ""

    @property
    def contacts(self) -> tuple[UnitContact, ...]:
        """The unit's contacts, the main one first.

        Decoded when asked: the list draws rows by the thousand and never shows contacts
        (decoding them all made a page of rows a third slower).
        """
        return decode_contacts(self.contacts_json)

    @property
    def ref(self) -> UnitRef:
        return UnitRef(self.code, self.name, self.contacts)

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data for scripts: codes as text, dates ISO, flags as objects."""
        data = {
            "contacts" if f.name == "contacts_json" else f.name: getattr(self, f.name)
            for f in fields(self)
        }
        data["contacts"] = [c.as_dict() for c in self.contacts]
        data["submitted_on"] = _iso(self.submitted_on)
        data["confirmed_on"] = _iso(self.confirmed_on)
        data["next_follow_up"] = _iso(self.next_follow_up)
        data["due_on"] = _iso(self.due_on)
        data["flags"] = [f.as_dict() for f in self.flags]
        return data


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """A named view of the units list as the UI shows it: its tab title and default sort."""

    name: str
    label: str
    default_sort: str


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """A unit found by name, code or pinyin (the command palette's 转到单位)."""

    code: str
    name: str
    supervisor_name: str


# -- one unit -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartProgress:
    """Reserved against completed spend for one part of a unit's purchasing."""

    label: str
    reserved: int | None  # None: this part has no reservation of its own
    completed: int
    expected: int  # what the year's pace asks to be completed by today
    why_none: str = "未预留"  # said instead of a bar when nothing is reserved


@dataclass(frozen=True, slots=True)
class SpecialistInfo:
    """A specialist with the name of their center."""

    id: str
    name: str
    center_name: str


@dataclass(frozen=True, slots=True)
class UnitDetail:
    """Everything the unit screen shows about one unit."""

    unit: Unit
    facts: UnitFacts
    filing: Filing | None
    last_filing: Filing | None
    verdicts: tuple[Verdict, ...]
    flags: tuple[Flag, ...]
    parts: tuple[PartProgress, ...]
    monthly: tuple[int, ...]  # completed fen per month, January first
    orders: tuple[Order, ...]
    order_count: int
    calls: tuple[Call, ...]
    tickets: tuple[Ticket, ...]
    today: date
    year: int
    specialist: SpecialistInfo | None = None
    events: tuple[EventAttendance, ...] = ()  # seminars, trainings and visits attended

    @property
    def needs_letter(self) -> bool:
        """Whether the unit sends a no-canteen letter (provincial level, no canteen)."""
        return needs_no_canteen_letter(self.unit.level, self.facts.canteen_mode)


@dataclass(frozen=True, slots=True)
class LetterRow:
    """A unit that needs a no-canteen letter, and where its letter stands."""

    code: str
    name: str
    supervisor: str
    platform: LetterStatus  # what the platform's import says
    state: LetterStatus  # the platform's word and the specialist's marks combined
    marked_on: date | None  # the day of the specialist's mark, when the state is that mark
    reason: str  # R6's sentence ("" when the letter is verified)


@dataclass(frozen=True, slots=True)
class HelpContacts:
    """Whom a specialist's units can call: their center's specialists and the platform's
    supervision hotline (from the policy)."""

    center: str
    specialists: list[tuple[str, str, bool]]  # name, phone, is the center's lead
    hotline: list[str]

    def lines(self) -> list[str]:
        out = []
        if self.specialists:
            people = "、".join(
                f"{name}{'（负责人）' if lead else ''} {phone}".strip()
                for name, phone, lead in self.specialists
            )
            out.append(f"{self.center or '服务中心'}：{people}")
        if self.hotline:
            out.append(f"“832平台”监督电话：{'，'.join(self.hotline)}")
        return out


# -- the app ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A re-run of the rules over every unit: how many, how many changed, in how long."""

    units: int
    changed: int
    seconds: float


# -- the header -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncStatus:
    last_sync_at: str | None
    pending: int
    conflicts: int

    def line(self) -> str:
        when = beijing_minute(self.last_sync_at) or "从未"
        text = f"上次同步 {when} · 待推送 {self.pending}"
        return text + (f" · 冲突 {self.conflicts}" if self.conflicts else "")


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


# -- the work log ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoggedCall:
    """A call in the cache, with its unit's name and whether the hub has it yet."""

    call: Call
    unit_name: str | None  # None: the unit is no longer in the cache
    pushed: bool

    def as_dict(self) -> dict[str, Any]:
        """The call as JSON-ready data for scripts, with the unit's name and ``pushed``."""
        return {
            **self.call.model_dump(mode="json"),
            "unit_name": self.unit_name,
            "pushed": self.pushed,
        }


@dataclass(frozen=True, slots=True)
class LastCall:
    """A unit's latest call as the line under the list tells it."""

    started_at: str  # ISO moment, as stored
    outcome: CallOutcome
    notes: str


@dataclass(frozen=True, slots=True)
class TicketRow:
    """A ticket in the queue: its unit's name, whether it is past due, whether it is pushed."""

    ticket: Ticket
    unit_name: str | None  # None: the unit is no longer in the cache
    overdue: bool
    pushed: bool

    def as_dict(self) -> dict[str, Any]:
        """The ticket as JSON-ready data for scripts, with its unit's name, overdue, pushed."""
        data = self.ticket.model_dump(mode="json", exclude={"events"})
        return {**data, "unit_name": self.unit_name, "overdue": self.overdue, "pushed": self.pushed}


@dataclass(frozen=True, slots=True)
class TicketView:
    """A ticket with its timeline, unit name and whether it still waits to be pushed."""

    ticket: Ticket
    unit_name: str
    pushed: bool
    events: tuple[TicketEvent, ...]
    overdue: bool


@dataclass(frozen=True, slots=True)
class TicketConflict:
    """A ticket changed both here and on the hub: the hub's version beside ours."""

    ticket_id: str
    theirs: Ticket


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A unit whose latest call promised a follow-up, with that call's action and contact."""

    code: str
    name: str
    contacts: tuple[UnitContact, ...]
    follow_up_on: date
    follow_up_action: str
    contact_name: str
    contact_phone: str | None
    outcome: CallOutcome | None
    call_id: str | None = None  # the call that made the promise (what "done" marks)
    open_promises: int = 1

    @property
    def ref(self) -> UnitRef:
        return UnitRef(self.code, self.name, self.contacts)


@dataclass(frozen=True, slots=True)
class FollowUps:
    """Promised follow-ups as of a day: past due, due that day, and due in the next 7 days."""

    today: date
    overdue: tuple[FollowUp, ...] = ()
    due_today: tuple[FollowUp, ...] = ()
    upcoming: tuple[FollowUp, ...] = ()


# -- the center summary ---------------------------------------------------------------------


GroupBy = Literal["area", "supervisor"]


@dataclass(frozen=True, slots=True)
class SummaryRow:
    key: str  # the area code or the supervisor's credit code ("" = units without an area code)
    name: str
    units: int
    filed: int
    reserved_fen: int
    completed_fen: int
    unpaid_count: int
    unpaid_fen: int
    reserved_not_bought: int  # reserved something, no completed order yet
    not_filed: int
    trained: int = 0  # reached by a seminar or training this year

    @property
    def trained_share(self) -> Fraction | None:
        return Fraction(self.trained, self.units) if self.units else None

    @property
    def filed_share(self) -> Fraction | None:
        return Fraction(self.filed, self.units) if self.units else None

    @property
    def completion_rate(self) -> Fraction | None:
        return Fraction(self.completed_fen, self.reserved_fen) if self.reserved_fen else None


def total(rows: list[SummaryRow], name: str = "合计") -> SummaryRow:
    """The sum of summary rows, as one more row."""
    sums = {
        f.name: sum(getattr(row, f.name) for row in rows)
        for f in fields(SummaryRow)
        if f.name not in ("key", "name")
    }
    return SummaryRow(key="", name=name, **sums)
