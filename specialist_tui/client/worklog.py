"""The work log: calls, tickets and follow-ups a specialist records, saved durably with an outbox.

Forms and shell commands both go through here, so they validate and queue exactly alike.
Every write returns only after SQLite has committed the item, its outbox row and the unit's
refreshed facts and flags in one transaction.

Tickets are worklog_tickets.py's part of the class; calls, events, letter marks and promises
are here, with the context both parts use.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from specialist_tui.client.cache import detail
from specialist_tui.client.cache import worklog_queries as q
from specialist_tui.client.cache.storage_form import Row
from specialist_tui.client.read_models import (
    FollowUp,
    FollowUps,
    LoggedCall,
    UnitRef,
)
from specialist_tui.client.service import Service
from specialist_tui.client.worklog_input import (
    WorklogError,
    call_content_problem,
    validated,
    validated_enum,
)
from specialist_tui.client.worklog_tickets import TicketWork
from specialist_tui.domain.enums import (
    CallDirection,
    LetterStatus,
)
from specialist_tui.domain.fields import BEIJING, now_beijing
from specialist_tui.domain.letter_state import is_backward
from specialist_tui.domain.letters import needs_no_canteen_letter
from specialist_tui.domain.models import (
    Call,
    Event,
    EventAttendance,
    FollowUpDone,
    LetterMark,
)

Clock = Callable[[], datetime]

__all__ = ["Worklog", "WorklogError"]


class Worklog(TicketWork):
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

    def unit(self, code: str) -> UnitRef:
        """The unit (code, name, contacts), or WorklogError naming unit_code."""
        unit = self.service.unit(code.strip().upper()) if code else None
        if unit is None:
            raise WorklogError({"unit_code": f"缓存中没有这个单位：{code!r}"})
        return UnitRef.of_unit(unit)

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
            known = {c.name: c.phone for c in unit.contacts}
            contact_phone = known.get(contact_name.strip())
        if follow_up_action.strip() and not follow_up_on:
            raise WorklogError({"follow_up_on": "填写了跟进事项，请给出跟进日期"})
        call = validated(
            Call,
            {
                "unit_code": unit.code,
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
        problem = call_content_problem(call.topics, call.notes)
        if problem:
            raise WorklogError({"topics": problem})
        service = self.service
        service.cache.save_local("call", "calls", [call], service.policy, service.today)
        return call

    # -- events (座谈会 / 培训会 / 上门走访) -----------------------------------------------

    def log_event(
        self,
        kind: str,
        topic: str,
        attendees: Mapping[str, int],
        **details: Any,
    ) -> Event:
        """Validate and save an event held for many units (unit code -> people who came),
        one part per unit with its outbox row, in one transaction; returns the event.
        ``details``: those of ``checked_event``."""
        event = self.checked_event(kind, topic, attendees, **details)
        service = self.service
        service.cache.save_local(
            "event", "event_attendance", event.parts(), service.policy, service.today
        )
        return event

    def checked_event(
        self,
        kind: str,
        topic: str,
        attendees: Mapping[str, int],
        *,
        event_id: uuid.UUID | None = None,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        place: str = "",
        online_link: str = "",
        specialists: Iterable[str] = (),
        notes: str = "",
        follow_up: str = "",
    ) -> Event:
        """The event as the form, `events add` and `events import` give it, validated (not
        saved); WorklogError names the fields a user must correct."""
        if not attendees:
            raise WorklogError({"attendees": "至少选一个参加单位"})
        units = {self.unit(code).code: people for code, people in attendees.items()}
        held_by = list(dict.fromkeys(specialists)) or ([self.author] if self.author else [])
        return validated(
            Event,
            {
                **({"id": event_id} if event_id else {}),
                "kind": kind,
                "starts_at": starts_at or self.now(),
                "ends_at": ends_at,
                "place": place,
                "online_link": online_link,
                "topic": topic,
                "specialists": held_by,
                "attendees": [{"unit_code": c, "people": n} for c, n in units.items()],
                "notes": notes,
                "follow_up": follow_up,
                "author": self.author,
            },
        )

    def save_events(self, events: Sequence[Event]) -> tuple[int, int]:
        """Save imported events in one transaction, idempotently by their ids: an event the
        cache holds as it is stays untouched; one holding units it no longer lists loses
        those parts here (and on the hub once pushed whole). Returns (saved, unchanged)."""
        service, saved = self.service, 0
        with service.cache.transaction():
            for event in events:
                held = {p.id: p for p in detail.event_parts(service.cache, str(event.id))}
                parts = event.parts()
                same = {p.id for p in parts if _same_part(held.get(p.id), p)}
                if same == set(held) == {p.id for p in parts}:
                    continue
                dropped = sorted(set(held) - {p.id for p in parts})
                service.cache.delete_local(
                    "event_attendance", dropped, service.policy, service.today
                )
                service.cache.save_local(
                    "event", "event_attendance", parts, service.policy, service.today
                )
                saved += 1
        return saved, len(events) - saved

    # -- no-canteen letters (附件1) ---------------------------------------------------------

    def mark_letter(
        self, unit_code: str, state: str, *, note: str = "", backward_ok: bool = False
    ) -> LetterMark:
        """Mark a unit's no-canteen letter sent, stamped, verified or rejected for the policy
        year, with its outbox row; a step back (stamped -> sent) needs ``backward_ok``."""
        unit = self.unit(unit_code)
        service = self.service
        facts = service.cache.unit_facts(unit.code)
        if facts is None or not needs_no_canteen_letter(facts.level, facts.canteen_mode):
            raise WorklogError(
                {"unit_code": f"{unit.name} 不需要无食堂承诺函（只有省本级、申报无食堂的单位需要）"}
            )
        target = validated_enum("state", LetterStatus, state)
        current = facts.letter
        if target is current:
            raise WorklogError({"state": f"承诺函已是「{target.label}」"})
        if is_backward(current, target) and not backward_ok:
            raise WorklogError(
                {"state": f"这是回退（{current.label} → {target.label}），请确认后再标记"}
            )
        # Strictly after the unit's last mark, so "the latest mark" is one on every client.
        at = self.now()
        last = q.last_letter_mark_at(service.cache, unit.code, service.policy.year)
        if last is not None and at <= last:
            at = last + timedelta(seconds=1)
        mark: LetterMark = validated(
            LetterMark,
            {
                "unit_code": unit.code,
                "year": service.policy.year,
                "state": target,
                "seen": facts.no_canteen_letter,
                "at": at,
                "note": note,
                "author": self.author,
            },
        )
        service.cache.save_local(
            "letter_mark", "letter_marks", [mark], service.policy, service.today
        )
        return mark

    def events(self, since: date | None = None, unit_code: str | None = None) -> list[Row]:
        code = self.unit(unit_code).code if unit_code else None
        return q.events(self.service.cache, since, code)

    def event_parts(
        self, since: date | None = None, view: str | None = None, text: str = ""
    ) -> list[tuple[EventAttendance, str]]:
        """Each unit's part of each event (with the unit's name), by time, from ``since`` on;
        with ``view``, only the units of that view (and filter) of the list."""
        parts = detail.all_event_parts(self.service.cache, since)
        if view is None:
            return parts
        codes = set(self.service.view_codes(view, text))
        return [(part, name) for part, name in parts if part.unit_code in codes]

    def untrained(self) -> list[Row]:
        """Units not reached by a seminar or training this (policy) year, as of the day."""
        service = self.service
        return q.untrained(service.cache, service.policy.year, service.today)

    def units_under(self, supervisor: str) -> list[str]:
        """Every unit under a supervisor (by name or credit code), the supervisor included."""
        codes = q.units_under(self.service.cache, supervisor)
        if not codes:
            raise WorklogError({"attendees": f"缓存中没有主管部门为 {supervisor!r} 的单位"})
        return codes

    def calls(self, since: date | None = None, unit_code: str | None = None) -> list[LoggedCall]:
        code = self.unit(unit_code).code if unit_code else None
        return q.calls(self.service.cache, since, code)

    def follow_ups(self, today: date | None = None) -> FollowUps:
        """Promised follow-ups, overdue first, up to 7 days after ``today``."""
        day = today or self.service.today
        rows = q.follow_ups(self.service.cache, day + timedelta(days=7))
        return FollowUps(
            day,
            overdue=_kept(rows, lambda on: on < day),
            due_today=_kept(rows, lambda on: on == day),
            upcoming=_kept(rows, lambda on: on > day),
        )

    def mark_follow_up_done(
        self, call_id: str | None = None, unit_code: str | None = None
    ) -> FollowUpDone:
        """Mark a call's promised follow-up done (by the call's id or a prefix of it, or the
        unit's earliest open promise), saved with its outbox row like a call."""
        if unit_code:
            unit = self.unit(unit_code)
            call_id = q.promise_call_id(self.service.cache, unit.code)
            if call_id is None:
                raise WorklogError({"unit_code": f"{unit.name} 没有未完成的跟进约定"})
        call = self._promised_call(call_id or "")
        now = self.now()
        if now.date() < call.started_at.date():
            raise WorklogError({"call_id": "这次通话在今天之后，不能标记完成"})
        at = max(now, call.started_at)  # a call logged later today by the clock of a pinned day
        mark = validated(
            FollowUpDone,
            {"call_id": call.id, "unit_code": call.unit_code, "at": at, "author": self.author},
        )
        service = self.service
        service.cache.save_local(
            "follow_up_done", "follow_ups_done", [mark], service.policy, service.today
        )
        return mark

    def _promised_call(self, call_id: str) -> Call:
        """The call with this id (or the one call whose id starts so) whose promise is open."""
        if len(call_id.strip()) < 4:
            raise WorklogError({"call_id": "请给出通话编号（至少前 4 位）"})
        found = q.calls_like(self.service.cache, call_id)
        if not found:
            raise WorklogError({"call_id": f"缓存中没有这次通话：{call_id}"})
        if len(found) > 1:
            raise WorklogError({"call_id": f"有多次通话的编号以 {call_id} 开头，请多给几位"})
        call = found[0]
        if call.follow_up_on is None:
            raise WorklogError({"call_id": "这次通话没有约定跟进"})
        done, settled = q.promise_state(self.service.cache, call)
        if done is not None:
            raise WorklogError({"call_id": f"这项跟进已于 {done[:10]} 标记完成"})
        if settled is not None:
            raise WorklogError({"call_id": f"这项跟进已由 {settled[:10]} 的通话了结"})
        return call


def _same_part(held: EventAttendance | None, part: EventAttendance) -> bool:
    """The same content, whoever recorded it (the hub makes the pusher the author anyway)."""
    return held is not None and held.model_dump(exclude={"author"}) == part.model_dump(
        exclude={"author"}
    )


def _kept(rows: list[FollowUp], when: Callable[[date], bool]) -> tuple[FollowUp, ...]:
    return tuple(row for row in rows if when(row.follow_up_on))
