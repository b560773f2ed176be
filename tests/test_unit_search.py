"""Filtering in memory gives exactly what the cache's SQL filter gives, in the same order."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from specialist_tui.client.unit_search import UnitSearch
from specialist_tui.domain.search import search_text

NAMES = ["西宁市教育局", "西宁市财政局", "海东市人民医院", "格尔木市第一中学", "大通县第二小学"]
PINYIN = [
    "xiningshijiaoyuju xnsjyj",
    "xiningshicaizhengju xnsczj",
    "haidongshirenminyiyuan hdsrmyy",
    "geermushidiyizhongxue gemsdyzx",
    "datongxiandierxiaoxue dtxdexx",
]


def filtered(search: UnitSearch, view: str, sort: str, text: str) -> list[str]:
    """The whole filter result at once (the screen takes it in steps between keystrokes)."""
    found = search.start(view, sort, text)
    if isinstance(found, list):
        return found
    found.step(len(found.source_codes))
    return search.finish(found)


def make(n: int = 500, seed: int = 1) -> tuple[UnitSearch, list[str], dict[str, str]]:
    rng = random.Random(seed)
    texts = {}
    for i in range(n):
        k = rng.randrange(len(NAMES))
        texts[f"C{i:05d}"] = search_text(NAMES[k], f"C{i:05d}", *PINYIN[k].split())
    search = UnitSearch()
    search.set_keys(UnitSearch.prepare_keys({c: t.encode() for c, t in texts.items()}))
    order = sorted(texts, key=lambda c: rng.random())
    codes, keys = search.align(order)
    search.set_base("all", "name", codes, keys)
    return search, order, texts


def expected(order: list[str], texts: dict[str, str], text: str) -> list[str]:
    words = text.lower().split()
    return [c for c in order if all(w in texts[c] for w in words)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["x", "xn", "xns", "西宁", "教育", "c001", "hds", "z", " ", "ju"]),
                min_size=1, max_size=6))  # fmt: skip
def test_any_typing_sequence_matches_a_plain_scan(steps: list[str]) -> None:
    search, order, texts = make()
    typed = ""
    for step in steps:
        typed = (typed + step) if len(typed) < 8 else step  # type more, or start again
        assert filtered(search, "all", "name", typed) == expected(order, texts, typed)
        shorter = typed[:-1]  # a backspace
        assert filtered(search, "all", "name", shorter) == expected(order, texts, shorter)


def test_a_scan_shows_a_first_screenful_that_the_full_result_starts_with() -> None:
    search, order, texts = make(5000)
    scan = search.start("all", "name", "xn")
    assert not isinstance(scan, list)
    assert not scan.step(len(order), enough=50)  # stopped early
    first = list(scan.codes)
    assert len(first) >= 50
    while not scan.step(700):
        pass
    full = search.finish(scan)
    assert full == expected(order, texts, "xn") and full[: len(first)] == first
    assert search.start("all", "name", "xn") == full  # remembered
