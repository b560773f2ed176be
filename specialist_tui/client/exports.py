"""Follow-up lists and the center summary as CSV or XLSX files bosses open in Excel.

Rows come from the service (a view with its filter and sort); files are written atomically.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from specialist_tui.atomic import replacing
from specialist_tui.client.read_models import SummaryRow, UnitRow, total
from specialist_tui.domain.money import percent_floor

if TYPE_CHECKING:
    from specialist_tui.client.service import Service

Format = Literal["csv", "xlsx"]
CellKind = Literal["text", "yuan", "percent", "int"]
ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}
YUAN_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: CellKind
    value: Callable[[Any], Any]  # text, fen, a Fraction, an int, or None for an empty cell


def _contact_name(row: UnitRow) -> str:
    return row.contacts[0].name if row.contacts else ""


def _contact_phone(row: UnitRow) -> str:
    return row.contacts[0].phone if row.contacts else ""


def _rate(completed: int, reserved: int) -> Fraction | None:
    return Fraction(completed, reserved) if reserved > 0 else None


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _minute(moment: str | None) -> str:
    """An ISO moment as "2024-06-20 10:00" (Beijing time, as stored)."""
    return moment[:16].replace("T", " ") if moment else ""


def follow_up_columns(specialists: dict[str, str]) -> list[Column]:
    """The follow-up list's columns; ``specialists`` maps a specialist id to a name."""
    return [
        Column("单位名称", "text", lambda r: r.name),
        Column("统一社会信用代码", "text", lambda r: r.code),
        Column("主管部门", "text", lambda r: r.supervisor),
        Column("区域代码", "text", lambda r: r.area_code),
        Column("联系人", "text", _contact_name),
        Column("联系电话", "text", _contact_phone),
        Column("跟进原因", "text", lambda r: "；".join(f.reason for f in r.flags)),
        Column("填报状态", "text", lambda r: r.filing_status.label),
        Column("预留金额(元)", "yuan", lambda r: r.reserved_fen),
        Column("已完成金额(元)", "yuan", lambda r: r.completed_fen),
        Column("完成率", "percent", lambda r: _rate(r.completed_fen, r.reserved_fen)),
        Column("未付款单数", "int", lambda r: r.unpaid_count),
        Column("未付款金额(元)", "yuan", lambda r: r.unpaid_fen),
        Column("最长欠款天数", "int", lambda r: r.unpaid_oldest_days),
        Column("上次通话", "text", lambda r: _minute(r.last_call_at)),
        Column("下次跟进", "text", lambda r: _iso(r.next_follow_up)),
        Column(
            "专员",
            "text",
            lambda r: specialists.get(r.specialist_id or "", r.specialist_id or ""),
        ),
    ]


def summary_columns(group_header: str) -> list[Column]:
    """The summary table's columns over SummaryRow values, the first named ``group_header``."""
    return [
        Column(group_header, "text", lambda s: s.name or s.key or "（未填写）"),
        Column("单位数", "int", lambda s: s.units),
        Column("已填报占比", "percent", lambda s: s.filed_share),
        Column("预留金额(元)", "yuan", lambda s: s.reserved_fen),
        Column("已完成金额(元)", "yuan", lambda s: s.completed_fen),
        Column("完成率", "percent", lambda s: s.completion_rate),
        Column("未付款金额(元)", "yuan", lambda s: s.unpaid_fen),
        Column("已预留未采购单位数", "int", lambda s: s.reserved_not_bought),
        Column("未填报单位数", "int", lambda s: s.not_filed),
    ]


# -- cell values ------------------------------------------------------------------------


def _plain_yuan(fen: int) -> str:
    """Fen as a plain yuan number Excel reads as a number: 123456 -> "1234.56"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def text_cell(kind: CellKind, value: Any) -> str:
    """A value as CSV text: plain yuan, a floored percent, a number, or text."""
    if value is None:
        return ""
    if kind == "yuan":
        return _plain_yuan(int(value))
    if kind == "percent":
        return percent_floor(value.numerator, value.denominator)
    return str(value)


def excel_cell(kind: CellKind, value: Any) -> Any:
    """A value as an XLSX cell: yuan and percent as numbers (formatted), others as is."""
    if value is None:
        return None
    if kind == "yuan":
        return int(value) / 100
    if kind == "percent":
        # Floored to 0.1% like the app, so 14.99% never shows as 15.0%.
        return (value.numerator * 1000 // value.denominator) / 1000
    return value


def table(columns: Sequence[Column], rows: Sequence[Any]) -> list[list[Any]]:
    """Raw values (before formatting) of ``rows`` under ``columns``."""
    return [[column.value(row) for column in columns] for row in rows]


# -- files ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summaries:
    """The two summary tables the XLSX export's second sheet holds."""

    by_area: list[SummaryRow]
    by_supervisor: list[SummaryRow]


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


