"""Push: a client's calls, tickets, ticket events, events, letter marks and promises marked
done, stored idempotently."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from specialist_tui.domain.models import (
    Call,
    Event,
    FollowUpDone,
    LetterMark,
    Ticket,
    TicketEvent,
)
from specialist_tui.hub.backend import Db
from specialist_tui.hub.store_core import (
    NOT_FOUND,
    Caller,
    Home,
    StoreCore,
    as_json,
    may_see,
    stored_ticket,
)
from specialist_tui.wire import ItemResult, ItemStatus, PushRequest, PushResult, TicketUpdate

OwnRecord = Call | TicketEvent | LetterMark | FollowUpDone
"""A record one specialist makes about one unit, stored as it was pushed."""


class Push(StoreCore):
    """What a client pushes, checked against who it is and written in one transaction."""

    def apply_push(self, caller: Caller, request: PushRequest) -> PushResult:
        """Store a client's calls, tickets, ticket events, events and letter marks,
        idempotently, in one transaction."""
        results: list[ItemResult] = []
        with self.transaction() as db:
            tickets = self._ticket_units(db, [str(e.ticket_id) for e in request.ticket_events])
            # Locking the units first (in code order, so two pushes never deadlock) serialises
            # every writer of a unit: pushes, assignments and imports (PostgreSQL's row lock;
            # SQLite's one writer already does).
            homes = self._homes(
                db,
                {c.unit_code for c in request.calls}
                | {t.ticket.unit_code for t in request.tickets}
                | set(tickets.values())
                | {a.unit_code for e in request.events for a in e.attendees}
                | {m.unit_code for m in request.letter_marks}
                | {m.unit_code for m in request.follow_ups_done},
                lock=True,
            )
            for call in request.calls:
                results.append(self._push_call(db, caller, call, homes.get(call.unit_code)))
            for update in request.tickets:
                home = homes.get(update.ticket.unit_code)
                results.append(self._push_ticket(db, caller, update, home))
            for event in request.ticket_events:
                results.append(self._push_event(db, caller, event))
            for gathering in request.events:
                results.append(self._push_gathering(db, caller, gathering, homes))
            for mark in request.letter_marks:
                home = homes.get(mark.unit_code)
                results.append(self._push_letter_mark(db, caller, mark, home))
            # After the calls: a mark may arrive in the same push as the call it closes.
            for done in request.follow_ups_done:
                home = homes.get(done.unit_code)
                results.append(self._push_follow_up_done(db, caller, done, home))
        return PushResult(items=results)

    def _push_gathering(
        self, db: Db, caller: Caller, event: Event, homes: dict[str, Home]
    ) -> ItemResult:
        """A seminar, training or visit: stored as one row per attending unit, so the feed
        scopes and moves each unit's part like a call. All units must be the caller's.

        Pushed again with fewer units (an import that drops rows, an edit), the parts of the
        units left out are deleted, so every client's feed removes them too; only parts of
        units the caller may see: another specialist's part is not theirs to drop."""

        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind="event", id=event.id, status=status, reason=reason)

        unseen = [
            a.unit_code
            for a in event.attendees
            if (home := homes.get(a.unit_code)) is None or not may_see(caller, home)
        ]
        if unseen:
            return result(ItemStatus.REJECTED, f"{NOT_FOUND}: {', '.join(unseen)}")
        stored = event.model_copy(update={"author": caller.id})
        parts = [(part, as_json(part)) for part in stored.parts()]
        kept = {part.id for part, _ in parts}
        dropped = [
            (key, unit, center, owner)
            for key, unit, center, owner in self._event_parts(db, str(event.id))
            if key not in kept and may_see(caller, Home(center, owner))
        ]
        if not dropped and all(self._body(db, "event", part.id) == body for part, body in parts):
            return result(ItemStatus.DUPLICATE)
        rows = []
        for part, body in parts:
            home = homes[part.unit_code]
            rows.append(("event", part.id, part.unit_code, home.center_code, home.owner, body))
        self._put(db, rows)
        gone = [("event", key, unit, center, owner, None) for key, unit, center, owner in dropped]
        self._put(db, gone, op="delete")
        return result(ItemStatus.ACCEPTED)

    def _event_parts(self, db: Db, event_id: str) -> list[tuple[str, str, str, str | None]]:
        """(key, unit, center, owner) of the stored parts of an event.

        The keys are "event_id:unit_code"; substr, not a key range, because PostgreSQL's
        default collation does not sort text by bytes, so a prefix range could miss parts.
        """
        prefix = f"{event_id}:"
        rows = db.execute(
            "SELECT key, unit_code, center_code, owner FROM changes WHERE kind = 'event' "
            "AND audience = '*' AND op = 'upsert' AND substr(key, 1, ?) = ?",
            [len(prefix), prefix],
        ).fetchall()
        return [(str(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]

    def _push_call(self, db: Db, caller: Caller, call: Call, home: Home | None) -> ItemResult:
        return self._accept_own(db, caller, "call", call, call.unit_code, call.started_at, home)

    def _push_letter_mark(
        self, db: Db, caller: Caller, mark: LetterMark, home: Home | None
    ) -> ItemResult:
        """A no-canteen letter marked sent, stamped, verified or rejected."""
        return self._accept_own(db, caller, "letter_mark", mark, mark.unit_code, mark.at, home)

    def _push_follow_up_done(
        self, db: Db, caller: Caller, mark: FollowUpDone, home: Home | None
    ) -> ItemResult:
        """A promise marked done: only for a call of the same unit."""

        def not_that_units_call() -> str:
            call = self._body(db, "call", str(mark.call_id))
            if call is None or Call.model_validate_json(call).unit_code != mark.unit_code:
                return "call_id 该单位没有这次通话"
            return ""

        return self._accept_own(
            db, caller, "follow_up_done", mark, mark.unit_code, mark.at, home, not_that_units_call
        )

    def _accept_own(
        self,
        db: Db,
        caller: Caller,
        kind: str,
        record: OwnRecord,
        unit_code: str,
        at: datetime,
        home: Home | None,
        refusal: Callable[[], str] | None = None,
    ) -> ItemResult:
        """Accept a record a specialist made about one unit (a call, a ticket's event, a letter
        mark, a promise marked done): only in the unit's scope, authored by whoever holds the
        token whatever the client wrote, stored once and answered the same when pushed again.

        `refusal`, asked only once the caller may write to the unit (so it is no oracle for
        other units), gives a reason to refuse the record, or "" to accept it."""

        def result(status: ItemStatus, reason: str = "") -> ItemResult:
            return ItemResult(kind=kind, id=record.id, status=status, reason=reason)

        if home is None or not self._may_write(db, caller, home, unit_code, at):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        if refusal is not None and (reason := refusal()):
            return result(ItemStatus.REJECTED, reason)
        stored = record.model_copy(update={"author": caller.id})
        body = self._body(db, kind, str(record.id))
        if body is not None:
            return result(*_again(type(record).model_validate_json(body), stored, caller))
        row = (kind, str(record.id), unit_code, home.center_code, home.owner, as_json(stored))
        self._put(db, [row])
        return result(ItemStatus.ACCEPTED)

    def _push_ticket(
        self, db: Db, caller: Caller, update: TicketUpdate, home: Home | None
    ) -> ItemResult:
        ticket = update.ticket

        def result(
            status: ItemStatus, reason: str = "", current: Ticket | None = None
        ) -> ItemResult:
            return ItemResult(
                kind="ticket", id=ticket.id, status=status, reason=reason, ticket=current
            )

        at = ticket.updated_at or ticket.created_at
        if home is None or not self._may_write(db, caller, home, ticket.unit_code, at):
            return result(ItemStatus.REJECTED, NOT_FOUND)
        row = db.execute(
            "SELECT unit_code, version FROM tickets WHERE id = ?", [str(ticket.id)]
        ).fetchone()
        if row is None:
            version = 1
            ticket = ticket.model_copy(update={"author": caller.id})
        else:
            if row[0] != ticket.unit_code:
                # Someone else's ticket id answers like an unknown unit: no existence oracle.
                theirs = self._homes(db, [row[0]]).get(row[0])
                if theirs is None or not self._may_write(db, caller, theirs, row[0], at):
                    return result(ItemStatus.REJECTED, NOT_FOUND)
                return result(ItemStatus.REJECTED, "unit_code 工单所属单位不能修改")
            body = self._body(db, "ticket", str(ticket.id))
            assert body is not None, "a ticket row without its record"
            current = Ticket.model_validate_json(body)
            # A ticket stays its creator's; who changed it is in the events, each its pusher's.
            ticket = ticket.model_copy(update={"author": current.author})
            if _same_ticket(current, ticket):
                return result(ItemStatus.DUPLICATE, current=current)
            if update.base_version != row[1]:
                return result(ItemStatus.CONFLICT, "工单已在中心被修改", current)
            version = int(row[1]) + 1
        stored = stored_ticket(ticket, version)
        self._put_ticket(db, str(ticket.id), ticket.unit_code, version)
        self._put(
            db,
            [
                (
                    "ticket",
                    str(ticket.id),
                    ticket.unit_code,
                    home.center_code,
                    home.owner,
                    as_json(stored),
                )
            ],
        )
        return result(ItemStatus.ACCEPTED, current=stored)

    def _push_event(self, db: Db, caller: Caller, event: TicketEvent) -> ItemResult:
        unit_code = self._ticket_units(db, [str(event.ticket_id)]).get(str(event.ticket_id))
        if unit_code is None:
            return ItemResult(
                kind="ticket_event", id=event.id, status=ItemStatus.REJECTED, reason=NOT_FOUND
            )
        home = self._homes(db, [unit_code]).get(unit_code)
        return self._accept_own(db, caller, "ticket_event", event, unit_code, event.at, home)

    def _body(self, db: Db, kind: str, key: str) -> str | None:
        """A stored record's JSON, read inside the push's transaction."""
        row = db.execute(
            "SELECT body FROM changes WHERE kind = ? AND key = ? AND audience = '*' "
            "AND op = 'upsert'",
            [kind, key],
        ).fetchone()
        return None if row is None else str(row[0])

    def _may_write(self, db: Db, caller: Caller, home: Home, unit_code: str, at: datetime) -> bool:
        """The unit is the caller's now, or was when the record was made (it is history then)."""
        if may_see(caller, home):
            return True
        row = db.execute(
            "SELECT until FROM former_owners WHERE unit_code = ? AND specialist_id = ?",
            [unit_code, caller.id],
        ).fetchone()
        return row is not None and at <= datetime.fromisoformat(row[0])


def _again(stored: OwnRecord, pushed: OwnRecord, caller: Caller) -> tuple[ItemStatus, str]:
    """The answer to an id pushed again: the same record, a clash, or someone else's id."""
    if stored.author != caller.id:
        return ItemStatus.REJECTED, NOT_FOUND  # answers like an unknown one: no oracle
    if stored.model_dump() == pushed.model_dump():
        return ItemStatus.DUPLICATE, ""
    return ItemStatus.REJECTED, "id 已用于另一条内容不同的记录"


def _same_ticket(a: Ticket, b: Ticket) -> bool:
    """Same content apart from the version the hub assigns and the timeline kept apart."""
    ignore = {"version", "events"}
    return a.model_dump(exclude=ignore) == b.model_dump(exclude=ignore)
