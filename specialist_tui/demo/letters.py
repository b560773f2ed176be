"""No-canteen letters in the demo: units that declared no canteen yet buy for one (R15), and the
specialists' marks of letters in progress (sent, stamped, sent again after a rejection).

Everything here draws from ``ctx.aside``, not the main generator: added after the demo's data
was fixed, it leaves every record drawn before it as it was.
"""

from __future__ import annotations

import uuid

from specialist_tui.demo.context import DemoContext, RecordJson

# The share of units planted on R15, and of R6's units whose letter a specialist has marked.
R15_RATE = 0.004
MARKED_RATE = 0.6
# Order serials of R15's orders: a range of their own, so no other order's number moves.
R15_SERIALS = 900_000_000


def plant_commitment_risk(ctx: DemoContext) -> None:
    """Choose a few units of canteen mode none that will have canteen orders (R15)."""
    declared = [i for i, u in enumerate(ctx.units) if u.mode == "none"]
    floor = 3 if ctx.n >= 200 else 0
    k = min(len(declared), max(floor, round(R15_RATE * ctx.n)))
    ctx.planted["R15"] = set(ctx.aside.sample(declared, k))


def commitment_orders(ctx: DemoContext, code: str, area: str) -> list[RecordJson]:
    """One to three completed canteen orders of a unit that declared no canteen."""
    aside = ctx.aside
    last = ctx.limit - 5 * 1440  # completed by today: placed at least five days before
    if last <= 0:
        return []
    out = []
    for _ in range(aside.randint(1, 3)):
        placed = min(last, aside.randrange(0, last) // 1440 * 1440 + aside.randint(480, 1080))
        ctx.aside_orders += 1
        out.append(
            {
                "id": ctx.order_id(R15_SERIALS + ctx.aside_orders),
                "unit_code": code,
                "year": ctx.year,
                "placed_at": ctx.ts[placed],
                "amount": aside.randint(30, 800) * 1_000,
                "part": "canteen",
                "area_code": area,
                "status": "completed",
                "paid_at": ctx.ts[placed + 30],
                "received_at": ctx.ts[placed + 2 * 1440],
                "completed_at": ctx.ts[placed + 3 * 1440],
            }
        )
    return out


def build_letter_marks(ctx: DemoContext) -> list[RecordJson]:
    """Specialists' marks on most of the letters R6 flags: a missing letter sent (or sent and
    stamped), a rejected one sent again. Marks fall between the filing deadline and yesterday."""
    aside = ctx.aside
    first = max(0, (ctx.filing_deadline - ctx.year_start).days)
    last = ctx.limit // 1440 - 1  # yesterday
    if last - first < 2:
        return []
    marks: list[RecordJson] = []

    def mark(u_index: int, state: str, seen: str, day: int, note: str = "") -> None:
        row = ctx.units[u_index].row
        minute = day * 1440 + aside.randint(540, 1080)  # office hours
        marks.append(
            {
                "id": str(uuid.UUID(int=aside.getrandbits(128), version=4)),
                "unit_code": row["code"],
                "year": ctx.year,
                "state": state,
                "seen": seen,
                "at": ctx.ts[minute],
                "note": note,
                "author": row.get("specialist_id") or "",
            }
        )

    for i in sorted(ctx.planted.get("R6", ())):
        letter = ctx.letters.get(i)
        if letter not in ("missing", "rejected") or aside.random() >= MARKED_RATE:
            continue
        sent = aside.randrange(first, last)
        if letter == "rejected":
            mark(i, "sent", letter, sent, "退回后已重新寄送单位盖章")
            continue
        mark(i, "sent", letter, sent, "已寄送单位，请主管部门盖章")
        if aside.random() < 0.5:
            mark(i, "stamped", letter, aside.randint(sent + 1, last))
    return marks
