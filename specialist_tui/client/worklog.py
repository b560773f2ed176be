"""The work log: calls, tickets and follow-ups a specialist records, saved durably with an outbox.

Forms and shell commands both go through here, so they validate and queue exactly alike.
Every write returns only after SQLite has committed the item, its outbox row and the unit's
refreshed facts and flags in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from specialist_tui.client.cache import detail
from specialist_tui.client.cache import worklog_queries as q
from specialist_tui.client.cache.store import Row
from specialist_tui.client.service import Service
from specialist_tui.domain.enums import (
    CallDirection,
    CallOutcome,
    CallTopic,
    TicketCategory,
    TicketEventKind,
    TicketPriority,
    TicketStatus,
)
from specialist_tui.domain.identifiers import order_number_problem
from specialist_tui.domain.models import (
    BEIJING,
    Call,
    Contact,
    Ticket,
    TicketEvent,
    can_move,
    now_beijing,
)

Clock = Callable[[], datetime]
M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=StrEnum)

# Chinese names of the fields a user fills, for one-line error messages.
FIELD_LABELS = {
    "unit_code": "单位",
    "contact_name": "联系人",
    "contact_phone": "电话",
    "direction": "方向",
    "started_at": "通话时间",
    "duration_s": "时长",
    "topics": "话题",
    "outcome": "结果",
    "notes": "备注",
    "follow_up_on": "跟进日期",
    "follow_up_action": "跟进事项",
    "order_id": "订单",
    "category": "类别",
    "priority": "优先级",
    "status": "状态",
    "subject": "标题",
    "description": "描述",
    "comment": "备注",
    "ticket_id": "工单",
}

_ENUMS: dict[str, type[Any]] = {
    "direction": CallDirection,
    "topics": CallTopic,
    "outcome": CallOutcome,
    "category": TicketCategory,
    "priority": TicketPriority,
    "status": TicketStatus,
}


class WorklogError(ValueError):
    """Input a user can correct; ``errors`` maps each bad field to a Chinese message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(str(self))

    @property
    def field(self) -> str:
        return next(iter(self.errors))

    def __str__(self) -> str:
        name = self.field
        return f"{name}（{FIELD_LABELS.get(name, name)}）：{self.errors[name]}"


@dataclass(frozen=True, slots=True)
class FollowUps:
    """Promised follow-ups as of a day: past due, due that day, and due in the next 7 days."""

    today: date
    overdue: list[Row] = field(default_factory=list)
    due_today: list[Row] = field(default_factory=list)
    upcoming: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.upcoming)


@dataclass(frozen=True, slots=True)
class TicketView:
    """A ticket with its timeline, unit name and whether it still waits to be pushed."""

    ticket: Ticket
    unit_name: str
    pushed: bool
    events: list[Row]
    overdue: bool