def write_xlsx(
    path: Path,
    columns: Sequence[Column],
    rows: Sequence[Any],
    summaries: Summaries | None = None,
    title: str = "跟进清单",
) -> None:
    """A workbook: the list on the first sheet, the summary (when given) on the second."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _write_sheet(book, title, columns, table(columns, rows))
    if summaries is not None:
        _write_summary_sheet(book, summaries)
    with replacing(path) as temporary:
        book.save(temporary)


def _write_sheet(book: Any, title: str, columns: Sequence[Column], values: list[list[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    # Column widths and panes must be set before the first row of a write-only sheet.
    for index, column in enumerate(columns, start=1):
        width = _width(column, values, index - 1)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{len(values) + 1}"
    sheet.append(_header_cells(sheet, columns))
    formats = [_number_format(c.kind) for c in columns]
    for raw in values:
        sheet.append(_cells(sheet, columns, raw, formats))


def _write_summary_sheet(book: Any, summaries: Summaries) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet("汇总")
    blocks = (("按区域代码", "区域代码", summaries.by_area),
              ("按主管部门", "主管部门", summaries.by_supervisor))  # fmt: skip
    first = summary_columns("区域代码 / 主管部门")
    all_values = [
        v for _, head, rows in blocks for v in table(summary_columns(head), [*rows, total(rows)])
    ]
    for index, column in enumerate(first, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(
            column, all_values, index - 1
        )
    for caption, head, rows in blocks:
        columns = summary_columns(head)
        formats = [_number_format(c.kind) for c in columns]
        sheet.append([_bold(sheet, caption)])
        sheet.append(_header_cells(sheet, columns))
        for raw in table(columns, [*rows, total(rows)]):
            sheet.append(_cells(sheet, columns, raw, formats))
        sheet.append([])


def _number_format(kind: CellKind) -> str | None:
    return {"yuan": YUAN_FORMAT, "percent": PERCENT_FORMAT}.get(kind)


def _bold(sheet: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _header_cells(sheet: Any, columns: Sequence[Column]) -> list[Any]:
    return [_bold(sheet, c.header) for c in columns]


def _cells(
    sheet: Any, columns: Sequence[Column], raw: list[Any], formats: list[str | None]
) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for column, value, number_format in zip(columns, raw, formats, strict=True):
        converted = excel_cell(column.kind, value)
        if number_format is None or converted is None:
            out.append(converted)
            continue
        cell = WriteOnlyCell(sheet, value=converted)
        cell.number_format = number_format
        out.append(cell)
    return out


def display_width(text: str) -> int:
    """Columns a text takes in Excel's default font: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# Wide enough for the header and the longest value, never absurdly wide (跟进原因 can run long).
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def _width(column: Column, values: list[list[Any]], index: int) -> float:
    longest = display_width(column.header)
    for raw in values[:2000]:  # a sample is enough to size a column
        shown = text_cell(column.kind, raw[index])
        if column.kind == "yuan":
            shown = f"{float(raw[index] or 0) / 100:,.2f}"
        longest = max(longest, display_width(shown))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


# -- from a view ------------------------------------------------------------------------


def export_view(
    service: Service,
    path: Path,
    view: str,
    text: str = "",
    sort: str | None = None,
    fmt: Format = "csv",
    encoding: str = "utf-8",
) -> int:
    """Write a view (with its filter and sort) as a follow-up list; returns the number of units.

    The service's flags should be current (``service.prepare()``).
    """
    rows = service.view_rows(view, text, sort)
    columns = follow_up_columns(service.specialist_names())
    if fmt == "xlsx":
        summaries = Summaries(service.summary("area"), service.summary("supervisor"))
        write_xlsx(path, columns, rows, summaries)
    else:
        write_csv(path, columns, rows, encoding)
    return len(rows)


def format_of(path: Path, given: str | None) -> Format:
    """The format named, else the one the file name says, else CSV."""
    chosen = given or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    if chosen not in ("csv", "xlsx"):
        raise ValueError(f"不支持的格式 {chosen!r}；可用：csv、xlsx")
    return "xlsx" if chosen == "xlsx" else "csv"
