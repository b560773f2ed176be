"""A unit's 本级财政部门: the finance department at its own level, read from its division code.

A provincial unit's office is the province's (青海省财政厅), a prefecture's the prefecture's, a
county's the county's; R2 is chased office by office, so units are grouped by this code.
"""

from __future__ import annotations

from specialist_tui.domain.divisions import Divisions, county_of, prefecture_of, province_of
from specialist_tui.domain.enums import Level


def finance_office_code(level: Level, division_code: str) -> str:
    """The division whose finance department confirms this unit's filing."""
    province = province_of(division_code)
    if level is Level.PROVINCIAL:
        return province
    prefecture = prefecture_of(division_code) or province
    if level is Level.PREFECTURE:
        return prefecture
    return county_of(division_code) or prefecture


def finance_office_name(code: str, divisions: Divisions) -> str:
    """The office's Chinese name: 青海省财政厅, 西宁市财政局, 西宁市城东区财政局."""
    if code.endswith("0000"):
        return f"{divisions.name(code)}财政厅"
    prefecture = prefecture_of(code)
    if code.endswith("00") or prefecture is None:
        return f"{divisions.name(code)}财政局"
    # District names repeat across cities (城东区, 城中区): name the city too.
    county = divisions.name(code)
    city = divisions.name(prefecture) if county.endswith("区") else ""
    return f"{city if city != prefecture else ''}{county}财政局"
