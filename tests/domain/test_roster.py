"""The roster's pure part (附件2): the areas named from the units each specialist holds, leads
first by center (the files it is written to: tests/duties/test_roster.py)."""

from __future__ import annotations

from collections import Counter

from specialist_tui.domain.divisions import Divisions
from specialist_tui.domain.enums import Role
from specialist_tui.domain.models import Center, Specialist
from specialist_tui.domain.roster import Holding, RosterEntry, roster, served_areas
from specialist_tui.policies import load_divisions, load_policy

QH = load_divisions(load_policy("qinghai-2024"))


def test_a_whole_prefecture_is_named_once_a_part_by_its_pieces() -> None:
    everyone = Counter({"630100": 10, "632200": 4})
    mine = Counter({"省本级": 2, "630100": 1, "630102": 3, "632200": 1, "632221": 3})
    assert served_areas(mine, everyone, QH) == "省本级、西宁市（市本级、城东区）、海北藏族自治州"


def test_without_names_the_codes_stand_in() -> None:
    assert served_areas(Counter({"630102": 1}), Counter({"630100": 2}), Divisions()) == (
        "630100（630102）"
    )


def test_the_roster_lists_leads_first_by_center_and_counts_units() -> None:
    centers = [Center(code="B", name="乙中心"), Center(code="A", name="甲中心")]
    people = [
        Specialist(id="s2", name="李娜", center_code="A", phone="13900000002"),
        Specialist(id="s9", name="王建国", center_code="B"),
        Specialist(id="s1", name="马晓军", center_code="A", role="lead"),
    ]
    holdings = [
        Holding("s1", "provincial", "630000"),
        Holding("s2", "county", "630102"),
        Holding("s2", "county", "630103"),
        Holding(None, "county", "630104"),  # unassigned: counts for the prefecture only
    ]
    entries = roster(centers, people, holdings, QH)
    assert [(e.center_name, e.name, e.phone, e.areas, e.units) for e in entries] == [
        ("甲中心", "马晓军", "", "省本级", 1),
        ("甲中心", "李娜", "13900000002", "西宁市（城东区、城中区）", 2),
        ("乙中心", "王建国", "", "", 0),
    ]


def test_every_field_of_an_entry_and_a_whole_prefecture_held_by_one() -> None:
    people = [
        Specialist(id="s1", name="马晓军", center_code="A", role="lead"),
        Specialist(id="s2", name="李娜", center_code="Z"),  # a center the list does not name
    ]
    holdings = [
        Holding("s1", "provincial", "630100"),  # provincial, whatever its division code says
        Holding("s1", "prefecture", "630100"),
        Holding("s1", "county", "630102"),
        Holding("s1", "county", "630102"),
        Holding("s2", "county", "632221"),
        Holding("s2", "county", "632222"),
        Holding(None, "county", "632223"),
    ]
    lead, other = roster([Center(code="A", name="甲中心")], people, holdings, QH)
    assert lead == RosterEntry(
        center_code="A",
        center_name="甲中心",
        specialist_id="s1",
        name="马晓军",
        phone="",
        role=Role.LEAD,
        areas="省本级、西宁市",  # every Xining unit is theirs: the city whole
        units=4,
    )
    assert (other.center_code, other.center_name, other.specialist_id, other.role) == (
        "Z",
        "Z",
        "s2",
        Role.SPECIALIST,
    )
    assert (other.areas, other.units) == ("海北藏族自治州（门源回族自治县、祁连县）", 2)


def test_areas_after_a_whole_prefecture_are_still_named() -> None:
    everyone = Counter({"630100": 2, "632200": 3})
    mine = Counter({"630102": 2, "632221": 1})
    assert served_areas(mine, everyone, QH) == "西宁市、海北藏族自治州（门源回族自治县）"


def test_a_prefectures_own_units_are_its_seat_level() -> None:
    people = [Specialist(id="s1", name="马晓军", center_code="A")]
    holdings = [
        Holding("s1", "prefecture", "630100"),
        Holding("s1", "county", "630102"),
        Holding(None, "county", "630103"),
        Holding("s1", "county", "630000"),  # a province-wide code is 省本级 at any level
    ]
    [entry] = roster([Center(code="A", name="甲中心")], people, holdings, QH)
    assert (entry.areas, entry.units) == ("省本级、西宁市（市本级、城东区）", 3)
