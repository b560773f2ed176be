"""Calls: the specialists' logged service calls, with outcomes, notes and follow-up promises."""

from __future__ import annotations

from collections.abc import Iterator

from specialist_tui.demo.context import DemoContext, RecordJson, day_iso, stamp
from specialist_tui.demo.vocabulary import (
    ACTIONS,
    NOTES,
    OUTCOME_CUM,
    OUTCOMES,
    RULE_TOPICS,
    TOPICS,
)
from specialist_tui.domain.enums import ContactRole


def build_calls(ctx: DemoContext, chunk: int) -> Iterator[list[RecordJson]]:
    """Service calls of the past year, mostly about what is wrong with the unit; handed out
    ``chunk`` units at a time. Half the units planted on R14 get a follow-up due by today."""
    rng = ctx.rng
    rnd = rng.random
    ri = ctx.ri
    pick = ctx.pick
    dt = ctx.dt
    last_day = dt - 1
    first_day = max(0, dt - 365)
    if last_day < first_day:
        return
    ys = ctx.year_start
    planted = ctx.planted
    due = set(rng.sample(sorted(planted["R14"]), len(planted["R14"]) // 2))
    ctx.ticket_due = planted["R14"] - due
    topic_sets = [(planted[rule], topic) for rule, topic in RULE_TOPICS]
    deadline = ctx.filing_deadline
    dl = f"{deadline.month}月{deadline.day}日"
    calls: list[RecordJson] = []
    for i, u in enumerate(ctx.units):
        if i % chunk == 0 and calls:
            yield calls
            calls = []
        if i not in due and rnd() >= 0.3:
            continue
        code = u.row["code"]
        contacts = u.row["contacts"]
        # Calls are mostly about what is wrong with the unit.
        issues = [topic for units, topic in topic_sets if i in units]
        # One call a day at most, so the last in this list is also the latest.
        days = sorted({ri(first_day, last_day) for _ in range(ri(1, 3))})
        for k, day in enumerate(days):
            contact = contacts[int(rnd() * len(contacts))]
            topics = [pick(issues) if issues and rnd() < 0.7 else pick(TOPICS)]
            if rnd() < 0.25 and (extra := pick(TOPICS)) not in topics:
                topics.append(extra)
            outcome = rng.choices(OUTCOMES, cum_weights=OUTCOME_CUM)[0]
            minute = day * 1440 + ri(540, 1050)
            second = ri(0, 59)
            if outcome in ("no_answer", "busy"):
                duration, ended = 0, None
                notes = "未接通，稍后再拨。" if outcome == "no_answer" else "对方占线。"
                action = "再次拨打"
            else:
                if outcome == "wrong_number":
                    duration = ri(15, 60)
                    role = ContactRole(contact["role"]).label
                    notes = f"号码错误，需向单位核实{role}联系人电话。"
                    action = "核实联系人电话"
                else:
                    duration = ri(60, 1200)
                    notes = pick(NOTES[topics[0]]).format(
                        c=contact["name"], y=ctx.year, dl=dl, **ctx.ratio_words
                    )
                    action = ACTIONS[topics[0]]
                end = second + duration
                ended = stamp(ys, minute + end // 60, end % 60)
            follow: int | None = None
            if k == len(days) - 1:
                if i in due:
                    follow = max(day, dt - ri(0, 20))
                elif outcome != "resolved" and rnd() < 0.6:
                    follow = dt + ri(1, 45)
            elif outcome != "resolved" and rnd() < 0.5:
                follow = min(days[k + 1], day + ri(1, 14))
            calls.append(
                {
                    "id": ctx.uuid(),
                    "unit_code": code,
                    "contact_name": contact["name"],
                    "contact_phone": contact["phone"],
                    "direction": "in" if rnd() < 0.22 else "out",
                    "started_at": stamp(ys, minute, second),
                    "ended_at": ended,
                    "duration_s": duration,
                    "topics": topics,
                    "outcome": outcome,
                    "notes": notes,
                    "follow_up_on": None if follow is None else day_iso(ys, follow),
                    "follow_up_action": "" if follow is None else action,
                    "author": u.row["specialist_id"],
                }
            )
    if calls:
        yield calls
