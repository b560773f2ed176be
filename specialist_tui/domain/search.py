"""Search keys for Chinese names: full pinyin and initials, so `xnsjyj` finds 西宁市教育局."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=1 << 17)
def _syllables(name: str) -> tuple[str, ...]:
    # Phrase-aware: pypinyin reads 乐都 as "le du" from its phrase dictionary.
    return tuple(lazy_pinyin(name, style=Style.NORMAL, errors="default", v_to_u=False))


# Names are built from places and institutions: 西宁市|湟中区|西堡镇|中心学校. Converting each
# segment once (memoised) costs a fraction of converting 100k whole names; the administrative
# suffixes end words, so no phrase is cut in two.
_SEGMENTS = re.compile(r"[^省市州县区镇乡]*[省市州县区镇乡]|[^省市州县区镇乡]+")


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case without spaces: ('xiningshi', 'xns')."""
    syllables = [
        s.lower() for segment in _SEGMENTS.findall(name) for s in _syllables(segment) if s.strip()
    ]
    full = "".join(syllables).replace(" ", "")
    initials = "".join(s if not s.isalpha() or not s.isascii() else s[0] for s in syllables)
    return full, initials.replace(" ", "")


def search_text(*parts: str) -> str:
    """One lower-case haystack for substring search over everything a user may type."""
    return "\x1f".join(p.lower() for p in parts if p)


def normalise_query(text: str) -> list[str]:
    """The words of a filter, lower case; every word must match (AND)."""
    return [word for word in text.lower().split() if word]
