"""Which units get which problem, and the reservation ratios that make R3 and R7 fire.

Every rule R1–R14 is planted on a few percent of the units so that every flag shows up (R15 in
letters.py); most units stay clean. The stages then read ``ctx.planted`` as they draw each unit's
records.
"""

from __future__ import annotations

import math
from fractions import Fraction

from specialist_tui.demo.context import DemoContext
from specialist_tui.domain.money import below_ratio


def plant(ctx: DemoContext) -> None:
    """Choose the units each rule will flag (ctx.planted), a few percent per rule."""
    rng = ctx.rng
    n = ctx.n
    units = ctx.units
    floor = 3 if n >= 200 else 0

    def pick(name: str, eligible: list[int], rate: float) -> set[int]:
        k = min(len(eligible), max(floor, round(rate * n)))
        chosen = set(rng.sample(eligible, k))
        ctx.planted[name] = chosen
        return chosen

    everyone = list(range(n))
    reps = {u.representative for u in units if u.representative is not None}
    # R5: a group whose representative has not filed, and a few members naming nobody.
    group_members: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        if u.representative is not None and u.representative != i:
            group_members.setdefault(u.representative, []).append(i)
    lagging_reps: set[int] = set()
    target = max(floor, round(0.012 * n))
    covered = 0
    for rep in rng.sample(sorted(group_members), len(group_members)):
        if covered >= target:
            break
        lagging_reps.add(rep)
        covered += len(group_members[rep])
    members = [i for i, u in enumerate(units) if u.representative not in (None, i)]
    orphans = pick("R5_orphan", members, 0.003)
    ctx.planted["R5"] = lagging_reps | orphans
    unfiled = pick("R1", [i for i in everyone if i not in reps], 0.045)
    unfiled |= lagging_reps
    ctx.planted["R1"] = unfiled
    filed = [i for i in everyone if i not in unfiled]
    pick("R2", filed, 0.03)
    pick("R3", [i for i in everyone if units[i].mode in ("own", "outsourced")], 0.03)
    pick("R4", [i for i in everyone if units[i].mode == "outsourced"], 0.025)
    provincial = [i for i in everyone if units[i].row["level"] == "provincial"]
    for i in pick("R6", [i for i in provincial if i not in reps], 0.004):
        u = units[i]
        if u.representative is not None:
            units[u.representative].group_staff -= u.staff
        u.mode, u.representative = "none", None
    pick("R7", [i for i in everyone if units[i].union == "independent"], 0.03)
    reserves = [
        i
        for i in filed
        if units[i].mode in ("own", "outsourced")
        or units[i].representative == i
        or units[i].union == "independent"
    ]
    pick("R8", reserves, 0.03)
    laggards = pick("R9", filed, 0.05)
    pick("R10", everyone, 0.04)
    pick("R11", everyone, 0.10)
    # Shrinking a laggard's spend could undo an overspend, so the two stay apart.
    pick("R12", [i for i in everyone if units[i].staff <= 300 and i not in laggards], 0.02)
    pick("R13", everyone, 0.03)
    pick("R14", everyone, 0.05)
    # New units have no filing last year; those planted on R8 and representatives do.
    ctx.no_prev = {i for i in everyone if rng.random() < 0.07} - ctx.planted["R8"] - reps
    ctx.no_filing = {i for i in unfiled - lagging_reps if rng.random() < 0.3}


def canteen_reserved(ctx: DemoContext, total: int, short: bool) -> int:
    """A canteen reservation below the ratio if ``short`` (R3), else at or above it."""
    rng = ctx.rng
    # Planted cases sit around the policy's floor, whatever it is.
    floor = ctx.policy.min_canteen
    if short:
        return _share_below(total, float(floor) * rng.uniform(0.73, 0.993), floor)
    ratio = float(floor) + (
        rng.uniform(0, 0.006) if rng.random() < 0.4 else rng.uniform(0.006, 0.15)
    )
    return _share_at_least(total, ratio, floor)


def union_reserved(ctx: DemoContext, total: int, short: bool) -> int:
    """A union reservation below the ratio if ``short`` (R7), else at or above it."""
    rng = ctx.rng
    floor = ctx.policy.min_union
    if short:
        return _share_below(total, float(floor) * rng.uniform(0.33, 0.993), floor)
    return _share_at_least(total, rng.uniform(float(floor), float(floor) + 0.35), floor)


def _share_at_least(total: int, ratio: float, floor: Fraction) -> int:
    """Whole yuan, at least ``ratio`` and at least ``floor`` of ``total`` fen, at most all."""
    reserved = math.ceil(total * ratio / 100) * 100
    while below_ratio(reserved, total, floor):
        reserved += 100
    return min(total, reserved)


def _share_below(total: int, ratio: float, floor: Fraction) -> int:
    """Whole yuan, about ``ratio`` and strictly below ``floor`` of ``total`` fen."""
    reserved = math.floor(total * ratio / 100) * 100
    while not below_ratio(reserved, total, floor) and reserved > 0:
        reserved -= 100
    return reserved
