"""The demo generator: one seeded ``random.Random`` builds every row, in a fixed order.

Everything comes from that generator (no clock, no uuid4). Each rule R1–R14 is planted on a few
percent of the units so that every flag shows up; most units stay clean.
"""

from __future__ import annotations

import functools
import gc
import itertools
import math
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from specialist_tui.demo.kinds import (
    DEPT_SHARE,
    DEPTS,
    KINDS,
    LEVELS,
    MODE_NAMES,
    Kind,
    Modes,
    office_kind,
)
from specialist_tui.demo.places import (
    CENTERS,
    COUNTIES,
    LEAD,
    MORE_ROADS,
    PREFECTURES,
    PROVINCE_AREA,
    REGIONS,
    ROADS,
    SPECIALISTS,
    VILLAGE_HEAD,
    VILLAGE_TAIL,
    VILLAGE_TIBETAN,
)
from specialist_tui.demo.vocabulary import (
    ACTIONS,
    CONTRACTOR_FORMS,
    CONTRACTOR_WORDS,
    DECLINE_REASONS,
    GIVEN_1,
    GIVEN_2,
    MOBILE_PREFIXES,
    NOTES,
    OUTCOME_CUM,
    OUTCOMES,
    PRIORITIES,
    PRIORITY_CUM,
    RULE_TOPICS,
    SURNAME_CUM,
    SURNAMES,
    TIBETAN_A,
    TIBETAN_B,
    TICKET_COMMENTS,
    TICKET_PATHS,
    TICKETS,
    TOPICS,
)
from specialist_tui.domain.enums import ContactRole, TicketPriority
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.money import below_ratio, percent, share_of
from specialist_tui.domain.policy import Policy

Row = dict[str, Any]


@dataclass
class DemoData:
    """Storage-format rows for every table, and the id of the user the demo runs as."""

    centers: list[Row]
    specialists: list[Row]
    units: list[Row]
    filings: list[Row]
    orders: list[Row]
    calls: list[Row]
    tickets: list[Row]
    ticket_events: list[Row]
    user_id: str


