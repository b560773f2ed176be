"""One push request made from outbox rows, and which outbox rows each pushed item settles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from specialist_tui.client.cache import Cache
from specialist_tui.client.cache import sync_state as state
from specialist_tui.domain.models import Call, Ticket, TicketEvent
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
        return not (r.calls or r.tickets or r.ticket_events)

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
        found = {
            kind: state.local_items(cache, KIND_TABLES[kind], item_ids)
            for kind, item_ids in ids.items()
        }
        for (kind, item_id), item_seqs in list(seqs.items()):
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
                else:
                    events.append(TicketEvent.model_validate(_present(item)))
            except (ValueError, ValidationError):
                unreadable.extend(item_seqs)
                del seqs[(kind, item_id)]
        request = PushRequest(calls=calls, tickets=tickets, ticket_events=events)
        return cls(request, seqs, unreadable)


def _present(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}
