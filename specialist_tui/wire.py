"""The hub's wire contract: request and response bodies built from the domain records.

Pure: no I/O. The hub publishes these through its generated OpenAPI document and the client
validates every page against them, so both sides share one definition.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from specialist_tui.domain.enums import Role
from specialist_tui.domain.models import (
    Call,
    Center,
    Event,
    EventAttendance,
    Filing,
    FollowUpDone,
    LetterMark,
    Order,
    Specialist,
    Ticket,
    TicketEvent,
    Unit,
)

API_PREFIX = "/api/v1"
# A page may hold at most this many changes; the client asks for less by default.
MAX_PAGE = 10_000
# A page's size when the client names none.
DEFAULT_PAGE = 5_000
# A push may carry at most this many items of each kind.
MAX_PUSH_ITEMS = 2_000


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Me(Wire):
    """Who a token belongs to, on which hub."""

    hub_id: str = Field(description="stable id of the hub's database")
    specialist_id: str
    name: str
    center_code: str
    center_name: str
    role: Role


class Op(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


# Each kind of record travels with its own change type so a page validates in one pass
# (a tagged union on ``kind``) instead of trying every record type in turn.
class _Change(Wire):
    # Declared here so every change lists its fields in the order ``page_json`` writes them.
    kind: str = Field(description="which record type `record` holds")
    key: str = Field(description="the record's key; a filing's is 'unit_code:year'")
    op: Op
    # A delete of a unit stands for the unit and everything of it (filings, orders, calls,
    # tickets): the hub sends it when a unit is deleted or no longer the caller's.


class CenterChange(_Change):
    kind: Literal["center"] = "center"
    record: Center | None = None


class SpecialistChange(_Change):
    kind: Literal["specialist"] = "specialist"
    record: Specialist | None = None


class UnitChange(_Change):
    kind: Literal["unit"] = "unit"
    record: Unit | None = None


class FilingChange(_Change):
    kind: Literal["filing"] = "filing"
    record: Filing | None = None


class OrderChange(_Change):
    kind: Literal["order"] = "order"
    record: Order | None = None


class CallChange(_Change):
    kind: Literal["call"] = "call"
    record: Call | None = None


class TicketChange(_Change):
    kind: Literal["ticket"] = "ticket"
    record: Ticket | None = None


class TicketEventChange(_Change):
    kind: Literal["ticket_event"] = "ticket_event"
    record: TicketEvent | None = None


class FollowUpDoneChange(_Change):
    kind: Literal["follow_up_done"] = "follow_up_done"
    record: FollowUpDone | None = Field(
        default=None, description="a call's promised follow-up marked done by the specialist"
    )


class EventChange(_Change):
    kind: Literal["event"] = "event"
    record: EventAttendance | None = Field(
        default=None, description="one unit's part in a seminar, training or visit"
    )


class LetterMarkChange(_Change):
    kind: Literal["letter_mark"] = "letter_mark"
    record: LetterMark | None = Field(
        default=None, description="a specialist moving a unit's no-canteen letter on"
    )


Change = Annotated[
    CenterChange
    | SpecialistChange
    | UnitChange
    | FilingChange
    | OrderChange
    | CallChange
    | TicketChange
    | TicketEventChange
    | EventChange
    | LetterMarkChange
    | FollowUpDoneChange,
    Field(discriminator="kind"),
]

# kind on the wire -> table in the client's cache (and in the hub's feed).
KIND_TABLES: dict[str, str] = {
    "center": "centers",
    "specialist": "specialists",
    "unit": "units",
    "filing": "filings",
    "order": "orders",
    "call": "calls",
    "ticket": "tickets",
    "ticket_event": "ticket_events",
    "event": "event_attendance",
    "letter_mark": "letter_marks",
    "follow_up_done": "follow_ups_done",
}


class ChangesPage(Wire):
    """One page of the change feed, oldest first.

    On the wire the cursor and ``has_more`` come first (see ``page_json``), so a client can start
    fetching the next page while this one is still being validated.
    """

    next_cursor: str = Field(description="pass as `since` to get the changes after this page")
    has_more: bool
    changes: list[Change]


# -- the change feed's bytes ---------------------------------------------------------------------
# The hub writes a page by splicing the records' stored JSON (it never decodes them), and the
# client reads the next cursor off a page's head to fetch ahead before it validates the page whole.
# Both go through the functions below, so the layout is written down here only; the page itself
# is still validated against ChangesPage, which accepts the same bytes.

_PAGE_HEAD = '{"next_cursor":'
_MORE_FOLLOW = ',"has_more":true'
# The head holds a cursor of a few dozen characters; anything longer is not a page we wrote.
_HEAD_LIMIT = 256
_DECODER = json.JSONDecoder()


# One change as the hub keeps it: kind, key, op, and the record's JSON (None for a delete).
FeedChange = tuple[str, str, str, str | None]


def _changes_json(changes: Iterable[FeedChange]) -> str:
    # One f-string per change in one join: the hub writes millions of these on a first sync.
    # encode_basestring is json's own C string encoder, writing UTF-8 text as pydantic does.
    return ",".join(
        f'{{"kind":"{kind}","key":{encode_basestring(key)},"op":"{op}","record":{body or "null"}}}'
        for kind, key, op, body in changes
    )


def page_json(changes: Iterable[FeedChange], next_cursor: str, has_more: bool) -> bytes:
    """A ChangesPage's bytes, cursor first, spliced from the records' stored JSON."""
    more = "true" if has_more else "false"
    return (
        f'{_PAGE_HEAD}{encode_basestring(next_cursor)},"has_more":{more},'
        f'"changes":[{_changes_json(changes)}]}}'
    ).encode()


def records_json(changes: Iterable[FeedChange]) -> bytes:
    """A UnitRecords' bytes, spliced from the records' stored JSON."""
    return f'{{"records":[{_changes_json(changes)}]}}'.encode()


def peek_next_cursor(page: bytes) -> str | None:
    """The cursor of the page after this one, read from the head ``page_json`` writes.

    None when the page says no more follow, or does not begin as ``page_json`` begins a page (the
    caller then waits for the validated page; nothing is lost but the head start).
    """
    head = page[:_HEAD_LIMIT].decode("utf-8", "ignore")
    if not head.startswith(_PAGE_HEAD):
        return None
    try:
        cursor, end = _DECODER.raw_decode(head, len(_PAGE_HEAD))
    except ValueError:
        return None
    if not isinstance(cursor, str) or not head.startswith(_MORE_FOLLOW, end):
        return None
    return cursor


def filing_key(unit_code: str, year: int) -> str:
    return f"{unit_code}:{year}"


class TicketUpdate(Wire):
    """A ticket created or changed on the client, with the hub version it started from."""

    ticket: Ticket
    base_version: int | None = Field(
        default=None, description="the hub's version the edit started from; None for a new ticket"
    )


class PushRequest(Wire):
    calls: Annotated[list[Call], Field(max_length=MAX_PUSH_ITEMS)] = []
    tickets: Annotated[list[TicketUpdate], Field(max_length=MAX_PUSH_ITEMS)] = []
    ticket_events: Annotated[list[TicketEvent], Field(max_length=MAX_PUSH_ITEMS)] = []
    events: Annotated[list[Event], Field(max_length=MAX_PUSH_ITEMS)] = []
    letter_marks: Annotated[list[LetterMark], Field(max_length=MAX_PUSH_ITEMS)] = []
    follow_ups_done: Annotated[list[FollowUpDone], Field(max_length=MAX_PUSH_ITEMS)] = []


class ItemStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # already stored: nothing changed, safe to forget locally
    CONFLICT = "conflict"  # a ticket changed on the hub since base_version; see `ticket`
    REJECTED = "rejected"  # not stored; `reason` says why


class ItemResult(Wire):
    kind: Literal["call", "ticket", "ticket_event", "event", "letter_mark", "follow_up_done"]
    id: uuid.UUID
    status: ItemStatus
    reason: str = ""
    ticket: Ticket | None = Field(
        default=None, description="the hub's ticket as stored (accepted) or current (conflict)"
    )


class PushResult(Wire):
    items: list[ItemResult]


class ErrorBody(Wire):
    """Every error answer: a one-line reason, and the offending fields for a 422."""

    detail: str
    fields: list[str] = []


class UnitRecords(Wire):
    """A unit and everything of it, as upserts, for reading one unit afresh."""

    records: list[Change]