class Worklog:
    """Calls, tickets and follow-ups of one user, on one Service, with an injectable clock."""

    def __init__(self, service: Service, clock: Clock = now_beijing) -> None:
        self.service = service
        self.clock = clock

    # -- context ------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current moment on the service's day (a demo pins its day; the time still runs)."""
        moment = self.clock().astimezone(BEIJING).replace(microsecond=0)
        today = self.service.today
        if moment.date() == today:
            return moment
        return datetime.combine(today, moment.timetz())

    @property
    def author(self) -> str:
        """The specialist recorded on calls and tickets: the setting, else the cache's user."""
        return self.service.settings.user or self.service.cache.get_meta("user_id") or ""

    def unit(self, code: str) -> Row:
        """The unit's stored row, or WorklogError naming unit_code."""
        row = self.service.cache.unit(code.strip().upper()) if code else None
        if row is None:
            raise WorklogError({"unit_code": f"缓存中没有这个单位：{code!r}"})
        return row

    def contacts(self, code: str) -> list[Contact]:
        """The unit's contacts; the first is the main one."""
        return [Contact.model_validate(c) for c in self.unit(code)["contacts"]]

    # -- calls --------------------------------------------------------------------------

    def log_call(
        self,
        unit_code: str,
        outcome: str,
        topics: Iterable[str] = (),
        *,
        direction: str = CallDirection.OUT,
        contact_name: str = "",
        contact_phone: str | None = None,
        started_at: datetime | None = None,
        duration_s: int = 0,
        notes: str = "",
        follow_up_on: date | str | None = None,
        follow_up_action: str = "",
    ) -> Call:
        """Validate and save a call with its outbox row; returns the saved call."""
        unit = self.unit(unit_code)
        if contact_name and not contact_phone:
            # A known contact named without a number: take the number from the unit.
            known = {c["name"]: c.get("phone") for c in unit["contacts"]}
            contact_phone = known.get(contact_name.strip())
        if follow_up_action.strip() and not follow_up_on:
            raise WorklogError({"follow_up_on": "填写了跟进事项，请给出跟进日期"})
        call = _validated(
            Call,
            {
                "unit_code": unit["code"],
                "contact_name": contact_name,
                "contact_phone": contact_phone or None,
                "direction": direction,
                "started_at": started_at or self.now(),
                "duration_s": duration_s,
                "topics": list(dict.fromkeys(topics)),
                "outcome": outcome,
                "notes": notes,
                "follow_up_on": follow_up_on or None,
                "follow_up_action": follow_up_action,
                "author": self.author,
            },
        )
        service = self.service
        service.cache.save_local("call", "calls", [call], service.policy, service.today)
        return call

    def calls(self, since: date | None = None, unit_code: str | None = None) -> list[Row]:
        code = self.unit(unit_code)["code"] if unit_code else None
        return q.calls(self.service.cache, since, code)

    def follow_ups(self, today: date | None = None) -> FollowUps:
        """Promised follow-ups, overdue first, up to 7 days after ``today``."""
        day = today or self.service.today
        result = FollowUps(day)
        for row in q.follow_ups(self.service.cache, day + timedelta(days=7)):
            on = date.fromisoformat(row["follow_up_on"])
            bucket = (
                result.overdue if on < day else result.due_today if on == day else result.upcoming
            )
            bucket.append(row)
        return result

    # -- tickets ------------------------------------------------------------------------

    def open_ticket(
        self,
        unit_code: str,
        category: str,
        subject: str,
        priority: str = TicketPriority.NORMAL,
        description: str = "",
        order_id: str | None = None,
    ) -> Ticket:
        """Validate and save a new ticket, due per the policy for its priority."""
        unit = self.unit(unit_code)
        order = (order_id or "").strip()
        problem = order_number_problem(order) if order else None
        if problem:
            raise WorklogError({"order_id": problem})
        now = self.now()
        fields: dict[str, Any] = {
            "unit_code": unit["code"],
            "order_id": order or None,
            "category": category,
            "priority": priority,
            "subject": subject,
            "description": description,
            "created_at": now,
            "updated_at": now,
            "author": self.author,
            "version": 1,
        }
        ticket = _validated(Ticket, fields)
        ticket.due_at = self.due_at(ticket.priority, now)
        event = TicketEvent(
            ticket_id=ticket.id,
            at=now,
            author=self.author,
            kind=TicketEventKind.CREATED,
            to_status=ticket.status,
        )
        self._save_ticket(ticket, event, base_version=0)
        return ticket

    def active_tickets(self, unit_code: str, category: str | None = None) -> list[Row]:
        """The unit's tickets still owed work (optionally of one category), soonest due first."""
        return [
            row
            for row in detail.tickets(self.service.cache, unit_code)
            if TicketStatus(row["status"]).is_active
            and (category is None or row["category"] == category)
        ]

    def due_at(self, priority: str, created_at: datetime) -> datetime:
        """When a ticket of this priority opened at ``created_at`` falls due, per the policy."""
        return created_at + self.service.policy.ticket_due(TicketPriority(priority))

    def change_ticket_status(self, ticket_id: str, to_status: str, comment: str = "") -> Ticket:
        """Move a ticket along its workflow, with an optional comment, as one event."""
        target = _validated_enum("status", TicketStatus, to_status)
        with self.service.cache.transaction():
            current = self._ticket(ticket_id)
            if target is current.status or not can_move(current.status, target):
                raise WorklogError(
                    {"status": f"不能从「{current.status.label}」改为「{target.label}」"}
                )
            return self._change_ticket(
                current,
                {
                    "kind": TicketEventKind.STATUS,
                    "from_status": current.status,
                    "to_status": target,
                    "comment": comment,
                },
                status=target,
            )

    def comment_ticket(self, ticket_id: str, comment: str) -> Ticket:
        """Add a comment to a ticket's timeline."""
        if not comment.strip():
            raise WorklogError({"comment": "备注不能为空"})
        with self.service.cache.transaction():
            current = self._ticket(ticket_id)
            return self._change_ticket(
                current, {"kind": TicketEventKind.COMMENT, "comment": comment}
            )

    def _change_ticket(
        self, current: Ticket, event_fields: dict[str, Any], **update: Any
    ) -> Ticket:
        """Save a change to a ticket (a new version) with the event that records it."""
        now = self.now()
        event_data = {"ticket_id": current.id, "at": now, "author": self.author, **event_fields}
        event = _validated(TicketEvent, event_data)
        changed = _changed(current, now, **update)
        self._save_ticket(changed, event, base_version=current.version)
        return changed

    def ticket(self, ticket_id: str) -> TicketView:
        """A ticket with its timeline, or WorklogError when the cache does not hold it."""
        row = q.ticket(self.service.cache, str(ticket_id))
        if row is None:
            raise WorklogError({"ticket_id": f"没有这个工单：{ticket_id}"})
        ticket = _ticket_model(row)
        return TicketView(
            ticket=ticket,
            unit_name=row["unit_name"] or "",
            pushed=row["pushed"],
            events=q.ticket_events(self.service.cache, str(ticket_id)),
            overdue=_overdue(ticket, self.now()),
        )

    def tickets_queue(self, status: str | None = None, category: str | None = None) -> list[Row]:
        """The queue, overdue first, then by due time and priority: the active tickets, those
        of one status, or every ticket when ``status`` is "all"."""
        statuses: list[str] | None
        if status == "all":
            statuses = None
        elif status:
            statuses = [_validated_enum("status", TicketStatus, status).value]
        else:
            statuses = [s.value for s in TicketStatus if s.is_active]
        if category:
            category = _validated_enum("category", TicketCategory, category).value
        return q.tickets(self.service.cache, self.now().isoformat(), statuses, category)

    def tickets(self, status: str | None = None) -> list[Row]:
        """Every ticket in the cache (or those of one status), in queue order."""
        statuses = [_validated_enum("status", TicketStatus, status).value] if status else None
        return q.tickets(self.service.cache, self.now().isoformat(), statuses)

    def _ticket(self, ticket_id: str) -> Ticket:
        row = q.ticket(self.service.cache, str(ticket_id))
        if row is None:
            raise WorklogError({"ticket_id": f"没有这个工单：{ticket_id}"})
        return _ticket_model(row)

    def _save_ticket(self, ticket: Ticket, event: TicketEvent, base_version: int) -> None:
        # The sync code sends base_version so the hub can tell a stale edit from a fresh one.
        service = self.service
        cache = service.cache
        with cache.transaction():
            cache.save_local(
                "ticket",
                "tickets",
                [ticket],
                service.policy,
                service.today,
                {"base_version": base_version},
            )
            cache.save_local(
                "ticket_event", "ticket_events", [event], service.policy, service.today
            )


