"""The domain records, shared by the client, the hub and the wire (pydantic v2).

Money is integer fen. Times are aware datetimes; a naive one is taken as Beijing time. The
field types and their bounds live in fields.py. About 420 lines: these records are the wire
contract, and one file lets hub and client authors read every record and its checks together.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from specialist_tui.domain.enums import (
    CallDirection,
    CallOutcome,
    CallTopic,
    CanteenMode,
    ContactRole,
    EventKind,
    FilingStatus,
    LetterStatus,
    Level,
    OrderPart,
    OrderStatus,
    Role,
    TicketCategory,
    TicketEventKind,
    TicketPriority,
    TicketStatus,
    UnionMode,
)
from specialist_tui.domain.fields import (
    MAX_AREA_CODES,
    MAX_CALL_SECONDS,
    MAX_CONTACTS,
    MAX_STAFF,
    MAX_TICKET_EVENTS,
    MAX_VERSION,
    Action,
    Code,
    CreditCode,
    Day,
    Description,
    DivisionCode,
    Explanation,
    Fen,
    Ident,
    Line,
    Moment,
    Name,
    Note,
    Phone,
)


class Record(BaseModel):
    """Base of every domain record: strict about unknown fields, trims text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class Center(Record):
    code: Annotated[Code, Field(min_length=1)]
    name: Name
    area_codes: Annotated[list[Code], Field(max_length=MAX_AREA_CODES)] = Field(
        default_factory=list
    )


class Specialist(Record):
    id: Annotated[Ident, Field(min_length=1)]
    name: Name
    phone: Phone | None = None
    center_code: Code
    role: Role = Role.SPECIALIST


class Contact(Record):
    name: Name
    role: ContactRole
    phone: Phone


class Unit(Record):
    code: CreditCode
    name: Name
    supervisor_code: CreditCode | None = None
    supervisor_name: Line = ""
    level: Level
    division_code: DivisionCode
    area_code: Code = ""
    specialist_id: Ident | None = None
    contacts: Annotated[list[Contact], Field(max_length=MAX_CONTACTS)] = Field(default_factory=list)
    staff_count: Annotated[int, Field(ge=0, le=MAX_STAFF)] = 0


class Filing(Record):
    unit_code: CreditCode
    year: Annotated[int, Field(ge=2019, le=2100)]
    status: FilingStatus = FilingStatus.NOT_STARTED
    canteen_mode: CanteenMode | None = None
    union_mode: UnionMode | None = None
    submitted_at: Moment | None = None
    confirmed_at: Moment | None = None
    canteen_total: Fen = 0
    canteen_reserved: Fen = 0
    contractor: Line = ""
    contract_clause: bool = False
    executor: Line = ""
    executor_account_opened: bool = False
    representative_code: CreditCode | None = None
    no_canteen_letter: LetterStatus = LetterStatus.NOT_REQUIRED
    union_total: Fen = 0
    union_reserved: Fen = 0
    decline_explained: bool = False
    decline_explanation: Explanation = ""

    @field_validator("canteen_reserved")
    @classmethod
    def _canteen_reserved_within_total(cls, value: int, info: ValidationInfo) -> int:
        total = info.data.get("canteen_total")
        if total is not None and value > total:
            raise ValueError("canteen_reserved 预留金额不能大于年度食堂食材采购总额 canteen_total")
        return value

    @field_validator("union_reserved")
    @classmethod
    def _union_reserved_within_total(cls, value: int, info: ValidationInfo) -> int:
        total = info.data.get("union_total")
        if total is not None and value > total:
            raise ValueError("union_reserved 工会预留金额不能大于工会采购总额 union_total")
        return value

    @field_validator("confirmed_at")
    @classmethod
    def _confirmed_after_submitted(
        cls, value: datetime | None, info: ValidationInfo
    ) -> datetime | None:
        submitted = info.data.get("submitted_at")
        if value is not None and submitted is not None and value < submitted:
            raise ValueError("confirmed_at 确认时间早于提交时间 submitted_at")
        return value


