"""The demo generator: one seeded ``random.Random`` draws every record, stage by stage.

The stages run in a fixed order, each over every unit: units.py (places, units, canteen modes),
planting.py (which units get which problem), filings.py, orders.py, calls.py, tickets.py, then
letters.py (the specialists' marks of no-canteen letters; with R15's planting and orders it draws
from a generator of its own, so the records drawn before it stay as they were). They
share a DemoContext. Records come out in their JSON form (see context.RecordJson): the cache
stores them as they are and the hub validates them into domain models.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from specialist_tui.demo.calls import build_calls
from specialist_tui.demo.context import DemoContext, RecordJson
from specialist_tui.demo.filings import build_filings
from specialist_tui.demo.letters import build_letter_marks, plant_commitment_risk
from specialist_tui.demo.orders import build_orders
from specialist_tui.demo.places import CENTERS, LEAD, PREFECTURES, PROVINCE_AREA
from specialist_tui.demo.planting import plant
from specialist_tui.demo.tickets import build_tickets
from specialist_tui.demo.units import assign_modes, build_units
from specialist_tui.domain.policy import Policy
from specialist_tui.gc_pause import no_cycle_collection

# The user a demo runs as: the center's lead, who sees every unit.
DEMO_USER = LEAD
# Units per chunk of the bulky tables (filings, orders, calls) that stream() hands out.
CHUNK_UNITS = 10_000


@dataclass
class DemoData:
    """Every table's records in their JSON form, and the id of the user the demo runs as."""

    centers: list[RecordJson]
    specialists: list[RecordJson]
    units: list[RecordJson]
    filings: list[RecordJson]
    orders: list[RecordJson]
    calls: list[RecordJson]
    tickets: list[RecordJson]
    ticket_events: list[RecordJson]
    letter_marks: list[RecordJson]
    user_id: str


def generate(units: int, today: date, policy: Policy, seed: int = 832) -> DemoData:
    """A demo data set of ``units`` budget units, as it would stand on ``today``, all in memory."""
    tables: dict[str, list[RecordJson]] = {}
    with no_cycle_collection():
        for table, records in stream(units, today, policy, seed):
            tables.setdefault(table, []).extend(records)
    return DemoData(
        centers=tables["centers"],
        specialists=tables["specialists"],
        units=tables["units"],
        filings=tables.get("filings", []),
        orders=tables.get("orders", []),
        calls=tables.get("calls", []),
        tickets=tables["tickets"],
        ticket_events=tables["ticket_events"],
        letter_marks=tables.get("letter_marks", []),
        user_id=DEMO_USER,
    )


def stream(
    units: int, today: date, policy: Policy, seed: int = 832, chunk: int = CHUNK_UNITS
) -> Iterator[tuple[str, list[RecordJson]]]:
    """The same data set as ``generate``, as (table, records) in the order a store takes them.

    Centers, specialists and units come first, whole; filings, orders and calls then come
    ``chunk`` units at a time, and none of them is kept after it is handed out, so a consumer that
    writes each batch holds at most one chunk of them; tickets and their events come last, whole.
    """
    if units < 1:
        raise ValueError("units must be at least 1")
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    stages = _stages(units, today, policy, seed, chunk)
    while True:
        # The collector pauses while the stages draw, not while the consumer writes a batch.
        with no_cycle_collection():
            batch = next(stages, None)
        if batch is None:
            return
        yield batch


def _stages(
    units: int, today: date, policy: Policy, seed: int, chunk: int
) -> Iterator[tuple[str, list[RecordJson]]]:
    rng = random.Random(f"832-demo:{seed}:{today.isoformat()}:{units}")
    aside = random.Random(f"832-demo-aside:{seed}:{today.isoformat()}:{units}")
    ctx = DemoContext(rng, units, today, policy, aside)
    yield "centers", _centers()
    yield "specialists", ctx.specialists
    build_units(ctx)
    assign_modes(ctx)
    plant(ctx)
    plant_commitment_risk(ctx)
    yield "units", [u.row for u in ctx.units]
    for filings in build_filings(ctx, chunk):
        yield "filings", filings
    for orders in build_orders(ctx, chunk):
        yield "orders", orders
    for calls in build_calls(ctx, chunk):
        yield "calls", calls
    tickets, events = build_tickets(ctx)
    yield "tickets", tickets
    yield "ticket_events", events
    yield "letter_marks", build_letter_marks(ctx)


def _centers() -> list[RecordJson]:
    return [
        {
            "code": code,
            "name": name,
            "area_codes": ([PROVINCE_AREA] if code == "QH01" else [])
            + [p[2] for p in PREFECTURES if p[2].startswith(code)],
        }
        for code, name in CENTERS
    ]