def _changed(ticket: Ticket, now: datetime, **update: Any) -> Ticket:
    """A validated copy of the ticket with ``update`` applied, a new version and time."""
    data = ticket.model_dump()
    data.update(update, updated_at=now, version=ticket.version + 1)
    return _validated(Ticket, data)


def _ticket_model(row: Row) -> Ticket:
    data = {k: row[k] for k in Ticket.model_fields if k in row and k != "events"}
    return Ticket.model_validate(data)


def _overdue(ticket: Ticket, now: datetime) -> bool:
    return ticket.status.is_active and ticket.due_at is not None and ticket.due_at < now


def _validated(model: type[M], data: dict[str, Any]) -> M:
    """The model built from ``data``, or WorklogError with a Chinese message per bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "input"
            errors.setdefault(name, _message(name, error))
        raise WorklogError(errors) from None


def _validated_enum(name: str, enum: type[E], value: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise WorklogError({name: _expected(name)}) from None


def _expected(name: str) -> str:
    enum = _ENUMS.get(name)
    if enum is None:
        return "取值不正确"
    choices = "、".join(f"{m.value}（{m.label}）" for m in enum)
    return f"应为 {choices} 之一"


def _message(name: str, error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "enum":
        return _expected(name)
    if kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
        # The models prefix their messages with the field name; the caller shows it already.
        return text.split(" ", 1)[1] if text.startswith(name + " ") else text
    if kind in ("string_too_short", "missing"):
        return "不能为空"
    if kind == "string_too_long":
        return f"最多 {ctx.get('max_length')} 个字"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "超出允许范围"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "日期格式应为 YYYY-MM-DD"
    if kind.startswith("int"):
        return "应为整数"
    return str(error["msg"])