class Order(Record):
    id: Annotated[Ident, Field(min_length=1)]
    unit_code: CreditCode
    year: Annotated[int, Field(ge=2019, le=2100)]
    placed_at: Moment
    amount: Fen
    part: OrderPart = OrderPart.CANTEEN
    area_code: Code = ""
    status: OrderStatus
    paid_at: Moment | None = None
    received_at: Moment | None = None
    completed_at: Moment | None = None

    @field_validator("paid_at", "received_at", "completed_at")
    @classmethod
    def _not_before_placed(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        placed = info.data.get("placed_at")
        if value is not None and placed is not None and value < placed:
            raise ValueError(f"{info.field_name} 早于下单时间 placed_at")
        return value


class Call(Record):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    unit_code: CreditCode
    contact_name: Line = ""
    contact_phone: Phone | None = None
    direction: CallDirection = CallDirection.OUT
    started_at: Moment
    ended_at: Moment | None = None
    duration_s: Annotated[int, Field(ge=0, le=MAX_CALL_SECONDS)] = 0
    topics: Annotated[list[CallTopic], Field(max_length=len(CallTopic))] = Field(
        default_factory=list
    )
    outcome: CallOutcome
    notes: Note = ""
    follow_up_on: Day | None = None
    follow_up_action: Action = ""
    author: Ident = ""

    @field_validator("ended_at")
    @classmethod
    def _ends_after_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        started = info.data.get("started_at")
        if value is not None and started is not None and value < started:
            raise ValueError("ended_at 结束时间早于开始时间 started_at")
        return value

    @field_validator("follow_up_on")
    @classmethod
    def _follow_up_not_before_call(cls, value: date | None, info: ValidationInfo) -> date | None:
        started = info.data.get("started_at")
        if value is not None and started is not None and value < started.date():
            raise ValueError("follow_up_on 跟进日期早于通话日期")
        return value

    @model_validator(mode="after")
    def _duration_from_end(self) -> Self:
        if self.ended_at is not None and not self.duration_s:
            # The derived duration obeys the same bound as a given one: a record the hub takes
            # must be one every client takes.
            seconds = int((self.ended_at - self.started_at).total_seconds())
            if seconds > MAX_CALL_SECONDS:
                raise ValueError("ended_at 通话时长超过 24 小时")
            self.duration_s = seconds
        return self


class FollowUpDone(Record):
    """A specialist marking a call's promised follow-up done, without a call that settles it.

    A record of its own, not an edit of the call: a call stays as it was logged, and the mark
    has its own author and time, so as of a day before ``at`` the promise is still open.
    """

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    call_id: uuid.UUID
    unit_code: CreditCode
    at: Moment
    author: Ident = ""


class TicketEvent(Record):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    ticket_id: uuid.UUID
    at: Moment
    author: Ident = ""
    kind: TicketEventKind
    from_status: TicketStatus | None = None
    to_status: TicketStatus | None = None
    comment: Note = ""

    @model_validator(mode="after")
    def _status_change_names_target(self) -> Self:
        if self.kind is TicketEventKind.STATUS and self.to_status is None:
            raise ValueError("to_status 状态变更必须给出新状态")
        return self


class Ticket(Record):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    unit_code: CreditCode
    order_id: Ident | None = None
    category: TicketCategory
    priority: TicketPriority = TicketPriority.NORMAL
    status: TicketStatus = TicketStatus.OPEN
    subject: Name
    description: Description = ""
    created_at: Moment
    updated_at: Moment | None = None
    due_at: Moment | None = None
    author: Ident = ""
    version: Annotated[int, Field(ge=1, le=MAX_VERSION)] = 1
    events: Annotated[list[TicketEvent], Field(max_length=MAX_TICKET_EVENTS)] = Field(
        default_factory=list
    )

    @field_validator("due_at")
    @classmethod
    def _due_after_created(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        created = info.data.get("created_at")
        if value is not None and created is not None and value < created:
            raise ValueError("due_at 截止时间早于创建时间 created_at")
        return value


class Attendance(Record):
    """One unit at an event, and how many of its people came."""

    unit_code: CreditCode
    people: Annotated[int, Field(ge=0, le=10_000)] = 0


class Event(Record):
    """A seminar, training or visit held once for many units (notice 二(一)).

    It travels to the hub whole, and comes back split by unit (EventAttendance), so each
    specialist sees only their own units' part of an event, as with calls.
    """

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    kind: EventKind
    starts_at: Moment
    ends_at: Moment | None = None
    place: Annotated[str, Field(max_length=200)] = ""
    online_link: Annotated[str, Field(max_length=500)] = ""
    topic: Annotated[str, Field(min_length=1, max_length=200)]
    specialists: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list
    )
    attendees: Annotated[list[Attendance], Field(min_length=1, max_length=5_000)]
    notes: Annotated[str, Field(max_length=4000)] = ""
    follow_up: Annotated[str, Field(max_length=500)] = ""
    author: str = ""

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        started = info.data.get("starts_at")
        if value is not None and started is not None and value < started:
            raise ValueError("ends_at 结束时间早于开始时间 starts_at")
        return value

    @field_validator("attendees")
    @classmethod
    def _each_unit_once(cls, value: list[Attendance]) -> list[Attendance]:
        seen: set[str] = set()
        for attendance in value:
            if attendance.unit_code in seen:
                raise ValueError(f"attendees 单位重复：{attendance.unit_code}")
            seen.add(attendance.unit_code)
        return value

    def parts(self) -> list[EventAttendance]:
        """The event split by unit: what the hub stores and each unit's screen shows."""
        head = self.model_dump(exclude={"id", "attendees"})
        return [
            EventAttendance(
                id=event_attendance_key(self.id, a.unit_code),
                event_id=self.id,
                unit_code=a.unit_code,
                people=a.people,
                **head,
            )
            for a in self.attendees
        ]


class EventAttendance(Record):
    """One unit's part in an event: the event's details and that unit's attendance."""

    id: str  # event_attendance_key(event_id, unit_code)
    event_id: uuid.UUID
    unit_code: CreditCode
    kind: EventKind
    starts_at: Moment
    ends_at: Moment | None = None
    place: str = ""
    online_link: str = ""
    topic: Annotated[str, Field(min_length=1, max_length=200)]
    specialists: list[str] = Field(default_factory=list)
    people: Annotated[int, Field(ge=0, le=10_000)] = 0
    notes: str = ""
    follow_up: str = ""
    author: str = ""

    @model_validator(mode="after")
    def _key_names_event_and_unit(self) -> Self:
        if self.id != event_attendance_key(self.event_id, self.unit_code):
            raise ValueError("id 应为 event_id:unit_code")
        return self


def event_attendance_key(event_id: uuid.UUID, unit_code: str) -> str:
    return f"{event_id}:{unit_code}"


# The states a specialist can mark a no-canteen letter with (missing is where it starts).
MARKABLE_LETTER_STATES = (
    LetterStatus.SENT,
    LetterStatus.STAMPED,
    LetterStatus.VERIFIED,
    LetterStatus.REJECTED,
)


class LetterMark(Record):
    """A specialist moving a unit's no-canteen letter on (寄送, 盖章, 核实, 退回) for a year.

    ``seen`` is the platform's status the specialist had in front of them: the mark stands
    until the platform reports something else (see domain.letter_state).
    """

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    unit_code: CreditCode
    year: Annotated[int, Field(ge=2019, le=2100)]
    state: LetterStatus
    seen: LetterStatus = LetterStatus.MISSING
    at: Moment
    note: Line = ""
    author: Ident = ""

    @field_validator("state")
    @classmethod
    def _markable(cls, value: LetterStatus) -> LetterStatus:
        if value not in MARKABLE_LETTER_STATES:
            choices = "、".join(s.label for s in MARKABLE_LETTER_STATES)
            raise ValueError(f"state 承诺函只能标记为：{choices}")
        return value


# Which status a ticket may move to from each status; reopening goes back to open.
TICKET_TRANSITIONS: dict[TicketStatus, tuple[TicketStatus, ...]] = {
    TicketStatus.OPEN: (TicketStatus.IN_PROGRESS, TicketStatus.WAITING, TicketStatus.RESOLVED),
    TicketStatus.IN_PROGRESS: (TicketStatus.WAITING, TicketStatus.RESOLVED, TicketStatus.OPEN),
    TicketStatus.WAITING: (TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, TicketStatus.OPEN),
    TicketStatus.RESOLVED: (TicketStatus.CLOSED, TicketStatus.OPEN),
    TicketStatus.CLOSED: (TicketStatus.OPEN,),
}


def can_move(current: TicketStatus, target: TicketStatus) -> bool:
    return target in TICKET_TRANSITIONS[current]
