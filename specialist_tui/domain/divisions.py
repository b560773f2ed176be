"""GB/T 2260 administrative division codes: which province, prefecture (市州) and county (县区)
a six-digit code belongs to, and their names from a table the caller loads.

The code says its own place in the tree: two digits of province, two of prefecture, two of
county; ``00`` means "the level above itself" (630000 the province, 630100 西宁市 itself).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field

from specialist_tui.domain.identifiers import is_division_code
from specialist_tui.domain.policy import PolicyError
from specialist_tui.domain.validation_text import toml_error_line


def province_of(code: str) -> str:
    return f"{code[:2]}0000"


def prefecture_of(code: str) -> str | None:
    """The prefecture (市州) a code lies in, or None for the province itself."""
    return None if code[2:4] == "00" else f"{code[:4]}00"


def county_of(code: str) -> str | None:
    """The county (县区) a code names, or None for a province or prefecture itself."""
    return None if code[4:] == "00" else code


@dataclass(frozen=True, slots=True)
class Divisions:
    """Names by division code (the province's part of GB/T 2260); unknown codes show as is."""

    names: Mapping[str, str] = field(default_factory=dict)

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def seat_label(self, prefecture: str) -> str:
        """What a prefecture's own level is called: 市本级 for a city, 州本级 for a 州."""
        name = self.name(prefecture)
        if name.endswith("市"):
            return "市本级"
        if name.endswith("州"):
            return "州本级"
        return "本级"


def parse_divisions(text: str, source: str = "divisions") -> Divisions:
    """A division table from TOML (``[divisions] "630100" = "西宁市"``), or a one-line error."""
    try:
        data = tomllib.loads(text).get("divisions")
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}：{toml_error_line(exc)}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{source}：divisions：缺少 [divisions] 表")
    for code, name in data.items():
        if not is_division_code(code) or not isinstance(name, str) or not name.strip():
            raise PolicyError(f"{source}：divisions.{code}：应为 6 位代码 = 名称")
    return Divisions({code: name.strip() for code, name in data.items()})
