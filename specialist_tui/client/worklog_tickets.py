"""The work log's tickets: open one, move it along its workflow, comment, list the queue.

Worklog inherits these; they use its context (the clock on the service's day, the author, the
unit lookup) and save each change with its timeline event and outbox rows in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from specialist_tui.client.cache import detail
from specialist_tui.client.cache import worklog_queries as q
from specialist_tui.client.read_models import TicketRow, TicketView, UnitRef
from specialist_tui.client.service import Service
from specialist_tui.client.worklog_input import WorklogError, validated, validated_enum
from specialist_tui.domain.enums import (
    TicketCategory,
    TicketEventKind,
    TicketPriority,
    TicketStatus,
)
from specialist_tui.domain.identifiers import order_number_problem
from specialist_tui.domain.models import Ticket, TicketEvent, can_move


class TicketWork:
    """The ticket half of the work log; Worklog supplies the context below."""

    service: Service

    def now(self) -> datetime:
        raise NotImplementedError

    @property
    def author(self) -> str:
        raise NotImplementedError

    def unit(self, code: str) -> UnitRef:
        raise NotImplementedError

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
            "unit_code": unit.code,
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
        ticket = validated(Ticket, fields)
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

    def active_tickets(self, unit_code: str, category: str | None = None) -> list[Ticket]:
        """The unit's tickets still owed work (optionally of one category), soonest due first."""
        return [
            ticket
            for ticket in detail.tickets(self.service.cache, unit_code)
            if ticket.status.is_active and (category is None or ticket.category == category)
        ]

    def due_at(self, priority: str, created_at: datetime) -> datetime:
        """When a ticket of this priority opened at ``created_at`` falls due, per the policy."""
        return created_at + self.service.policy.ticket_due(TicketPriority(priority))

    def change_ticket_status(self, ticket_id: str, to_status: str, comment: str = "") -> Ticket:
        """Move a ticket along its workflow, with an optional comment, as one event."""
        target = validated_enum("status", TicketStatus, to_status)
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
        event = validated(TicketEvent, event_data)
        changed = _changed(current, now, **update)
        self._save_ticket(changed, event, base_version=current.version)
        return changed

    def ticket(self, ticket_id: str) -> TicketView:
        """A ticket with its timeline, or WorklogError when the cache does not hold it."""
        row = self._ticket_row(ticket_id)
        ticket = row.ticket
        return TicketView(
            ticket=ticket,
            unit_name=row.unit_name or "",
            pushed=row.pushed,
            events=tuple(q.ticket_events(self.service.cache, str(ticket_id))),
            overdue=_overdue(ticket, self.now()),
        )

    def tickets_queue(
        self, status: str | None = None, category: str | None = None
    ) -> list[TicketRow]:
        """The queue, overdue first, then by due time and priority: the active tickets, those
        of one status, or every ticket when ``status`` is "all"."""
        statuses: list[str] | None
        if status == "all":
            statuses = None
        elif status:
            statuses = [validated_enum("status", TicketStatus, status).value]
        else:
            statuses = [s.value for s in TicketStatus if s.is_active]
        if category:
            category = validated_enum("category", TicketCategory, category).value
        return q.tickets(self.service.cache, self.now().isoformat(), statuses, category)

    def tickets(self, status: str | None = None) -> list[TicketRow]:
        """Every ticket in the cache (or those of one status), in queue order."""
        statuses = [validated_enum("status", TicketStatus, status).value] if status else None
        return q.tickets(self.service.cache, self.now().isoformat(), statuses)

    def _ticket(self, ticket_id: str) -> Ticket:
        return self._ticket_row(ticket_id).ticket

    def _ticket_row(self, ticket_id: str) -> TicketRow:
        row = q.ticket(self.service.cache, str(ticket_id))
        if row is None:
            raise WorklogError({"ticket_id": f"没有这个工单：{ticket_id}"})
        return row

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
    return validated(Ticket, data)


def _overdue(ticket: Ticket, now: datetime) -> bool:
    return ticket.status.is_active and ticket.due_at is not None and ticket.due_at < now
