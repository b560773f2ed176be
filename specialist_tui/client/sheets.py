"""A sheet as data (tab name, title, typed columns, rows, chart) and its CSV and XLSX writers.

What a list contains is exports.py's business; how any list becomes a file is this module's.
The XLSX workbook itself (cells, formats, print setup) is drawn by ``xlsx_book``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from specialist_tui.atomic import replacing
from specialist_tui.domain.money import percent_floor
from specialist_tui.inert import sheet_text

Format = Literal["csv", "xlsx"]
# lines: a list of texts, one per line in a spreadsheet cell, joined by "；" in CSV.
CellKind = Literal["text", "lines", "yuan", "percent", "int", "date", "moment"]
ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: CellKind
    value: Callable[[Any], Any]  # text, lines, fen, a Fraction, an int, a date, or None
    width: float | None = None  # a fixed width (characters) the text wraps within


@dataclass(frozen=True, slots=True)
class BarChart:
    """A native bar chart under a sheet's table: one column's values, named by another's."""

    title: str
    values: int  # the column (0-based) whose values the bars show
    categories: int  # the column naming each bar
    kind: CellKind


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its tab name, the title line above the header, columns and rows."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Any]
    chart: BarChart | None = None


# -- cell values ------------------------------------------------------------------------


def _plain_yuan(fen: int) -> str:
    """Fen as a plain yuan number Excel reads as a number: 123456 -> "1234.56"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def text_cell(kind: CellKind, value: Any) -> str:
    """A value as CSV text: plain yuan, a floored percent, a number, a date, or inert text."""
    if value is None:
        return ""
    if kind == "yuan":
        return _plain_yuan(int(value))
    if kind == "percent":
        return percent_floor(value.numerator, value.denominator)
    if kind == "lines":
        return sheet_text("；".join(value))
    if kind == "moment":
        return str(value.strftime("%Y-%m-%d %H:%M"))
    if kind == "date":
        return str(value.isoformat())
    if kind == "text":
        return sheet_text(str(value))
    return str(value)


def table(columns: Sequence[Column], rows: Sequence[Any]) -> list[list[Any]]:
    """Raw values (before formatting) of ``rows`` under ``columns``."""
    return [[column.value(row) for column in columns] for row in rows]


# -- files ------------------------------------------------------------------------------


def write_csv(
    path: Path, columns: Sequence[Column], rows: Sequence[Any], encoding: str = "utf-8"
) -> None:
    """A CSV file with a header row; UTF-8 with BOM by default so Excel shows the Chinese."""
    codec = ENCODINGS.get(encoding.lower())
    if codec is None:
        raise ValueError(f"不支持的编码 {encoding!r}；可用：utf-8、gb18030")
    with replacing(path) as temporary, temporary.open("w", encoding=codec, newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c.header for c in columns])
        for row in rows:
            writer.writerow([text_cell(c.kind, c.value(row)) for c in columns])


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    """A workbook of these sheets, each titled, formatted and set up to print."""
    from specialist_tui.client.xlsx_book import write_book

    write_book(path, sheets)