# -- small helpers ------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def _ordinal(n: int) -> str:
    """一 … 三十 as schools are numbered; beyond that numbering turns Arabic (第37幼儿园)."""
    if n > 30:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def _town_short(town: str) -> str:
    for suffix in ("街道", "蒙古族乡", "藏族乡", "回族乡", "土族乡", "镇", "乡"):
        if town.endswith(suffix) and len(town) > len(suffix) + 1:
            return town[: -len(suffix)]
    return town


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` by largest remainder: exact and stable."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@functools.lru_cache(maxsize=4096)
def _day_iso(base: date, days: int) -> str:
    return (base + timedelta(days=days)).isoformat()


def _stamp(base: date, minute: int, second: int = 0) -> str:
    """ISO-8601 Beijing time, ``minute`` minutes after midnight starting ``base``."""
    days, minute = divmod(minute, 1440)
    return f"{_day_iso(base, days)}T{minute // 60:02d}:{minute % 60:02d}:{second:02d}+08:00"


@dataclass(slots=True)
class _Place:
    level: str
    prefix: str
    division: str
    area_code: str
    specialist: str
    tibetan: float
    towns: tuple[str, ...] = ()
    roads: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    more_areas: tuple[str, ...] = ()  # extra areas to number within, beyond roads and regions
    villages: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class _Unit:
    row: Row
    place: int
    kind: str
    town: str | None
    staff: int
    meal: float
    modes: Modes
    mode: str = "own"
    union: str = "independent"
    representative: int | None = None  # index of the unit filing for a shared canteen
    group_staff: int = 0  # staff of a shared group, counted on its representative
    canteen_total: int = 0
    canteen_reserved: int = 0
    union_total: int = 0
    union_reserved: int = 0
    status: str = "confirmed"
    filed_reserved: int = 0  # canteen + union reserved as the current filing row shows it
    orders_from: int = 0
    orders_to: int = 0


# -- the generator ------------------------------------------------------------------------------


def generate(units: int, today: date, policy: Policy, seed: int = 832) -> DemoData:
    """A demo data set of ``units`` budget units, as it would stand on ``today``."""
    if units < 1:
        raise ValueError("units must be at least 1")
    rng = random.Random(f"832-demo:{seed}:{today.isoformat()}:{units}")
    builder = _Builder(rng, units, today, policy)
    # Millions of fresh dicts and no reference cycles: the cyclic collector would only rescan
    # them again and again (about a quarter of the time at 100k units).
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder.build_units()
        builder.assign_modes()
        builder.plant()
        builder.build_filings()
        builder.build_orders()
        builder.build_calls()
        builder.build_tickets()
    finally:
        if collecting:
            gc.enable()
    centers = [
        {
            "code": code,
            "name": name,
            "area_codes": ([PROVINCE_AREA] if code == "QH01" else [])
            + [p[2] for p in PREFECTURES if p[2].startswith(code)],
        }
        for code, name in CENTERS
    ]
    return DemoData(
        centers=centers,
        specialists=builder.specialists,
        units=[u.row for u in builder.units],
        filings=builder.filings,
        orders=builder.orders,
        calls=builder.calls,
        tickets=builder.tickets,
        ticket_events=builder.events,
        user_id=LEAD,
    )


class _Builder:
    def __init__(self, rng: random.Random, n: int, today: date, policy: Policy) -> None:
        self.rng = rng
        self.n = n
        self.today = today
        # A policy may set no filing date; the demo's units still file in the first weeks.
        self.filing_deadline = policy.deadlines.filing or date(policy.year, 2, 20)
        # Calls and tickets quote the policy's own ratios.
        self.ratio_words = {"rc": percent(policy.min_canteen), "ru": percent(policy.min_union)}
        self.policy = policy
        self.year = policy.year
        self.year_start = policy.year_start
        self.days_in_year = (policy.year_end - policy.year_start).days + 1
        # Day index of today in the policy year; negative before it starts.
        self.dt = (today - self.year_start).days
        self.units: list[_Unit] = []
        self.places: list[_Place] = []
        self.filings: list[Row] = []
        self.orders: list[Row] = []
        self.calls: list[Row] = []
        self.tickets: list[Row] = []
        self.events: list[Row] = []
        self.planted: dict[str, set[int]] = {}
        self.no_prev: set[int] = set()
        self.no_filing: set[int] = set()
        self.ticket_due: set[int] = set()
        self.ts: list[str] = []  # ISO stamps of every minute from Jan 1 to the end of today
        self.limit = 0  # the first minute after today, as an index into ts
        self.seq = 0
        self.used_phones: set[str] = set()
        self.specialists = [
            {"id": sid, "name": name, "phone": self.phone(), "center_code": center, "role": role}
            for sid, name, center, role in SPECIALISTS
        ]

    # -- people -----------------------------------------------------------------------------

    def ri(self, low: int, high: int) -> int:
        """randint(low, high) at a fraction of its cost; the bias of a float draw is nil here."""
        return low + int(self.rng.random() * (high - low + 1))

    def pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.rng.random() * len(seq))]

    def phone(self) -> str:
        rnd = self.rng.random
        while True:
            number = self.pick(MOBILE_PREFIXES) + f"{int(rnd() * 100_000_000):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def person(self, tibetan: float) -> str:
        rng = self.rng
        pick = self.pick
        if rng.random() < tibetan:
            first, second = pick(TIBETAN_A), pick(TIBETAN_B)
            # 拉毛 + 毛 would stutter.
            return first if second[:1] == first[-1] else first + second
        surname = rng.choices(SURNAMES, cum_weights=SURNAME_CUM)[0]
        if rng.random() < 0.6:
            return surname + pick(GIVEN_1) + pick(GIVEN_2)
        return surname + pick(GIVEN_2)

    # -- units ------------------------------------------------------------------------------

    def build_places(self) -> list[int]:
        """The province, prefectures and counties, and how many units each one gets."""
        n = self.n
        provincial = round(n * 0.05)
        prefecture = round(n * 0.20)
        county = n - provincial - prefecture
        places = self.places
        places.append(
            _Place(
                "provincial",
                "青海省",
                "630000",
                PROVINCE_AREA,
                LEAD,
                0.12,
                regions=tuple(REGIONS),
            )
        )
        quotas = [provincial]
        pref_quotas = _allocate(prefecture, [p[4] for p in PREFECTURES])
        by_division = {}
        for (division, name, area, specialist, _w, tibetan), quota in zip(
            PREFECTURES, pref_quotas, strict=True
        ):
            by_division[division] = (area, specialist, tibetan)
            places.append(
                _Place(
                    "prefecture",
                    name,
                    division,
                    area,
                    specialist,
                    tibetan,
                    roads=ROADS,
                    more_areas=MORE_ROADS,
                )
            )
            quotas.append(quota)
        # Every county has its offices whatever its size, hence the constant in the weight.
        county_quotas = _allocate(county, [8 + c[2] for c in COUNTIES])
        for (division, prefix, _pop, specialist, towns), quota in zip(
            COUNTIES, county_quotas, strict=True
        ):
            area, pref_specialist, tibetan = by_division[division[:4] + "00"]
            all_towns = tuple(towns.split())
            urban = prefix.startswith("西宁市城")
            places.append(
                _Place(
                    "county",
                    prefix,
                    division,
                    area,
                    specialist or pref_specialist,
                    tibetan,
                    towns=all_towns,
                    roads=ROADS[:18] if urban else (),
                )
            )
            quotas.append(quota)
        return quotas

    def build_units(self) -> None:
        rng = self.rng
        used_names: set[str] = set()
        used_orgs: set[str] = set()
        for index, quota in enumerate(self.build_places()):
            if quota <= 0:
                continue
            place = self.places[index]
            level = place.level
            at_level = 1 + LEVELS.index(level)
            candidates = [d for d in DEPTS if d[at_level]]
            n_depts = max(1, min(len(candidates), round(quota * DEPT_SHARE[level])))
            depts: dict[str, int] = {}
            dept_names: dict[str, str] = {}
            for dept in candidates[:n_depts]:
                key, parent = dept[0], dept[4]
                name = place.prefix + str(dept[at_level])
                office = office_kind(key, parent, level)
                sup = depts.get(parent) if parent else None
                depts[key] = self.add_unit(place, index, office, None, name, 1.0, sup, used_orgs)
                dept_names[key] = name
                used_names.add(name)
            kinds = [k for k in KINDS[level] if k.dept is None or k.dept in depts]
            cum = list(itertools.accumulate(k.weight for k in kinds))
            generators = {k.key: self.names(k, place, dept_names) for k in kinds}
            made = n_depts
            while made < quota:
                kind = rng.choices(kinds, cum_weights=cum)[0]
                try:
                    name, town, scale = next(generators[kind.key])
                except StopIteration:
                    kinds.remove(kind)
                    cum = list(itertools.accumulate(k.weight for k in kinds))
                    continue
                if name in used_names:
                    continue
                used_names.add(name)
                sup = depts[kind.dept] if kind.dept else None
                self.add_unit(place, index, kind, town, name, scale, sup, used_orgs)
                made += 1

    def add_unit(
        self,
        place: _Place,
        place_index: int,
        kind: Kind,
        town: str | None,
        name: str,
        scale: float,
        supervisor: int | None,
        used_orgs: set[str],
    ) -> int:
        rnd = self.rng.random
        lo, hi = kind.staff
        # Skewed towards small: most units of a kind are modest, a few are big.
        staff = max(10, min(3000, int((lo + (hi - lo) * rnd() ** 1.6) * scale)))
        while True:
            # Agencies' old organisation codes mostly start with 0, institutions' with 4.
            org8 = ("0" if kind.org == "11" else "4") + f"{int(rnd() * 10_000_000):07d}"
            if org8 not in used_orgs:
                used_orgs.add(org8)
                break
        code = make_credit_code(kind.org + place.division, org8)
        roles = ["finance"] + [r for r in ("head", "canteen", "union") if rnd() < 0.45]
        contacts = [
            {"name": self.person(place.tibetan), "role": r, "phone": self.phone()} for r in roles
        ]
        sup_row = self.units[supervisor].row if supervisor is not None else None
        row = {
            "code": code,
            "name": name,
            "supervisor_code": sup_row["code"] if sup_row else None,
            "supervisor_name": sup_row["name"] if sup_row else "",
            "level": place.level,
            "division_code": place.division,
            "area_code": place.area_code,
            "specialist_id": place.specialist,
            "contacts": contacts,
            "staff_count": staff,
        }
        self.units.append(_Unit(row, place_index, kind.key, town, staff, kind.meal, kind.modes))
        return len(self.units) - 1

    def names(
        self, kind: Kind, place: _Place, dept_names: dict[str, str]
    ) -> Iterator[tuple[str, str | None, float]]:
        """A kind's unit names at a place, most prominent first; some kinds never run out."""
        tcm = "藏医院" if place.tibetan > 0.5 else "中医院"
        d = dept_names.get(kind.dept or "", "")
        p = place.prefix
        towns = [t for t in place.towns if not t.endswith("街道")]
        streets = [t for t in place.towns if t.endswith("街道")]
        for stage in kind.stages:
            form = stage[0]
            if form == "one":
                for template in stage[1]:
                    yield template.format(p=p, tcm=tcm, d=d), None, stage[2]
            elif form in ("town", "street"):
                for t in towns if form == "town" else streets:
                    yield stage[1].format(p=p, t=t, ts=_town_short(t)), t, stage[2]
            elif form == "road":
                for r in place.roads:
                    yield stage[1].format(p=p, r=r), None, stage[2]
            elif form == "region":
                for rg in place.regions:
                    yield stage[1].format(d=d, rg=rg), None, stage[2]
            elif form == "village":
                lists = [(t, self.villages(place, t)) for t in towns]
                for i in range(max((len(v) for _t, v in lists), default=0)):
                    for t, villages in lists:
                        if i < len(villages):
                            yield stage[1].format(p=p, t=t, v=villages[i]), t, stage[2]
            elif form == "num":
                _form, template, first, last, scale = stage
                for number in range(first, last + 1):
                    yield template.format(p=p, n=_ordinal(number)), None, scale
            else:
                areas: list[tuple[str, str | None]] = [(t, t) for t in towns]
                areas += [(_town_short(t), t) for t in streets]
                areas += [(r, None) for r in place.more_areas or (*place.roads, *place.regions)]
                for number in itertools.count(1):
                    n = _ordinal(number)
                    for a, town in areas:
                        yield stage[1].format(p=p, d=d, a=a, n=n), town, stage[2]

    def villages(self, place: _Place, town: str) -> list[str]:
        if town not in place.villages:
            rng = self.rng
            if place.tibetan > 0.5:
                pool = [v + "村" for v in VILLAGE_TIBETAN]
            else:
                pool = [h + t + "村" for h in VILLAGE_HEAD for t in VILLAGE_TAIL]
            place.villages[town] = rng.sample(pool, rng.randint(6, 14))
        return place.villages[town]

    # -- canteen modes and shared groups ----------------------------------------------------

    def assign_modes(self) -> None:
        rng = self.rng
        units = self.units
        groups: dict[tuple[int, str | None], list[int]] = {}
        local: dict[tuple[int, str | None], list[int]] = {}
        for i, u in enumerate(units):
            u.mode = rng.choices(MODE_NAMES, u.modes)[0]
            small = u.staff < 15
            u.union = "none" if rng.random() < (0.45 if small else 0.12) else "independent"
            key = (u.place, u.town)
            local.setdefault(key, []).append(i)
            if u.mode == "shared":
                groups.setdefault(key, []).append(i)

        # The compound's canteen is run by the 机关事务 center or the government office; a
        # town's by the town government.
        def rank(i: int) -> int:
            u = units[i]
            if u.kind == "jiguan" or u.row["name"].endswith("机关事务服务中心"):
                return 0
            return {"gov": 1, "town_gov": 2}.get(u.kind, 3)

        for key, members in groups.items():
            rep = min(local[key], key=lambda i: (rank(i), i))
            if rank(rep) == 3:
                rep = members[0]
            others = [i for i in members if i != rep]
            if not others:
                units[rep].mode = "own"
                continue
            units[rep].mode = "shared"
            units[rep].representative = rep
            for i in others:
                units[i].representative = rep
                units[rep].group_staff += units[i].staff

    # -- which units get which problem ------------------------------------------------------

    def plant(self) -> None:
        rng = self.rng
        n = self.n
        units = self.units
        floor = 3 if n >= 200 else 0

        def pick(name: str, eligible: list[int], rate: float) -> set[int]:
            k = min(len(eligible), max(floor, round(rate * n)))
            chosen = set(rng.sample(eligible, k))
            self.planted[name] = chosen
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
        self.planted["R5"] = lagging_reps | orphans
        unfiled = pick("R1", [i for i in everyone if i not in reps], 0.045)
        unfiled |= lagging_reps
        self.planted["R1"] = unfiled
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
        self.no_prev = {i for i in everyone if rng.random() < 0.07} - self.planted["R8"] - reps
        self.no_filing = {i for i in unfiled - lagging_reps if rng.random() < 0.3}

    # -- filings ----------------------------------------------------------------------------

    def build_filings(self) -> None:
        rng = self.rng
        ri = self.ri
        policy = self.policy
        units = self.units
        planted = self.planted
        ys = self.year_start
        prev_start = date(self.year - 1, 1, 1)
        deadline = (self.filing_deadline - ys).days
        # A policy without a confirmation date: finance offices still confirm within days.
        confirm_by = ((policy.deadlines.confirmation or self.filing_deadline) - ys).days + 6
        dt = self.dt
        explained = set(rng.sample(range(self.n), round(self.n * 0.02)))
        for i, u in enumerate(units):
            row = u.row
            code = row["code"]
            mode = u.mode
            # The plan: what the unit files when it files at all.
            if mode in ("own", "outsourced") or u.representative == i:
                diners = u.staff * u.meal + u.group_staff
                total_yuan = diners * rng.uniform(1500, 3200)
                total_yuan = max(10_000.0, min(5_000_000.0, total_yuan))
                u.canteen_total = round(total_yuan / 100) * 10_000
                # Planted cases sit around the policy's floor, whatever it is.
                floor = policy.min_canteen
                if i in planted["R3"]:
                    ratio = float(floor) * rng.uniform(0.73, 0.993)
                    u.canteen_reserved = _share_below(u.canteen_total, ratio, floor)
                else:
                    ratio = float(floor) + (
                        rng.uniform(0, 0.006) if rng.random() < 0.4 else rng.uniform(0.006, 0.15)
                    )
                    u.canteen_reserved = _share_at_least(u.canteen_total, ratio, floor)
            if u.union == "independent":
                u.union_total = max(1000, round(u.staff * rng.uniform(150, 450) / 100) * 100) * 100
                floor = policy.min_union
                if i in planted["R7"]:
                    ratio = float(floor) * rng.uniform(0.33, 0.993)
                    u.union_reserved = _share_below(u.union_total, ratio, floor)
                else:
                    ratio = rng.uniform(float(floor), float(floor) + 0.35)
                    u.union_reserved = _share_at_least(u.union_total, ratio, floor)
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
            if i in self.no_filing:
                continue
            blank = status == "not_started"
            u.filed_reserved = 0 if blank else u.canteen_reserved + u.union_reserved
            filing = self.filing_row(
                code,
                self.year,
                status,
                None if blank else mode,
                None if blank else u.union,
                None if blank else u,
                i,
            )
            if status in ("submitted", "confirmed", "returned"):
                filing["submitted_at"] = _stamp(ys, submit_day * 1440 + submit_minute, ri(0, 59))
            if status == "confirmed":
                filing["confirmed_at"] = _stamp(ys, confirm_day * 1440 + confirm_minute, ri(0, 59))
            if i in planted["R8"] or i in explained:
                # A drop against last year: last year's filing is drawn above this one.
                filing["decline_explained"] = i in explained and i not in planted["R8"]
                if filing["decline_explained"]:
                    filing["decline_explanation"] = rng.choice(DECLINE_REASONS)
            self.filings.append(filing)
            if i not in self.no_prev:
                self.filings.append(
                    self.previous_filing(u, i, prev_start, i in planted["R8"] or i in explained)
                )

    def filing_row(
        self,
        code: str,
        year: int,
        status: str,
        mode: str | None,
        union: str | None,
        u: _Unit | None,
        i: int,
    ) -> Row:
        rng = self.rng
        planted = self.planted
        row: Row = {
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
            if year == self.year and i in planted["R4"]:
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
            orphan = year == self.year and i in planted["R5_orphan"]
            if rep is not None and not orphan:
                row["representative_code"] = self.units[rep].row["code"]
        elif mode == "none" and u.row["level"] == "provincial":
            letter = "verified"
            if year == self.year and i in planted["R6"]:
                letter = rng.choice(("missing", "submitted", "rejected"))
            row["no_canteen_letter"] = letter
        return row

    def previous_filing(self, u: _Unit, i: int, prev_start: date, declined: bool) -> Row:
        """Last year's filing: at or below this year's plan unless this year is a drop."""
        rng = self.rng
        ri = self.ri
        row = self.filing_row(u.row["code"], self.year - 1, "confirmed", u.mode, u.union, u, i)
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
        row["submitted_at"] = _stamp(prev_start, submitted, ri(0, 59))
        if rng.random() < 0.97:
            row["confirmed_at"] = _stamp(prev_start, submitted + ri(1, 9) * 1440, ri(0, 59))
        else:
            row["status"] = "submitted"
        return row

    # -- orders -----------------------------------------------------------------------------

    def build_orders(self) -> None:
        dt = min(self.dt, self.days_in_year - 1)
        if dt < 0:
            return
        rng = self.rng
        rnd = rng.random
        bits = rng.getrandbits
        policy = self.policy
        ys = self.year_start
        year = self.year
        units = self.units
        planted = self.planted
        limit = (dt + 1) * 1440  # first minute after today
        prefixes = [(ys + timedelta(days=d)).isoformat() + "T" for d in range(dt + 1)]
        suffixes = [f"{h:02d}:{m:02d}:00+08:00" for h in range(24) for m in range(60)]
        ts = [p + s for p in prefixes for s in suffixes]
        self.ts = ts
        self.limit = limit
        pools, fracs = self.day_pools(dt)
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
        pace = policy.pace_share(self.today)
        area_codes = [p[2] for p in PREFECTURES] + [PROVINCE_AREA]
        cap_per_head = policy.staff_allowance_fen
        orders = self.orders
        append = orders.append
        self.seq = rng.randrange(10_000, 90_000)
        r9, r10, r11, r12, r13 = (planted[r] for r in ("R9", "R10", "R11", "R12", "R13"))
        unpaid_days = policy.purchasing.unpaid_days
        # From a fortnight before the year-end window, specialists chase completion.
        rush = ((policy.year_end_window_start - ys).days - 15) * 1440
        for i, u in enumerate(units):
            row = u.row
            code = row["code"]
            home = row["area_code"]
            start = len(orders)
            u.orders_from = start
            seq = self.seq
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
                    elif placed >= rush:
                        # Near the year's end units pay at once and confirm receipt promptly,
                        # or the purchase will not count (notice 二(三)).
                        p = placed + pay_now[bits(10)]
                        rc = p + deliver_fast[bits(10)]
                        cm = rc + confirm_fast[bits(10)]
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
                    elif r < 0.8:
                        # Paid online at once or after a short approval, then delivered.
                        p = placed + pay_first[bits(10)]
                        rc = p + deliver[bits(10)]
                        cm = rc + confirm[bits(10)]
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
                    if stray_rate and rnd() < stray_rate:
                        area = strays[int(rnd() * n_strays)]
                    else:
                        area = home
                    seq += 1 + bits(2)
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
            self.seq = seq
            # Deliberate problems first, then the pace: extras may complete and count.
            if i in r10 and dt > unpaid_days + 1:
                for _ in range(rng.randint(1, 3)):
                    day = dt - rng.randint(unpaid_days + 1, min(dt, unpaid_days + 120))
                    self.extra(code, day, home, rng.randint(20_000, 3_000_000), "canteen", "unpaid")
            if i in r12:
                # R12 counts the union's own purchases; staff buying for themselves does not.
                over = int(cap * rng.uniform(1.1, 1.5)) - self.union_spend(start)
                while over > 0:
                    amount = min(over + rng.randint(0, 50_000), rng.randint(2_000_000, 4_500_000))
                    done += self.extra(code, rng.randint(0, dt), home, amount, "union", "auto")
                    over -= amount
            if i in r13:
                for _ in range(rng.randint(1, 2)):
                    self.extra(
                        code,
                        max(0, dt - rng.randint(0, 3)),
                        home,
                        rng.randint(20_000, 800_000),
                        "canteen",
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
                    done += self.extra(
                        code,
                        rng.randint(0, dt),
                        "",
                        rng.randint(10_000, 500_000),
                        "canteen",
                        "auto",
                    )
                else:
                    stray["area_code"] = ""
            reserved = u.filed_reserved
            need = share_of(reserved, pace)
            if filed and reserved and need:
                if i in r9:
                    self.fall_behind(start, done, need)
                elif done < need * 1.05 and dt >= 12:
                    part = "canteen" if u.canteen_total else "union"
                    self.top_up(code, part, int(need * 1.08) - done, home, dt)
            u.orders_to = len(orders)

    def day_pools(self, dt: int) -> tuple[dict[str, list[int]], dict[str, float]]:
        """Midnights (in minutes) to draw order days from, weighted by when units buy.

        Festival windows are fixed month-day spans (春节 falls in late Jan or Feb): close enough
        for the pace of a demo year.
        """
        ys = self.year_start
        weights: dict[str, list[int]] = {"canteen": [], "union": [], "staff": []}
        for d in range(self.days_in_year):
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

    def extra(self, code: str, day: int, area: str, amount: int, part: str, kind: str) -> int:
        """One order placed on purpose: "unpaid" (delivered, not paid), "open" (paid, on its
        way) or "auto" (whatever its age makes it). Returns the amount it adds to completed."""
        rng = self.rng
        ts = self.ts
        limit = self.limit
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
        self.seq += 1 + rng.getrandbits(2)
        self.orders.append(
            {
                "id": f"832-{self.year}-{self.seq:09d}",
                "unit_code": code,
                "year": self.year,
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

    def top_up(self, code: str, part: str, short: int, area: str, dt: int) -> None:
        """Completed orders old enough to be done, until the unit is on pace."""
        rng = self.rng
        while short > 0:
            amount = min(
                max(short, 5000) + rng.randint(0, 20_000), rng.randint(3_000_000, 5_000_000)
            )
            self.extra(code, rng.randint(0, dt - 12), area, amount, part, "auto")
            short -= amount

    def fall_behind(self, start: int, done: int, need: int) -> None:
        """Shrink a planted laggard's completed orders until it is clearly behind pace."""
        if done < need:
            return
        completed = [o for o in self.orders[start:] if o["status"] == "completed"]
        goal = need * self.rng.uniform(0.3, 0.7)
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

    def union_spend(self, start: int) -> int:
        return sum(
            o["amount"]
            for o in self.orders[start:]
            if o["part"] == "union" and o["status"] not in ("cancelled", "refunded")
        )

    # -- calls ------------------------------------------------------------------------------

    def build_calls(self) -> None:
        rng = self.rng
        rnd = rng.random
        ri = self.ri
        pick = self.pick
        dt = self.dt
        last_day = dt - 1
        first_day = max(0, dt - 365)
        if last_day < first_day:
            return
        ys = self.year_start
        planted = self.planted
        due = set(rng.sample(sorted(planted["R14"]), len(planted["R14"]) // 2))
        self.ticket_due = planted["R14"] - due
        topic_sets = [(planted[rule], topic) for rule, topic in RULE_TOPICS]
        deadline = self.filing_deadline
        dl = f"{deadline.month}月{deadline.day}日"
        for i, u in enumerate(self.units):
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
                            c=contact["name"], y=self.year, dl=dl, **self.ratio_words
                        )
                        action = ACTIONS[topics[0]]
                    end = second + duration
                    ended = _stamp(ys, minute + end // 60, end % 60)
                follow: int | None = None
                if k == len(days) - 1:
                    if i in due:
                        follow = max(day, dt - ri(0, 20))
                    elif outcome != "resolved" and rnd() < 0.6:
                        follow = dt + ri(1, 45)
                elif outcome != "resolved" and rnd() < 0.5:
                    follow = min(days[k + 1], day + ri(1, 14))
                self.calls.append(
                    {
                        "id": _uuid(rng),
                        "unit_code": code,
                        "contact_name": contact["name"],
                        "contact_phone": contact["phone"],
                        "direction": "in" if rnd() < 0.22 else "out",
                        "started_at": _stamp(ys, minute, second),
                        "ended_at": ended,
                        "duration_s": duration,
                        "topics": topics,
                        "outcome": outcome,
                        "notes": notes,
                        "follow_up_on": None if follow is None else _day_iso(ys, follow),
                        "follow_up_action": "" if follow is None else action,
                        "author": u.row["specialist_id"],
                    }
                )

    # -- tickets ----------------------------------------------------------------------------

    def build_tickets(self) -> None:
        rng = self.rng
        ri = self.ri
        dt = self.dt
        if dt < 2:
            return
        ys = self.year_start
        policy = self.policy
        now = dt * 1440 + 1439  # the last minute of today
        overdue = self.ticket_due

        def office(day: int) -> int:
            return day * 1440 + ri(510, 1140)  # 08:30–19:00

        for i, u in enumerate(self.units):
            if i not in overdue and rng.random() >= 0.03:
                continue
            category, subject, description = rng.choice(TICKETS)
            description = description.format(**self.ratio_words)
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
            created_at = _stamp(ys, created)
            order_id = None
            if category in ("payment", "delivery", "quality", "after_sales", "invoice"):
                mine = self.orders[u.orders_from : u.orders_to]
                earlier = [o["id"] for o in mine if o["placed_at"] < created_at]
                if earlier:
                    order_id = rng.choice(earlier)
                    description += f"（订单号 {order_id}）"
            ticket_id = _uuid(rng)
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
                    "id": _uuid(rng),
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
                        "id": _uuid(rng),
                        "ticket_id": ticket_id,
                        "at": _stamp(ys, at),
                        "author": author if rng.random() < 0.85 else LEAD,
                        "kind": "comment" if target is None else "status",
                        "from_status": None if target is None else current,
                        "to_status": target,
                        "comment": comment,
                    }
                )
                current = target or current
            self.events.extend(events)
            self.tickets.append(
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
                    "due_at": _stamp(ys, created + hours * 60),
                    "author": author,
                    "version": len(events),  # one for creating, one per change since
                }
            )


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
