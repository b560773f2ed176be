"""A unit's 本级财政部门 from its level and division code."""

from __future__ import annotations

import pytest

from specialist_tui.domain.divisions import Divisions
from specialist_tui.domain.enums import Level
from specialist_tui.domain.finance_office import finance_office_code, finance_office_name

NAMES = Divisions({"630000": "青海省", "630100": "西宁市", "630102": "城东区",
                   "630121": "大通回族土族自治县"})  # fmt: skip


@pytest.mark.parametrize(
    ("level", "division", "office"),
    [
        (Level.PROVINCIAL, "630102", "630000"),
        (Level.PREFECTURE, "630102", "630100"),
        (Level.PREFECTURE, "630000", "630000"),
        (Level.COUNTY, "630102", "630102"),
        (Level.COUNTY, "630100", "630100"),
    ],
)
def test_the_office_is_at_the_unit_s_own_level(level: Level, division: str, office: str) -> None:
    assert finance_office_code(level, division) == office


def test_office_names() -> None:
    assert finance_office_name("630000", NAMES) == "青海省财政厅"
    assert finance_office_name("630100", NAMES) == "西宁市财政局"
    assert finance_office_name("630102", NAMES) == "西宁市城东区财政局"
    assert finance_office_name("630121", NAMES) == "大通回族土族自治县财政局"


def test_a_prefecture_named_a_district_and_names_the_table_does_not_know() -> None:
    names = Divisions({"630000": "青海省", "632100": "海东地区", "632121": "平安区"})
    assert finance_office_name("632100", names) == "海东地区财政局"
    assert finance_office_name("632121", names) == "海东地区平安区财政局"
    # The city's name is unknown: the district stands alone rather than behind a bare code.
    assert finance_office_name("630102", Divisions({"630102": "城东区"})) == "城东区财政局"
