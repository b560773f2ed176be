"""GB/T 2260 codes placed in their province, prefecture and county; division tables read from
TOML with one Chinese line per mistake; the pinyin search keys of Chinese names."""

from __future__ import annotations

import pytest

from specialist_tui.domain.divisions import (
    Divisions,
    county_of,
    parse_divisions,
    prefecture_of,
    province_of,
)
from specialist_tui.domain.policy import PolicyError
from specialist_tui.domain.search import normalise_query, pinyin_keys, search_text


@pytest.mark.parametrize(
    ("code", "province", "prefecture", "county"),
    [
        ("630000", "630000", None, None),
        ("630100", "630000", "630100", None),
        ("630102", "630000", "630100", "630102"),
        ("632223", "630000", "632200", "632223"),
        ("640105", "640000", "640100", "640105"),
    ],
)
def test_a_code_names_its_place(
    code: str, province: str, prefecture: str | None, county: str | None
) -> None:
    assert (province_of(code), prefecture_of(code), county_of(code)) == (
        province,
        prefecture,
        county,
    )


def test_names_and_the_seat_of_a_prefecture() -> None:
    names = Divisions({"630100": "西宁市", "632200": "海北藏族自治州", "639900": "某地区"})
    assert names.name("630100") == "西宁市" and names.name("999999") == "999999"
    assert names.seat_label("630100") == "市本级"
    assert names.seat_label("632200") == "州本级"
    assert names.seat_label("639900") == "本级"
    assert names.seat_label("631100") == "本级"  # unknown: its code, neither 市 nor 州
    assert Divisions().names == {}


def test_a_division_table_is_read_and_names_are_trimmed() -> None:
    table = parse_divisions('[divisions]\n"630100" = " 西宁市 "\n"630102" = "城东区"\n')
    assert table.names == {"630100": "西宁市", "630102": "城东区"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x]\n", "d.toml：divisions：缺少 [divisions] 表"),
        ("divisions = 1\n", "d.toml：divisions：缺少 [divisions] 表"),
        ('[divisions]\n"6301" = "西宁市"\n', "d.toml：divisions.6301：应为 6 位代码 = 名称"),
        ('[divisions]\n"630100" = "  "\n', "d.toml：divisions.630100：应为 6 位代码 = 名称"),
        ('[divisions]\n"630100" = 1\n', "d.toml：divisions.630100：应为 6 位代码 = 名称"),
        ("[divisions\n", "d.toml：不是有效的 TOML 文件（第 1 行第 11 列）"),
    ],
)
def test_a_bad_division_table_is_one_chinese_line(text: str, expected: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_divisions(text, "d.toml")
    assert str(info.value) == expected


def test_the_default_source_is_named() -> None:
    with pytest.raises(PolicyError) as info:
        parse_divisions("[x]\n")
    assert str(info.value) == "divisions：divisions：缺少 [divisions] 表"


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("西宁市教育局", "xiningshijiaoyuju", "xnsjyj"),
        ("乐都区第1中学", "leduqudi1zhongxue", "ldqd1zx"),  # 乐都 read as a phrase: le du
        ("西宁 ABC 学校", "xiningabcxuexiao", "xnabcxx"),  # Latin words stay whole
        ("", "", ""),
    ],
)
def test_pinyin_keys(name: str, full: str, initials: str) -> None:
    assert pinyin_keys(name) == (full, initials)


def test_search_text_and_the_words_of_a_filter() -> None:
    assert search_text("西宁市", "", "QH0101", "XiNing") == "西宁市\x1fqh0101\x1fxining"
    assert normalise_query("  XN  jyj\t") == ["xn", "jyj"]
    assert normalise_query("   ") == []
