"""Orders: each unit buys through the year by part (canteen, union, staff) at a plausible pace,
and the planted rules add what makes them fire (unpaid, stray area codes, overspend, open orders
at year end, falling behind pace).

One pass, unit by unit, over tables of 1,024 draws: the largest stage by far (about 22 orders a
unit), hence its length. The orders are handed out a chunk of units at a time and not kept; the
context keeps only each order's id serial and minute placed, for tickets to refer to.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import timedelta

from specialist_tui.demo.context import DemoContext, RecordJson
from specialist_tui.demo.letters import commitment_orders
from specialist_tui.demo.places import PREFECTURES, PROVINCE_AREA
from specialist_tui.domain.money import share_of


def build_orders(ctx: DemoContext, chunk: int) -> Iterator[list[RecordJson]]:
    """Each unit's orders this year up to today; handed out ``chunk`` units at a time."""
    dt = min(ctx.dt, ctx.days_in_year - 1)
    if dt < 0:
        return
    rng = ctx.rng
    rnd = rng.random
    bits = rng.getrandbits
    policy = ctx.policy
    ys = ctx.year_start
    year = ctx.year
    units = ctx.units
    planted = ctx.planted
    limit = (dt + 1) * 1440  # first minute after today
    prefixes = [(ys + timedelta(days=d)).isoformat() + "T" for d in range(dt + 1)]
    suffixes = [f"{h:02d}:{m:02d}:00+08:00" for h in range(24) for m in range(60)]
    ts = [p + s for p in prefixes for s in suffixes]
    ctx.ts = ts
    ctx.limit = limit
    pools, fracs = _day_pools(ctx, dt)
    # Tables of 1024 draws, indexed by getrandbits(10): cheaper than a draw per order.
    # Spread of single order amounts around a unit's average (mean 1).
    mults = [min(3.0, max(0.25, rng.lognormvariate(-0.125, 0.5))) for _ in range(1024)]

    def minutes(low: int, high: int) -> list[int]:
        return [rng.randint(low, high) for _ in range(1024)]

    pay_now = minutes(5, 245)
    # Most pay within hours; some wait up to three days for an approval.
    pay_first = [rng.randint(5, 245) if rng.random() < 0.6 else rng.randint(0, 4320)
                 for _ in range(1024)]  # fmt: skip
    deliver = minutes(2880, 8640)  # 2–6 days
    deliver_fast = minutes(1440, 4320)
    confirm = minutes(0, 10080)  # receipt confirmed, or auto-confirmed after 7 days
    confirm_fast = minutes(0, 2880)
    pay_later = minutes(1440, 28800)  # 1–20 days after delivery
    id_prefix = f"832-{year}-"
    # Times of day orders are placed: canteens 07:30–19:00, unions office hours, staff
    # from breakfast to bedtime.
    clocks = {
        part: [t0 + k * span // 1024 for k in range(1024)]
        for part, t0, span in (("canteen", 450, 690), ("union", 510, 600), ("staff", 420, 960))
    }
    pace = policy.pace_share(ctx.today)
    area_codes = [p[2] for p in PREFECTURES] + [PROVINCE_AREA]
    cap_per_head = policy.staff_allowance_fen
    orders: list[RecordJson] = []
    ctx.orders = orders
    append = orders.append
    seqs_append, placed_append = ctx.order_seqs.append, ctx.order_placed.append
    ctx.seq = rng.randrange(10_000, 90_000)
    r9, r10, r11, r12, r13 = (planted[r] for r in ("R9", "R10", "R11", "R12", "R13"))
    r15 = planted.get("R15", set())
    unpaid_days = policy.purchasing.unpaid_days
    # From a fortnight before the year-end window, specialists chase completion.
    rush = ((policy.year_end_window_start - ys).days - 15) * 1440
    for i, u in enumerate(units):
        if i % chunk == 0 and orders:
            yield orders
            ctx.orders = orders = []
            append = orders.append
        row = u.row
        code = row["code"]
        home = row["area_code"]
        start = len(orders)
        u.orders_from = len(ctx.order_seqs)
        seq = ctx.seq
        filed = u.status in ("submitted", "confirmed")
        if i in r9:
            m = rng.uniform(0.15, 0.55)
        elif filed:
            m = rng.uniform(1.2, 1.9)
        else:
            m = rng.uniform(0.3, 1.2)
        cap = cap_per_head * u.staff
        guard = i not in r12
        budget = int(cap * 0.85)
        canteen_target = u.canteen_reserved * m if u.canteen_total else 0.0
        union_target = min(u.union_reserved * rng.uniform(1.2, 1.8), cap * 0.6)
        staff_target = u.staff * rng.uniform(0, 6000) if rnd() < 0.6 else 0.0
        if i in r11:
            stray_rate = rng.uniform(0.1, 0.4)
            strays = [
                "",
                "",
                rng.choice([a for a in area_codes if a[:4] != home[:4]]),
                rng.choice([a for a in area_codes if a != home]),
            ]
        else:
            stray_rate = 0.0
            strays = [home]
        n_strays = len(strays)
        done = 0
        union_staff = 0
        for part, target in (
            ("canteen", canteen_target),
            ("union", union_target),
            ("staff", staff_target),
        ):
            if target <= 0:
                continue
            yuan = target / 100
            if part == "canteen":
                n_year = max(2, min(200, round(2 + math.sqrt(yuan) / 8)))
            elif part == "union":
                n_year = max(1, min(16, round(1 + yuan / 2500)))
            else:
                n_year = max(1, min(60, round(yuan / 180)))
            pool = pools[part]
            plen = len(pool)
            clock = clocks[part]
            frac = fracs[part]
            expected = n_year * frac
            count = int(expected)
            if rnd() < expected - count:
                count += 1
            if not count:
                continue
            avg = target * frac / count
            is_canteen = part == "canteen"
            for _ in range(count):
                amount = int(avg * mults[bits(10)])
                if amount < 5000:
                    amount = 5000 + bits(12)
                elif amount > 5_000_000:
                    amount = 4_000_000 + bits(19)
                if not is_canteen and guard:
                    if union_staff + amount > budget:
                        continue
                    union_staff += amount
                placed = pool[int(rnd() * plen)] + clock[bits(10)]
                paid = received = completed = None
                r = rnd()
                if r < 0.028:
                    status = "cancelled"
                elif r < 0.04:
                    p = placed + pay_now[bits(10)]
                    if p < limit:
                        status = "refunded"
                        paid = ts[p]
                    else:
                        status = "cancelled"
                elif placed >= rush or r < 0.8:
                    if placed >= rush:
                        # Near the year's end units pay at once and confirm receipt promptly,
                        # or the purchase will not count (notice 二(三)).
                        pay, carry, accept = pay_now, deliver_fast, confirm_fast
                    else:
                        # Paid online at once or after a short approval, then delivered.
                        pay, carry, accept = pay_first, deliver, confirm
                    p = placed + pay[bits(10)]
                    rc = p + carry[bits(10)]
                    cm = rc + accept[bits(10)]
                    if cm < limit:
                        status = "completed"
                        paid, received, completed = ts[p], ts[rc], ts[cm]
                        done += amount
                    elif rc < limit:
                        status = "received"
                        paid, received = ts[p], ts[rc]
                    elif p + 720 < limit:
                        status = "shipped"
                        paid = ts[p]
                    elif p < limit:
                        status = "paid"
                        paid = ts[p]
                    else:
                        status = "pending_payment"
                else:
                    # Delivered first, paid once the reimbursement is approved (≤ 26 days).
                    rc = placed + deliver[bits(10)]
                    p = rc + pay_later[bits(10)]
                    cm = p + confirm_fast[bits(10)]
                    if cm < limit:
                        status = "completed"
                        paid, received, completed = ts[p], ts[rc], ts[cm]
                        done += amount
                    elif p < limit:
                        status = "received"
                        paid, received = ts[p], ts[rc]
                    elif rc < limit:
                        status = "pending_payment"
                        received = ts[rc]
                    else:
                        status = "pending_payment"
                area = strays[int(rnd() * n_strays)] if stray_rate and rnd() < stray_rate else home
                seq += 1 + bits(2)
                seqs_append(seq)
                placed_append(placed)
                append(
                    {
                        "id": f"{id_prefix}{seq:09d}",
                        "unit_code": code,
                        "year": year,
                        "placed_at": ts[placed],
                        "amount": amount,
                        "part": part,
                        "area_code": area,
                        "status": status,
                        "paid_at": paid,
                        "received_at": received,
                        "completed_at": completed,
                    }
                )
        ctx.seq = seq
        # A unit that declared no canteen buys for its staff: only R15's planted units buy
        # for a canteen they said they do not have.
        kitchen = "staff" if u.mode == "none" else "canteen"
        # Deliberate problems first, then the pace: extras may complete and count.
        if i in r10 and dt > unpaid_days + 1:
            for _ in range(rng.randint(1, 3)):
                day = dt - rng.randint(unpaid_days + 1, min(dt, unpaid_days + 120))
                _extra(ctx, code, day, home, rng.randint(20_000, 3_000_000), kitchen, "unpaid")
        if i in r12:
            # R12 counts the union's own purchases; staff buying for themselves does not.
            over = int(cap * rng.uniform(1.1, 1.5)) - _union_spend(ctx, start)
            while over > 0:
                amount = min(over + rng.randint(0, 50_000), rng.randint(2_000_000, 4_500_000))
                done += _extra(ctx, code, rng.randint(0, dt), home, amount, "union", "auto")
                over -= amount
        if i in r13:
            for _ in range(rng.randint(1, 2)):
                _extra(
                    ctx,
                    code,
                    max(0, dt - rng.randint(0, 3)),
                    home,
                    rng.randint(20_000, 800_000),
                    kitchen,
                    "open",
                )
        if i in r11 and not any(
            o["area_code"] != home and o["status"] not in ("cancelled", "refunded")
            for o in orders[start:]
        ):
            stray = next(
                (o for o in orders[start:] if o["status"] not in ("cancelled", "refunded")),
                None,
            )
            if stray is None:
                done += _extra(
                    ctx,
                    code,
                    rng.randint(0, dt),
                    "",
                    rng.randint(10_000, 500_000),
                    kitchen,
                    "auto",
                )
            else:
                stray["area_code"] = ""
        if i in r15:
            orders.extend(commitment_orders(ctx, code, home))
        reserved = u.filed_reserved
        need = share_of(reserved, pace)
        if filed and reserved and need:
            if i in r9:
                _fall_behind(ctx, start, done, need)
            elif done < need * 1.05 and dt >= 12:
                part = "canteen" if u.canteen_total else "union"
                _top_up(ctx, code, part, int(need * 1.08) - done, home, dt)
        u.orders_to = len(ctx.order_seqs)
    ctx.orders = []
    if orders:
        yield orders


def _day_pools(ctx: DemoContext, dt: int) -> tuple[dict[str, list[int]], dict[str, float]]:
    """Midnights (in minutes) to draw order days from, weighted by when units buy.

    Festival windows are fixed month-day spans (春节 falls in late Jan or Feb): close enough
    for the pace of a demo year.
    """
    ys = ctx.year_start
    weights: dict[str, list[int]] = {"canteen": [], "union": [], "staff": []}
    for d in range(ctx.days_in_year):
        day = ys + timedelta(days=d)
        md = (day.month, day.day)
        weekend = day.weekday() >= 5
        festival = (
            (1, 20) <= md <= (2, 8)
            or (3, 1) <= md <= (3, 8)
            or (6, 1) <= md <= (6, 9)
            or (9, 5) <= md <= (9, 30)
            or md >= (12, 15)
        )
        # Canteens stock up before the year's last days: late orders risk not counting.
        holiday = (2, 9) <= md <= (2, 17) or (7, 15) <= md <= (8, 20) or md >= (12, 22)
        weights["canteen"].append((2 if weekend else 10) // (2 if holiday else 1))
        weights["union"].append(12 if festival else 1)
        weights["staff"].append((8 if festival else 3) + (2 if weekend else 0))
    pools: dict[str, list[int]] = {}
    fracs: dict[str, float] = {}
    for part, ws in weights.items():
        pools[part] = [d * 1440 for d in range(dt + 1) for _ in range(ws[d])]
        fracs[part] = sum(ws[: dt + 1]) / sum(ws)
    return pools, fracs


def _extra(
    ctx: DemoContext, code: str, day: int, area: str, amount: int, part: str, kind: str
) -> int:
    """One order placed on purpose: "unpaid" (delivered, not paid), "open" (paid, on its
    way) or "auto" (whatever its age makes it). Returns the amount it adds to completed."""
    rng = ctx.rng
    ts = ctx.ts
    limit = ctx.limit
    placed = day * 1440 + rng.randint(480, 1140)
    placed = min(placed, limit - 30)
    paid = received = completed = None
    if kind == "unpaid":
        status = "pending_payment"
        rc = placed + rng.randint(2880, 8640)
        received = ts[rc] if rc < limit else None
    elif kind == "open":
        p = min(placed + rng.randint(5, 300), limit - 1)
        paid = ts[p]
        status = "shipped" if p + 720 < limit else "paid"
    else:
        p = placed + rng.randint(5, 600)
        rc = p + rng.randint(2880, 7200)
        cm = rc + rng.randint(60, 4320)
        if cm < limit:
            status, paid, received, completed = "completed", ts[p], ts[rc], ts[cm]
        elif p < limit:
            status, paid = "paid", ts[p]
        else:
            status = "pending_payment"
    ctx.seq += 1 + rng.getrandbits(2)
    ctx.order_seqs.append(ctx.seq)
    ctx.order_placed.append(placed)
    ctx.orders.append(
        {
            "id": ctx.order_id(ctx.seq),
            "unit_code": code,
            "year": ctx.year,
            "placed_at": ts[placed],
            "amount": amount,
            "part": part,
            "area_code": area,
            "status": status,
            "paid_at": paid,
            "received_at": received,
            "completed_at": completed,
        }
    )
    return amount if completed else 0


def _top_up(ctx: DemoContext, code: str, part: str, short: int, area: str, dt: int) -> None:
    """Completed orders old enough to be done, until the unit is on pace."""
    rng = ctx.rng
    while short > 0:
        amount = min(max(short, 5000) + rng.randint(0, 20_000), rng.randint(3_000_000, 5_000_000))
        _extra(ctx, code, rng.randint(0, dt - 12), area, amount, part, "auto")
        short -= amount


def _fall_behind(ctx: DemoContext, start: int, done: int, need: int) -> None:
    """Shrink a planted laggard's completed orders until it is clearly behind pace."""
    if done < need:
        return
    completed = [o for o in ctx.orders[start:] if o["status"] == "completed"]
    goal = need * ctx.rng.uniform(0.3, 0.7)
    factor = goal / done
    for o in completed:
        o["amount"] = max(5000, int(o["amount"] * factor))
    total = sum(o["amount"] for o in completed)
    for o in sorted(completed, key=lambda o: -o["amount"]):
        if total < need:
            break
        o["status"] = "refunded"
        o["completed_at"] = None
        total -= o["amount"]


def _union_spend(ctx: DemoContext, start: int) -> int:
    return sum(
        o["amount"]
        for o in ctx.orders[start:]
        if o["part"] == "union" and o["status"] not in ("cancelled", "refunded")
    )
