"""The specialists' roster as the province publishes it (附件2): center, specialist, exclusive
service phone and the areas each serves, named from the units they hold."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from specialist_tui.domain.divisions import Divisions, county_of, prefecture_of
from specialist_tui.domain.enums import Level, Role
from specialist_tui.domain.models import Center, Specialist

PROVINCIAL = "省本级"


@dataclass(frozen=True, slots=True)
class Holding:
    """Where one unit is and who holds it (None: nobody yet)."""

    specialist_id: str | None
    level: str
    division_code: str


@dataclass(frozen=True, slots=True)
class RosterEntry:
    center_code: str
    center_name: str
    specialist_id: str
    name: str
    phone: str
    role: Role
    areas: str
    units: int


def roster(
    centers: Sequence[Center],
    specialists: Sequence[Specialist],
    holdings: Iterable[Holding],
    divisions: Divisions,
) -> list[RosterEntry]:
    """One entry per specialist, by center, the lead first, then by id."""
    center_names = {c.code: c.name for c in centers}
    per_prefecture: Counter[str] = Counter()
    held: dict[str, Counter[str]] = defaultdict(Counter)  # specialist -> place -> units
    for holding in holdings:
        place = _place(holding)
        prefecture = _prefecture(place)
        if prefecture is not None:
            per_prefecture[prefecture] += 1
        if holding.specialist_id is not None:
            held[holding.specialist_id][place] += 1
    ordered = sorted(specialists, key=lambda s: (s.center_code, s.role is not Role.LEAD, s.id))
    return [
        RosterEntry(
            center_code=s.center_code,
            center_name=center_names.get(s.center_code, s.center_code),
            specialist_id=s.id,
            name=s.name,
            phone=s.phone or "",
            role=s.role,
            areas=served_areas(held[s.id], per_prefecture, divisions),
            units=sum(held[s.id].values()),
        )
        for s in ordered
    ]


def served_areas(places: Counter[str], per_prefecture: Counter[str], divisions: Divisions) -> str:
    """ "省本级、海北藏族自治州、西宁市（城东区、市本级）": a prefecture whole when every unit
    of it is held, else the parts held."""
    parts = [PROVINCIAL] if places[PROVINCIAL] else []
    by_prefecture: dict[str, dict[str, int]] = defaultdict(dict)
    for place, units in places.items():
        prefecture = _prefecture(place)
        if prefecture is not None:
            by_prefecture[prefecture][place] = units
    for prefecture in sorted(by_prefecture):
        mine = by_prefecture[prefecture]
        name = divisions.name(prefecture)
        if sum(mine.values()) == per_prefecture[prefecture]:
            parts.append(name)
            continue
        pieces = [
            divisions.name(p) if county_of(p) else divisions.seat_label(prefecture)
            for p in sorted(mine)
        ]
        parts.append(f"{name}（{'、'.join(pieces)}）")
    return "、".join(parts)


def _place(holding: Holding) -> str:
    """The county code, the prefecture's own code for its seat level, or 省本级."""
    code = holding.division_code
    if holding.level == Level.PROVINCIAL or prefecture_of(code) is None:
        return PROVINCIAL
    return code


def _prefecture(place: str) -> str | None:
    return None if place == PROVINCIAL else prefecture_of(place)
