"""The 通报 ranking's pure part: which group a unit counts in, sums and rates per group, places
with ties, the change between two days in words (figures from the cache: tests/duties)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from specialist_tui.domain.ranking import (
    METRICS,
    GroupFigures,
    Ranked,
    UnitFigures,
    change_text,
    group_figures,
    group_key,
    rank,
    total,
)
from specialist_tui.policies import load_divisions, load_policy

QH = load_divisions(load_policy("qinghai-2024"))
EARLIER = date(2024, 2, 20)


def unit(code: str = "u1", **extra: Any) -> UnitFigures:
    fields: dict[str, Any] = {
        "code": code,
        "name": "单位",
        "level": "county",
        "division_code": "630102",
        "area_code": "QH0101",
        "supervisor_code": "S1",
        "supervisor_name": "西宁市教育局",
        "filed": True,
        "canteen_total": 1000,
        "canteen_reserved": 150,
        "reserved": 200,
        "completed": 100,
        "unpaid": 0,
        "trained": False,
    }
    return UnitFigures(**{**fields, **extra})


@pytest.mark.parametrize(
    ("extra", "by", "key"),
    [
        ({}, "prefecture", ("630100", "西宁市")),
        ({}, "county", ("630102", "西宁市城东区")),
        ({"division_code": "630100", "level": "prefecture"}, "county", ("630100", "西宁市市本级")),
        ({"division_code": "632200"}, "county", ("632200", "海北藏族自治州州本级")),
        ({"level": "provincial", "division_code": "630000"}, "prefecture", ("province", "省本级")),
        ({"level": "provincial", "division_code": "630100"}, "county", ("province", "省本级")),
        ({}, "area", ("QH0101", "QH0101")),
        ({"area_code": ""}, "area", ("", "（未填写）")),
        ({}, "supervisor", ("S1", "西宁市教育局")),
        ({"supervisor_code": "", "supervisor_name": ""}, "supervisor", ("u1", "单位")),
    ],
)
def test_each_unit_counts_in_one_group(extra: dict[str, Any], by: Any, key: Any) -> None:
    assert group_key(unit(**extra), by, QH) == key


def test_ties_share_a_place_and_groups_without_a_value_come_last() -> None:
    groups = [
        GroupFigures("a", "甲", units=4, filed=2),
        GroupFigures("b", "乙", units=2, filed=2),
        GroupFigures("c", "丙", units=4, filed=4),
        GroupFigures("d", "丁", units=0),
        GroupFigures("e", "戊", units=2, filed=1),
    ]
    ranked = rank(groups, METRICS["filing"])
    assert [(r.rank, r.group.key) for r in ranked] == [
        (1, "b"),
        (1, "c"),
        (3, "a"),
        (3, "e"),
        (None, "d"),
    ]


def test_less_arrears_ranks_higher_and_places_move() -> None:
    now = [GroupFigures("a", "甲", unpaid=500), GroupFigures("b", "乙", unpaid=100)]
    before = [GroupFigures("a", "甲", unpaid=50), GroupFigures("b", "乙", unpaid=900)]
    ranked = rank(now, METRICS["unpaid"], before)
    assert [(r.group.key, r.rank, r.earlier_rank, r.change) for r in ranked] == [
        ("b", 1, 2, -800),
        ("a", 2, 1, 450),
    ]


@pytest.mark.parametrize(
    ("value", "earlier", "metric", "text"),
    [
        (Fraction(553, 1000), Fraction(430, 1000), "filing", "比 02-20 提高 12.3 个百分点"),
        (Fraction(1, 3), Fraction(1, 2), "completion", "比 02-20 下降 16.6 个百分点"),
        (Fraction(1, 2), Fraction(1, 2), "ratio", "比 02-20 持平"),
        (120_000, 0, "unpaid", "比 02-20 增加 1,200.00 元"),
        (0, 120_050, "unpaid", "比 02-20 减少 1,200.50 元"),
        (Fraction(1, 2), None, "trained", ""),
    ],
)
def test_the_change_in_words(value: Any, earlier: Any, metric: str, text: str) -> None:
    row = Ranked(1, GroupFigures("a", "甲"), value, earlier, 1)
    assert change_text(row, METRICS[metric], EARLIER) == text


def test_group_sums() -> None:
    groups = group_figures(
        [unit("u1"), unit("u2", filed=False, trained=True, unpaid=7, division_code="630103")],
        "prefecture",
        QH,
    )
    [xining] = groups
    assert (xining.units, xining.filed, xining.unpaid, xining.trained) == (2, 1, 7, 1)
    assert xining.completion_rate == Fraction(200, 400)
    assert xining.reservation_ratio == Fraction(300, 2000)


def test_a_unit_named_by_its_supervisor_s_code_or_name_alone() -> None:
    assert group_key(unit(supervisor_name=""), "supervisor", QH) == ("S1", "")
    assert group_key(unit(supervisor_code=""), "supervisor", QH) == ("西宁市教育局", "西宁市教育局")


def test_group_sums_add_every_unit_and_keep_the_first_name() -> None:
    units = [
        unit("u1", unpaid=5, trained=True),
        unit("u2", unpaid=7, trained=True, division_code="630103"),
        unit("u3", unpaid=11, trained=False, division_code="632221"),
    ]
    xining, haibei = group_figures(units, "prefecture", QH)
    assert (xining.key, xining.name, xining.unpaid, xining.trained) == ("630100", "西宁市", 12, 2)
    assert (haibei.key, haibei.name, haibei.unpaid, haibei.trained) == (
        "632200",
        "海北藏族自治州",
        11,
        0,
    )
    everyone = total([xining, haibei])
    assert (everyone.key, everyone.name, everyone.units, everyone.unpaid) == ("", "合计", 3, 23)
    assert (everyone.filed, everyone.reserved, everyone.completed, everyone.trained) == (
        3,
        600,
        300,
        2,
    )
    assert total([], "全省").name == "全省"


def test_figures_are_shown_as_percent_or_yuan() -> None:
    assert METRICS["filing"].shown(Fraction(2, 3)) == "66.6%"
    assert METRICS["unpaid"].shown(123_456) == "1,234.56"
    assert METRICS["ratio"].shown(None) == METRICS["unpaid"].shown(None) == "—"


def test_without_an_earlier_day_no_place_moves() -> None:
    groups = [GroupFigures("a", "甲", units=2, filed=1), GroupFigures("b", "乙", units=2, filed=1)]
    ranked = rank(groups, METRICS["filing"])
    assert [(r.rank, r.earlier_rank, r.change) for r in ranked] == [(1, None, None)] * 2
    # Three ways tied, then one below: 1, 1, 1, 4; nothing to rank on goes last.
    four = [*groups, GroupFigures("c", "丙", units=4, filed=2), GroupFigures("d", "丁", units=1),
            GroupFigures("e", "戊")]  # fmt: skip
    assert [(r.group.key, r.rank) for r in rank(four, METRICS["filing"])] == [
        ("a", 1), ("b", 1), ("c", 1), ("d", 4), ("e", None)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "earlier", "text"),
    [
        (Fraction(1, 2) + Fraction(1, 1000), Fraction(1, 2), "比 02-20 提高 0.1 个百分点"),
        (Fraction(1, 2), Fraction(1, 2) + Fraction(1, 1000), "比 02-20 下降 0.1 个百分点"),
        # Under the tenth we show, a person says it held, not "提高 0.0 个百分点".
        (Fraction(1, 2) + Fraction(999, 10**6), Fraction(1, 2), "比 02-20 基本持平"),
        (Fraction(1, 2), Fraction(1, 2) + Fraction(1, 10**6), "比 02-20 基本持平"),
        (Fraction(2, 3), Fraction(0), "比 02-20 提高 66.6 个百分点"),  # 66.67 shows 66.6
        (Fraction(0), Fraction(2, 3), "比 02-20 下降 66.6 个百分点"),
    ],
)
def test_small_changes_are_floored_to_a_tenth(value: Any, earlier: Any, text: str) -> None:
    row = Ranked(1, GroupFigures("a", "甲"), value, earlier, 1)
    assert change_text(row, METRICS["filing"], EARLIER) == text
