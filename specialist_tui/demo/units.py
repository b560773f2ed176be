"""The units: places (province, prefectures, counties), each unit's name, kind, staff and
contacts, and the canteen modes, with shared canteens grouped under a representative."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from specialist_tui.demo.context import DemoContext, DemoUnit, Place
from specialist_tui.demo.kinds import (
    DEPT_SHARE,
    DEPTS,
    KINDS,
    LEVELS,
    MODE_NAMES,
    Kind,
    office_kind,
)
from specialist_tui.demo.places import (
    COUNTIES,
    LEAD,
    MORE_ROADS,
    PREFECTURES,
    PROVINCE_AREA,
    REGIONS,
    ROADS,
    VILLAGE_HEAD,
    VILLAGE_TAIL,
    VILLAGE_TIBETAN,
)
from specialist_tui.domain.identifiers import make_credit_code


def build_places(ctx: DemoContext) -> list[int]:
    """The province, prefectures and counties, and how many units each one gets."""
    n = ctx.n
    provincial = round(n * 0.05)
    prefecture = round(n * 0.20)
    county = n - provincial - prefecture
    places = ctx.places
    places.append(
        Place(
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
            Place(
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
            Place(
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


def build_units(ctx: DemoContext) -> None:
    """Every unit, place by place: its departments first, then units of its kinds by weight."""
    rng = ctx.rng
    used_names: set[str] = set()
    used_orgs: set[str] = set()
    for index, quota in enumerate(build_places(ctx)):
        if quota <= 0:
            continue
        place = ctx.places[index]
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
            depts[key] = _add_unit(ctx, place, index, office, None, name, 1.0, sup, used_orgs)
            dept_names[key] = name
            used_names.add(name)
        kinds = [k for k in KINDS[level] if k.dept is None or k.dept in depts]
        cum = list(itertools.accumulate(k.weight for k in kinds))
        generators = {k.key: names(ctx, k, place, dept_names) for k in kinds}
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
            _add_unit(ctx, place, index, kind, town, name, scale, sup, used_orgs)
            made += 1


def _add_unit(
    ctx: DemoContext,
    place: Place,
    place_index: int,
    kind: Kind,
    town: str | None,
    name: str,
    scale: float,
    supervisor: int | None,
    used_orgs: set[str],
) -> int:
    rnd = ctx.rng.random
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
    contacts = [{"name": ctx.person(place.tibetan), "role": r, "phone": ctx.phone()} for r in roles]
    sup_row = ctx.units[supervisor].row if supervisor is not None else None
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
    ctx.units.append(DemoUnit(row, place_index, kind.key, town, staff, kind.meal, kind.modes))
    return len(ctx.units) - 1


def names(
    ctx: DemoContext, kind: Kind, place: Place, dept_names: dict[str, str]
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
            lists = [(t, _villages(ctx, place, t)) for t in towns]
            for i in range(max((len(v) for _t, v in lists), default=0)):
                for t, in_town in lists:
                    if i < len(in_town):
                        yield stage[1].format(p=p, t=t, v=in_town[i]), t, stage[2]
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


def _villages(ctx: DemoContext, place: Place, town: str) -> list[str]:
    if town not in place.villages:
        rng = ctx.rng
        if place.tibetan > 0.5:
            pool = [v + "村" for v in VILLAGE_TIBETAN]
        else:
            pool = [h + t + "村" for h in VILLAGE_HEAD for t in VILLAGE_TAIL]
        place.villages[town] = rng.sample(pool, rng.randint(6, 14))
    return place.villages[town]


def assign_modes(ctx: DemoContext) -> None:
    """Each unit's canteen and union mode; shared canteens grouped under a representative."""
    rng = ctx.rng
    units = ctx.units
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
