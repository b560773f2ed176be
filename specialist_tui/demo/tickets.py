"""Tickets: support tickets with a timeline of status changes and comments, some past due."""

from __future__ import annotations

from specialist_tui.demo.context import DemoContext, RecordJson, stamp
from specialist_tui.demo.places import LEAD
from specialist_tui.demo.vocabulary import (
    PRIORITIES,
    PRIORITY_CUM,
    TICKET_COMMENTS,
    TICKET_PATHS,
    TICKETS,
)
from specialist_tui.domain.enums import TicketPriority


def build_tickets(ctx: DemoContext) -> tuple[list[RecordJson], list[RecordJson]]:
    """Tickets and their timelines: about 3% of units, plus the other half of those planted on
    R14, whose tickets are past due."""
    tickets: list[RecordJson] = []
    timelines: list[RecordJson] = []
    rng = ctx.rng
    ri = ctx.ri
    dt = ctx.dt
    if dt < 2:
        return tickets, timelines
    ys = ctx.year_start
    policy = ctx.policy
    now = dt * 1440 + 1439  # the last minute of today
    overdue = ctx.ticket_due

    def office(day: int) -> int:
        return day * 1440 + ri(510, 1140)  # 08:30–19:00

    for i, u in enumerate(ctx.units):
        if i not in overdue and rng.random() >= 0.03:
            continue
        category, subject, description = rng.choice(TICKETS)
        description = description.format(**ctx.ratio_words)
        if i in overdue:
            priority = rng.choices(PRIORITIES, cum_weights=PRIORITY_CUM)[0]
            hours = policy.tickets.due_hours[TicketPriority(priority)]
            # Due before today began, however late in its day it was opened.
            last = (dt * 1440 - hours * 60 - 1141) // 1440
            if last < 0:
                continue
            created = office(ri(max(0, last - 20), last))
            final = rng.choice(("open", "in_progress", "waiting"))
        elif rng.random() < 0.55:
            priority = rng.choices(PRIORITIES, cum_weights=PRIORITY_CUM)[0]
            hours = policy.tickets.due_hours[TicketPriority(priority)]
            created = office(ri(0, dt - 2))
            final = rng.choice(("resolved", "closed", "closed"))
        else:
            # Still being worked on and not yet due: a relaxed priority, a recent ticket.
            priority = rng.choice(("low", "normal"))
            hours = policy.tickets.due_hours[TicketPriority(priority)]
            earliest = (dt + 1) * 1440 - hours * 60
            created = max(earliest, office(ri(max(0, earliest // 1440), dt)))
            final = rng.choice(("open", "in_progress", "waiting"))
        author = u.row["specialist_id"]
        created_at = stamp(ys, created)
        order_id = None
        if category in ("payment", "delivery", "quality", "after_sales", "invoice"):
            placed = ctx.order_placed
            mine = range(u.orders_from, u.orders_to)
            earlier = [ctx.order_id(ctx.order_seqs[k]) for k in mine if placed[k] < created]
            if earlier:
                order_id = rng.choice(earlier)
                description += f"（订单号 {order_id}）"
        ticket_id = ctx.uuid()
        path = list(rng.choice(TICKET_PATHS[final]))
        steps: list[tuple[str | None, str]] = [(status, "") for status in path]
        for _ in range(rng.choice((0, 0, 1, 2))):
            steps.insert(ri(0, len(steps)), (None, rng.choice(TICKET_COMMENTS)))
        # Finished tickets were finished within a few days of falling due.
        days = dt - created // 1440
        if final in ("resolved", "closed"):
            days = min(days, hours // 24 + 3)
        times = sorted(max(created + 1, min(now, office(created // 1440 + ri(0, days))))
                       for _ in steps)  # fmt: skip
        events = [
            {
                "id": ctx.uuid(),
                "ticket_id": ticket_id,
                "at": created_at,
                "author": author,
                "kind": "created",
                "from_status": None,
                "to_status": "open",
                "comment": "",
            }
        ]
        current = "open"
        for (target, comment), at in zip(steps, times, strict=True):
            events.append(
                {
                    "id": ctx.uuid(),
                    "ticket_id": ticket_id,
                    "at": stamp(ys, at),
                    "author": author if rng.random() < 0.85 else LEAD,
                    "kind": "comment" if target is None else "status",
                    "from_status": None if target is None else current,
                    "to_status": target,
                    "comment": comment,
                }
            )
            current = target or current
        timelines.extend(events)
        tickets.append(
            {
                "id": ticket_id,
                "unit_code": u.row["code"],
                "order_id": order_id,
                "category": category,
                "priority": priority,
                "status": final,
                "subject": subject,
                "description": description,
                "created_at": created_at,
                "updated_at": events[-1]["at"],
                "due_at": stamp(ys, created + hours * 60),
                "author": author,
                "version": len(events),  # one for creating, one per change since
            }
        )
    return tickets, timelines
