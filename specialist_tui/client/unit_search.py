"""Filtering a view's units as the user types, in memory.

The cache gives each view+sort's ordered codes once (a SQL sort of 100k rows takes a few hundred
milliseconds) and every unit's search text once; each keystroke then keeps the codes whose text
holds every typed word, in the order they already have. One more letter narrows the previous
result instead of the whole list, and a backspace finds its earlier result remembered.

Search texts are kept as UTF-8 bytes: a third of the memory of str for mixed Chinese and
pinyin, and substring tests on them are faster. UTF-8 never matches inside a character, so a
bytes substring test answers the same as the str one.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import compress

from specialist_tui.domain.search import normalise_query

BaseKey = tuple[str, str]  # (view, sort)
# Earlier results kept per list, so backspacing is instant: at most this many, holding at
# most REMEMBERED_UNITS codes in all (a result of 100k units costs 1.6 MB).
REMEMBERED = 16
REMEMBERED_UNITS = 300_000


@dataclass(slots=True)
class _Base:
    codes: list[str]
    keys: list[bytes] | None
    results: OrderedDict[tuple[bytes, ...], tuple[list[str], list[bytes]]] = field(
        default_factory=OrderedDict
    )


class UnitSearch:
    """Ordered code lists per view+sort, the search text per unit, and recent filter results."""

    def __init__(self, keep_bases: int = 4) -> None:
        self.keys: dict[str, bytes] | None = None
        self._bases: OrderedDict[BaseKey, _Base] = OrderedDict()
        self._keep = keep_bases

    # -- what the cache supplies ----------------------------------------------------------

    @staticmethod
    def prepare_keys(texts: dict[str, bytes]) -> dict[str, bytes]:
        """The search texts by interned code (a worker may call this)."""
        return {sys.intern(code): text for code, text in texts.items()}

    def set_keys(self, keys: dict[str, bytes]) -> None:
        self.keys = keys
        for base in self._bases.values():
            base.keys = None
            base.results.clear()

    def align(self, codes: list[str]) -> tuple[list[str], list[bytes] | None]:
        """The codes interned, and their search texts in the same order when known (a worker
        may call this ahead of time): every list then shares one string per code."""
        keys = self.keys
        codes = [sys.intern(code) for code in codes]
        if keys is None:
            return codes, None
        get = keys.get
        return codes, [get(code, b"") for code in codes]

    def set_base(
        self, view: str, sort: str, codes: list[str], keys: list[bytes] | None = None
    ) -> None:
        key = (view, sort)
        self._bases[key] = _Base(codes, keys)
        self._bases.move_to_end(key)
        while len(self._bases) > self._keep:
            self._bases.popitem(last=False)

    def has_base(self, view: str, sort: str) -> bool:
        return (view, sort) in self._bases

    def forget(self) -> None:
        """The data changed: every list must be read again (the search texts stay usable)."""
        self._bases.clear()

    # -- filtering ------------------------------------------------------------------------

    def ready(self, view: str, sort: str, text: str) -> bool:
        """True when ``filter`` can answer now without the cache."""
        return self.has_base(view, sort) and (self.keys is not None or not normalise_query(text))

    def start(self, view: str, sort: str, text: str) -> list[str] | Scan:
        """The answer when it is known (no words, or remembered), else a Scan to run."""
        key = (view, sort)
        base = self._bases[key]
        self._bases.move_to_end(key)
        words = tuple(word.encode() for word in normalise_query(text))
        if not words:
            return base.codes
        remembered = base.results.get(words)
        if remembered is not None:
            base.results.move_to_end(words)
            return remembered[0]
        if base.keys is None:
            base.codes, base.keys = self.align(base.codes)
        codes, keys = base.codes, base.keys or []
        for before, (old_codes, old_keys) in base.results.items():
            if _narrows(before, words) and len(old_codes) < len(codes):
                codes, keys = old_codes, old_keys
        return Scan(key, words, codes, keys)

    def finish(self, scan: Scan) -> list[str]:
        """Remember a completed scan's result (for backspace and narrowing) and return it."""
        assert scan.done
        base = self._bases.get(scan.base)
        if base is not None:
            base.results[scan.words] = (scan.codes, scan.keys)
            while len(base.results) > REMEMBERED or (
                len(base.results) > 1
                and sum(len(codes) for codes, _ in base.results.values()) > REMEMBERED_UNITS
            ):
                base.results.popitem(last=False)
        return scan.codes


class Scan:
    """One filter run over a list, a chunk at a time, so the first screenful can be shown
    before the whole list has been looked at (the rest follows between keystrokes)."""

    def __init__(
        self, base: BaseKey, words: tuple[bytes, ...], codes: list[str], keys: list[bytes]
    ) -> None:
        self.base = base
        self.words = words
        self.source_codes = codes
        self.source_keys = keys
        self.position = 0
        self.codes: list[str] = []
        self.keys: list[bytes] = []
        # The longest word first: it rules out the most units.
        self._ordered = sorted(words, key=len, reverse=True)

    @property
    def done(self) -> bool:
        return self.position >= len(self.source_codes)

    def step(self, items: int, enough: int | None = None) -> bool:
        """Look at up to ``items`` more units, stopping early once ``enough`` match in all;
        True when the whole list has been looked at."""
        first, *rest = self._ordered
        while not self.done:
            stop = min(self.position + items, len(self.source_codes))
            if enough is not None:
                stop = min(stop, self.position + 2048)
            codes = self.source_codes[self.position : stop]
            keys = self.source_keys[self.position : stop]
            kept = [first in haystack for haystack in keys]
            codes, keys = list(compress(codes, kept)), list(compress(keys, kept))
            for word in rest:
                kept = [word in haystack for haystack in keys]
                codes, keys = list(compress(codes, kept)), list(compress(keys, kept))
            self.codes.extend(codes)
            self.keys.extend(keys)
            items -= stop - self.position
            self.position = stop
            if items <= 0 or (enough is not None and len(self.codes) >= enough):
                break
        return self.done


def _narrows(before: tuple[bytes, ...], after: tuple[bytes, ...]) -> bool:
    """True when every unit matching ``after`` also matched ``before``."""
    return all(any(old in new for new in after) for old in before)
