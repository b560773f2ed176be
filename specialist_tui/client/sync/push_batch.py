"""One push request made from outbox rows, and which outbox rows each pushed item settles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from specialist_tui.client.cache import Cache
from specialist_tui.client.cache import sync_state as state
from specialist_tui.domain.models import (
    Call,
    Event,
    FollowUpDone,
    LetterMark,
    Ticket,
    TicketEvent,
)
from specialist_tui.wire import KIND_TABLES, PushRequest, TicketUpdate


@dataclass
class PushBatch:
    """One push request and, per item, the outbox rows it settles."""

    request: PushRequest
    seqs: dict[tuple[str, str], list[int]]
    unreadable: list[int]

    @property
    def empty(self) -> bool:
        r = self.request
        return not (
            r.calls
            or r.tickets
            or r.ticket_events
            or r.events
            or r.letter_marks
            or r.follow_ups_done
        )

    @classmethod
    def of(cls, cache: Cache, rows: list[dict[str, Any]]) -> PushBatch:
        seqs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row in rows:
            seqs[(row["kind"], row["item_id"])].append(int(row["seq"]))
        ids: dict[str, list[str]] = defaultdict(list)
        for kind, item_id in seqs:
            ids[kind].append(item_id)
        unreadable: list[int] = []
        calls: list[Call] = []
        tickets: list[TicketUpdate] = []
        events: list[TicketEvent] = []
        marks: list[LetterMark] = []
        if ids.get("event"):
            # The other parts of these events, and their outbox rows, join this batch.
            parts, pending = state.whole_events(cache, ids["event"])
            for row in pending:
                if int(row["seq"]) not in seqs[("event", row["item_id"])]:
                    seqs[("event", row["item_id"])].append(int(row["seq"]))
        dones: list[FollowUpDone] = []
        found = {
            kind: state.local_items(cache, KIND_TABLES[kind], item_ids)
            for kind, item_ids in ids.items()
            if kind != "event"
        }
        if ids.get("event"):
            found["event"] = parts
        gatherings = _events(found.pop("event", {}), seqs, unreadable)
        for (kind, item_id), item_seqs in list(seqs.items()):
            if kind == "event":
                continue  # already rebuilt whole above
            item = found[kind].get(item_id)
            try:
                if item is None:
                    raise ValueError(item_id)
                if kind == "call":
                    calls.append(Call.model_validate(_present(item)))
                elif kind == "ticket":
                    # Several local edits of one ticket go as one, based on the first one's base.
                    ticket = Ticket.model_validate(_present(item))
                    base = state.base_version(cache, item_id)
                    tickets.append(TicketUpdate(ticket=ticket, base_version=base))
                elif kind == "letter_mark":
                    marks.append(LetterMark.model_validate(_present(item)))
                elif kind == "follow_up_done":
                    dones.append(FollowUpDone.model_validate(_present(item)))
                else:
                    events.append(TicketEvent.model_validate(_present(item)))
            except (ValueError, ValidationError):
                unreadable.extend(item_seqs)
                del seqs[(kind, item_id)]
        request = PushRequest(
            calls=calls,
            tickets=tickets,
            ticket_events=events,
            events=gatherings,
            letter_marks=marks,
            follow_ups_done=dones,
        )
        return cls(request, seqs, unreadable)


def _events(
    parts: dict[str, dict[str, Any]],
    seqs: dict[tuple[str, str], list[int]],
    unreadable: list[int],
) -> list[Event]:
    """Events rebuilt from all their local parts (one outbox row per unit); the hub answers
    per event, so the parts' outbox rows are filed under the event's id."""
    for key in [k for k in seqs if k[0] == "event" and k[1] not in parts]:
        unreadable.extend(seqs.pop(key))
    by_event: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for part_id, part in sorted(parts.items()):
        by_event[str(part["event_id"])].append((part_id, part))
    out = []
    for event_id, members in by_event.items():
        part_seqs = [s for part_id, _ in members for s in seqs.pop(("event", part_id), [])]
        head = _present(members[0][1])
        try:
            event = Event.model_validate(
                {
                    **{k: v for k, v in head.items() if k not in _PART_ONLY},
                    "id": event_id,
                    "attendees": [
                        {"unit_code": p["unit_code"], "people": p["people"]} for _, p in members
                    ],
                }
            )
        except ValidationError:
            unreadable.extend(part_seqs)
            continue
        seqs[("event", event_id)] = part_seqs
        out.append(event)
    return out


_PART_ONLY = ("id", "event_id", "unit_code", "people")


def _present(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}
