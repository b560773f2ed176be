"""Filings: each unit's plan (canteen and union totals and reservations), its status as of
today, and last year's filing to compare a decline with."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from specialist_tui.demo.context import DemoContext, DemoUnit, RecordJson, stamp
from specialist_tui.demo.planting import canteen_reserved, union_reserved
from specialist_tui.demo.vocabulary import CONTRACTOR_FORMS, CONTRACTOR_WORDS, DECLINE_REASONS


def build_filings(ctx: DemoContext, chunk: int) -> Iterator[list[RecordJson]]:
    """Each unit's filing this year and (most) last year's; handed out ``chunk`` units at a time."""
    rng = ctx.rng
    ri = ctx.ri
    policy = ctx.policy
    units = ctx.units
    planted = ctx.planted
    ys = ctx.year_start
    prev_start = date(ctx.year - 1, 1, 1)
    deadline = (ctx.filing_deadline - ys).days
    # A policy without a confirmation date: finance offices still confirm within days.
    confirm_by = ((policy.deadlines.confirmation or ctx.filing_deadline) - ys).days + 6
    dt = ctx.dt
    explained = set(rng.sample(range(ctx.n), round(ctx.n * 0.02)))
    filings: list[RecordJson] = []
    for i, u in enumerate(units):
        if i % chunk == 0 and filings:
            yield filings
            filings = []
        row = u.row
        code = row["code"]
        mode = u.mode
        # The plan: what the unit files when it files at all.
        if mode in ("own", "outsourced") or u.representative == i:
            diners = u.staff * u.meal + u.group_staff
            total_yuan = diners * rng.uniform(1500, 3200)
            total_yuan = max(10_000.0, min(5_000_000.0, total_yuan))
            u.canteen_total = round(total_yuan / 100) * 10_000
            u.canteen_reserved = canteen_reserved(ctx, u.canteen_total, i in planted["R3"])
        if u.union == "independent":
            u.union_total = max(1000, round(u.staff * rng.uniform(150, 450) / 100) * 100) * 100
            u.union_reserved = union_reserved(ctx, u.union_total, i in planted["R7"])
        # The status as of today.
        status = "confirmed"
        submit_day = ri(9, deadline) if rng.random() < 0.93 else ri(deadline + 1, deadline + 30)
        if submit_day <= deadline:
            confirm_day = ri(submit_day, max(submit_day, min(confirm_by, submit_day + 7)))
        else:
            confirm_day = submit_day + ri(1, 10)
        submit_minute = ri(8 * 60 + 30, 18 * 60)
        confirm_minute = ri(8 * 60 + 30, 18 * 60)
        if confirm_day == submit_day:
            confirm_minute = max(confirm_minute, submit_minute + ri(10, 120))
        if i in planted["R1"]:
            r = rng.random()
            if r < 0.25 and dt > 10:
                status = "returned"
                submit_day = ri(9, min(dt - 1, deadline + 20))
            else:
                status = "not_started" if r < 0.6 else "draft"
        elif submit_day > dt:
            status = "draft" if rng.random() < 0.6 else "not_started"
        elif i in planted["R2"] or confirm_day > dt:
            status = "submitted"
        u.status = status
        if i in ctx.no_filing:
            continue
        blank = status == "not_started"
        u.filed_reserved = 0 if blank else u.canteen_reserved + u.union_reserved
        filing = _filing_row(
            ctx,
            code,
            ctx.year,
            status,
            None if blank else mode,
            None if blank else u.union,
            None if blank else u,
            i,
        )
        if status in ("submitted", "confirmed", "returned"):
            filing["submitted_at"] = stamp(ys, submit_day * 1440 + submit_minute, ri(0, 59))
        if status == "confirmed":
            filing["confirmed_at"] = stamp(ys, confirm_day * 1440 + confirm_minute, ri(0, 59))
        if i in planted["R8"] or i in explained:
            # A drop against last year: last year's filing is drawn above this one.
            filing["decline_explained"] = i in explained and i not in planted["R8"]
            if filing["decline_explained"]:
                filing["decline_explanation"] = rng.choice(DECLINE_REASONS)
        filings.append(filing)
        if i not in ctx.no_prev:
            filings.append(
                _previous_filing(ctx, u, i, prev_start, i in planted["R8"] or i in explained)
            )
    if filings:
        yield filings


def _filing_row(
    ctx: DemoContext,
    code: str,
    year: int,
    status: str,
    mode: str | None,
    union: str | None,
    u: DemoUnit | None,
    i: int,
) -> RecordJson:
    rng = ctx.rng
    planted = ctx.planted
    row: RecordJson = {
        "unit_code": code,
        "year": year,
        "status": status,
        "canteen_mode": mode,
        "union_mode": union,
        "submitted_at": None,
        "confirmed_at": None,
        "canteen_total": 0,
        "canteen_reserved": 0,
        "contractor": "",
        "contract_clause": False,
        "executor": "",
        "executor_account_opened": False,
        "representative_code": None,
        "no_canteen_letter": "not_required",
        "union_total": 0,
        "union_reserved": 0,
        "decline_explained": False,
        "decline_explanation": "",
    }
    if u is None:
        return row
    row["canteen_total"] = u.canteen_total
    row["canteen_reserved"] = u.canteen_reserved
    row["union_total"] = u.union_total
    row["union_reserved"] = u.union_reserved
    if mode == "outsourced":
        contractor = rng.choice(CONTRACTOR_FORMS).format(w=rng.choice(CONTRACTOR_WORDS))
        row["contractor"] = contractor
        row["contract_clause"] = True
        row["executor"] = contractor
        row["executor_account_opened"] = True
        if year == ctx.year and i in planted["R4"]:
            gap = rng.randrange(3)
            if gap == 0:
                row["contract_clause"] = False
            elif gap == 1:
                row["executor"] = ""
                row["executor_account_opened"] = False
            else:
                row["executor_account_opened"] = False
    elif mode == "shared":
        rep = u.representative
        orphan = year == ctx.year and i in planted["R5_orphan"]
        if rep is not None and not orphan:
            row["representative_code"] = ctx.units[rep].row["code"]
    elif mode == "none" and u.row["level"] == "provincial":
        letter = "verified"
        if year == ctx.year and i in planted["R6"]:
            letter = rng.choice(("missing", "stamped", "rejected"))
        row["no_canteen_letter"] = letter
        if year == ctx.year:
            ctx.letters[i] = letter
    return row


def _previous_filing(
    ctx: DemoContext, u: DemoUnit, i: int, prev_start: date, declined: bool
) -> RecordJson:
    """Last year's filing: at or below this year's plan unless this year is a drop."""
    rng = ctx.rng
    ri = ctx.ri
    row = _filing_row(ctx, u.row["code"], ctx.year - 1, "confirmed", u.mode, u.union, u, i)
    total, reserved = u.canteen_total, u.canteen_reserved
    union_total, union_reserved = u.union_total, u.union_reserved
    if declined:
        if reserved:
            total = round(total * rng.uniform(0.95, 1.2) / 10_000) * 10_000
            reserved = min(total, round(reserved * rng.uniform(1.1, 1.4) / 100) * 100)
        else:
            union_reserved = min(
                union_total, union_reserved + max(100, union_reserved // 400 * 100)
            )
    else:
        if total:
            total = round(total * rng.uniform(0.8, 1.0) / 10_000) * 10_000
            # Never a higher share nor a higher amount than this year's.
            reserved = min(reserved, reserved * total // u.canteen_total // 100 * 100)
        if union_reserved:
            union_total = round(union_total * rng.uniform(0.8, 1.0) / 10_000) * 10_000
            # R8 checks the union's share too: never higher last year either.
            union_reserved = min(
                union_reserved, union_reserved * union_total // u.union_total // 100 * 100
            )
    row["canteen_total"], row["canteen_reserved"] = total, reserved
    row["union_total"], row["union_reserved"] = union_total, union_reserved
    if row["no_canteen_letter"] != "not_required":
        row["no_canteen_letter"] = "verified"
    submit_day = ri(9, 58)
    submitted = submit_day * 1440 + ri(510, 1080)
    row["submitted_at"] = stamp(prev_start, submitted, ri(0, 59))
    if rng.random() < 0.97:
        row["confirmed_at"] = stamp(prev_start, submitted + ri(1, 9) * 1440, ri(0, 59))
    else:
        row["status"] = "submitted"
    return row
