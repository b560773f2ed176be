"""Filtering a view's units as the user types, in memory.

The cache gives each view+sort's ordered codes once (a SQL sort of 100k rows takes a few hundred
milliseconds) and every unit's search text once; each keystroke then keeps the codes whose text
holds every typed word, in the order they already have. Typing one more letter narrows the
previous result instead of the whole list.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from specialist_tui.domain.search import normalise_query

BaseKey = tuple[str, str]  # (view, sort)


@dataclass(slots=True)
class _Filtered:
    base: BaseKey
    words: list[str]
    codes: list[str]
    keys: list[str]


class UnitSearch:
    """Ordered code lists per view+sort, the search text per unit, and the last filter result."""

    def __init__(self, keep_bases: int = 4) -> None:
        self.keys: dict[str, str] | None = None
        self._bases: OrderedDict[BaseKey, tuple[list[str], list[str] | None]] = OrderedDict()
        self._keep = keep_bases
        self._last: _Filtered | None = None

    # -- what the cache supplies ----------------------------------------------------------

    def set_keys(self, keys: dict[str, str]) -> None:
        self.keys = keys
        self._bases = OrderedDict((k, (codes, None)) for k, (codes, _) in self._bases.items())
        self._last = None

    def align(self, codes: list[str]) -> list[str] | None:
        """The search texts in the order of ``codes`` (a worker may call this ahead of time)."""
        keys = self.keys
        if keys is None:
            return None
        get = keys.get
        return [get(code, "") for code in codes]

    def set_base(
        self, view: str, sort: str, codes: list[str], keys: list[str] | None = None
    ) -> None:
        key = (view, sort)
        self._bases[key] = (codes, keys)
        self._bases.move_to_end(key)
        while len(self._bases) > self._keep:
            self._bases.popitem(last=False)
        if self._last is not None and self._last.base == key:
            self._last = None

    def has_base(self, view: str, sort: str) -> bool:
        return (view, sort) in self._bases

    def forget(self) -> None:
        """The data changed: every list must be read again (the search texts stay usable)."""
        self._bases.clear()
        self._last = None

    # -- filtering ------------------------------------------------------------------------

    def ready(self, view: str, sort: str, text: str) -> bool:
        """True when ``filter`` can answer now without the cache."""
        return self.has_base(view, sort) and (self.keys is not None or not normalise_query(text))

    def filter(self, view: str, sort: str, text: str) -> list[str]:
        """The view's codes, in sort order, whose search text contains every word of ``text``."""
        key = (view, sort)
        codes, keys = self._bases[key]
        self._bases.move_to_end(key)
        words = normalise_query(text)
        if not words:
            return codes
        if keys is None:
            keys = self.align(codes) or []
            self._bases[key] = (codes, keys)
        last = self._last
        if last is not None and last.base == key and _narrows(last.words, words):
            codes, keys = last.codes, last.keys
        kept_codes: list[str] = []
        kept_keys: list[str] = []
        for code, haystack in zip(codes, keys, strict=True):
            if all(word in haystack for word in words):
                kept_codes.append(code)
                kept_keys.append(haystack)
        self._last = _Filtered(key, words, kept_codes, kept_keys)
        return kept_codes


def _narrows(before: list[str], after: list[str]) -> bool:
    """True when every unit matching ``after`` also matched ``before``."""
    return all(any(old in new for new in after) for old in before)
