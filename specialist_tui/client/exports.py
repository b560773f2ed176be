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
from specialist_tui.client.cache.summary import SummaryRow, total
from specialist_tui.client.ranking import Ranking, build_ranking
from specialist_tui.domain.enums import FilingStatus
from specialist_tui.domain.money import percent_floor
from specialist_tui.domain.ranking import METRICS, Metric, Ranked, change_text
from specialist_tui.inert import sheet_text

if TYPE_CHECKING:
    from specialist_tui.client.service import Service

Format = Literal["csv", "xlsx"]
CellKind = Literal["text", "yuan", "percent", "int"]
ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}
YUAN_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: CellKind
    value: Callable[[Any], Any]  # text, fen, a Fraction, an int, or None for an empty cell


def _contact(row: Row, key: str) -> str:
    contacts = row["contacts"]
    return str(contacts[0][key]) if contacts else ""


def _rate(completed: int, reserved: int) -> Fraction | None:
    return Fraction(completed, reserved) if reserved > 0 else None


def _minute(moment: str | None) -> str:
    """An ISO moment as "2024-06-20 10:00" (Beijing time, as stored)."""
    return moment[:16].replace("T", " ") if moment else ""


def follow_up_columns(specialists: dict[str, str]) -> list[Column]:
    """The follow-up list's columns; ``specialists`` maps a specialist id to a name."""
    return [
        Column("单位名称", "text", lambda r: r["name"]),
        Column("统一社会信用代码", "text", lambda r: r["code"]),
        Column("主管部门", "text", lambda r: r["supervisor"]),
        Column("区域代码", "text", lambda r: r["area_code"]),
        Column("联系人", "text", lambda r: _contact(r, "name")),
        Column("联系电话", "text", lambda r: _contact(r, "phone")),
        Column("跟进原因", "text", lambda r: "；".join(f["reason"] for f in r["flags"])),
        Column("填报状态", "text", lambda r: FilingStatus(r["filing_status"]).label),
        Column("预留金额(元)", "yuan", lambda r: r["reserved_fen"]),
        Column("已完成金额(元)", "yuan", lambda r: r["completed_fen"]),
        Column("完成率", "percent", lambda r: _rate(r["completed_fen"], r["reserved_fen"])),
        Column("未付款单数", "int", lambda r: r["unpaid_count"]),
        Column("未付款金额(元)", "yuan", lambda r: r["unpaid_fen"]),
        Column("最长欠款天数", "int", lambda r: r["unpaid_oldest_days"]),
        Column("上次通话", "text", lambda r: _minute(r["last_call_at"])),
        Column("下次跟进", "text", lambda r: r["next_follow_up"] or ""),
        Column(
            "专员",
            "text",
            lambda r: specialists.get(r["specialist_id"] or "", r["specialist_id"] or ""),
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
    """A value as CSV text: plain yuan, a floored percent, a number, or inert text."""
    if value is None:
        return ""
    if kind == "yuan":
        return _plain_yuan(int(value))
    if kind == "percent":
        return percent_floor(value.numerator, value.denominator)
    if kind == "text":
        return sheet_text(str(value))
    return str(value)


def excel_cell(kind: CellKind, value: Any) -> Any:
    """A value as an XLSX cell: yuan and percent as numbers (formatted), text made inert."""
    if value is None:
        return None
    if kind == "yuan":
        return int(value) / 100
    if kind == "percent":
        # Floored to 0.1% like the app, so 14.99% never shows as 15.0%.
        return (value.numerator * 1000 // value.denominator) / 1000
    if kind == "text":
        return sheet_text(str(value))
    return int(value)


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
    ranking: Ranking | None = None,
) -> None:
    """A workbook: the list on the first sheet, the summary (when given) on the second, the
    ranking with its chart (when given) on the third."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _write_sheet(book, title, columns, table(columns, rows))
    if summaries is not None:
        _write_summary_sheet(book, summaries)
    if ranking is not None:
        _write_ranking_sheet(book, ranking)
    with replacing(path) as temporary:
        book.save(temporary)


def write_ranking_xlsx(path: Path, ranking: Ranking) -> None:
    """A 通报 workbook: the ranking table and its bar chart, ready to paste into a document."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _write_ranking_sheet(book, ranking)
    with replacing(path) as temporary:
        book.save(temporary)


def ranking_columns(ranking: Ranking) -> list[Column]:
    """Place, group, units, every metric (the ranked one first), and the change when compared."""
    ranked = ranking.metric
    metrics = [ranked, *(m for m in METRICS.values() if m is not ranked)]
    columns = [
        Column("名次", "int", lambda r: r.rank),
        Column(ranking.group_label, "text", lambda r: r.group.name or r.group.key or "（未填写）"),
        Column("单位数", "int", lambda r: r.group.units),
    ]
    columns += [_metric_column(m) for m in metrics]
    if ranking.since is not None:
        since = ranking.since
        columns += [
            Column(
                f"{since:%m-%d} {_metric_header(ranked)}", ranked.kind, lambda r: r.earlier_value
            ),
            Column(f"比 {since:%m-%d}", "text", lambda r: _change(r, ranked, since)),
            Column(f"{since:%m-%d} 名次", "int", lambda r: r.earlier_rank),
        ]
    return columns


def _metric_header(metric: Metric) -> str:
    return f"{metric.label}(元)" if metric.kind == "yuan" else metric.label


def _metric_column(metric: Metric) -> Column:
    return Column(_metric_header(metric), metric.kind, lambda r: metric.value(r.group))


def _change(row: Ranked, metric: Metric, since: date) -> str:
    return change_text(row, metric, since).removeprefix(f"比 {since:%m-%d} ")


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


def _write_ranking_sheet(book: Any, ranking: Ranking) -> None:
    """The ranking under a caption, then a native bar chart of the ranked figure beside it."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet("排名")
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    columns = ranking_columns(ranking)
    values = table(columns, ranking.rows)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, values, index - 1)
    formats = [_number_format(c.kind) for c in columns]
    sheet.append([_bold(sheet, ranking.title)])
    sheet.append(_header_cells(sheet, columns))
    for raw in values:
        sheet.append(_cells(sheet, columns, raw, formats))
    if not values:
        return
    first, last = 3, 2 + len(values)  # the caption and the header come first
    chart = BarChart()
    chart.type = "bar"  # horizontal: long Chinese names read on the axis
    chart.style = 10
    chart.title = f"{ranking.metric.label}（截至 {ranking.day}）"
    chart.legend = None
    chart.y_axis.numFmt = _number_format(ranking.metric.kind) or "General"
    chart.y_axis.scaling.min = 0  # bars from zero, or small gaps look like chasms
    if ranking.metric.kind == "percent":
        chart.y_axis.scaling.max = 1
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # the first place on top, as in the table
    chart.add_data(Reference(sheet, min_col=4, min_row=2, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=first, max_row=last))
    chart.height = max(7.5, 0.6 * len(values) + 2)  # centimetres: room for every bar's name
    chart.width = 16
    sheet.add_chart(chart, f"B{last + 3}")  # under the table: one copy-paste into a 通报


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
    from specialist_tui.client.cache.stored import specialist_names
    from specialist_tui.client.cache.summary import summary

    rows = service.view_rows(view, text, sort)
    columns = follow_up_columns(specialist_names(service.cache))
    if fmt == "xlsx":
        summaries = Summaries(summary(service.cache, "area"), summary(service.cache, "supervisor"))
        # The ranking bosses paste into a 通报: prefectures on completion, as of the day.
        write_xlsx(path, columns, rows, summaries, ranking=build_ranking(service, "prefecture"))
    else:
        write_csv(path, columns, rows, encoding)
    return len(rows)


def format_of(path: Path, given: str | None) -> Format:
    """The format named, else the one the file name says, else CSV."""
    chosen = given or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    if chosen not in ("csv", "xlsx"):
        raise ValueError(f"不支持的格式 {chosen!r}；可用：csv、xlsx")
    return "xlsx" if chosen == "xlsx" else "csv"
