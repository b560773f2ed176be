"""Drawing export sheets with openpyxl: a title row, real number and date cells, print setup.

Every sheet prints well as it is: landscape A4, all columns scaled to the page width, the
header row repeated on every page, the title and "第 N 页，共 M 页" in the page header and
footer. Sheets are written in openpyxl's write-only mode so 100,000 rows stay fast, which is
why widths, panes and print settings are all set before the first row is appended.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specialist_tui.atomic import replacing
from specialist_tui.client.sheets import BarChart, CellKind, Column, Sheet, table, text_cell
from specialist_tui.inert import sheet_text

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

NUMBER_FORMATS: dict[CellKind, str] = {
    "yuan": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "moment": "yyyy-mm-dd hh:mm",
}
TITLE_ROW, HEADER_ROW = 1, 2
PAGE_FOOTER = "第 &P 页，共 &N 页"
A4 = "9"
LINE_HEIGHT = 15.0  # points per line of 11-point text  # the paper size code of the OOXML standard
# Wide enough for the header and the longest value, never absurdly wide; fixed-width columns
# (names, reasons) wrap instead.
_MIN_WIDTH, _MAX_WIDTH = 6, 24
_HEADER_WRAP_AT = 12


def write_book(path: Path, sheets: Sequence[Sheet]) -> None:
    """A workbook of these sheets, written atomically."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book.create_sheet(sheet.name), sheet)
    with replacing(path) as temporary:
        book.save(temporary)


def display_width(text: str) -> int:
    """Columns a text takes in Excel's default font: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def excel_value(kind: CellKind, value: Any) -> Any:
    """A value as an XLSX cell value: yuan and percent as numbers, lines as one wrapped text."""
    if value is None:
        return None
    if kind == "yuan":
        return int(value) / 100
    if kind == "percent":
        # Floored to 0.1% like the app, so 14.99% never shows as 15.0%.
        return (value.numerator * 1000 // value.denominator) / 1000
    if kind == "lines":
        return sheet_text("\n".join(value))
    if isinstance(value, str):
        return sheet_text(value)
    return value


def _write_sheet(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter

    values = table(sheet.columns, sheet.rows)
    widths = [_width(column, values, index) for index, column in enumerate(sheet.columns)]
    for index, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    last = get_column_letter(max(1, len(sheet.columns)))
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(values)}"
    _print_setup(ws, sheet.title)
    styles = _Styles()
    ws.row_dimensions[TITLE_ROW].height = 2 * LINE_HEIGHT
    ws.append([styles.title(ws, sheet.title)])
    headers = [column.header for column in sheet.columns]
    ws.row_dimensions[HEADER_ROW].height = _lines(headers, widths) * LINE_HEIGHT
    ws.append([styles.header(ws, header) for header in headers])
    wrapped = [i for i, column in enumerate(sheet.columns) if column.width]
    for number, raw in enumerate(values, start=HEADER_ROW + 1):
        texts = [text_cell("text", excel_value(sheet.columns[i].kind, raw[i])) for i in wrapped]
        lines = _lines(texts, [widths[i] for i in wrapped])
        if lines > 1:
            ws.row_dimensions[number].height = lines * LINE_HEIGHT
        cells = zip(sheet.columns, raw, strict=True)
        ws.append([styles.cell(ws, c, v, tall=lines > 1) for c, v in cells])
    if sheet.chart is not None and values:
        _add_chart(ws, sheet.chart, len(values))


def _add_chart(ws: WriteOnlyWorksheet, spec: BarChart, rows: int) -> None:
    """A horizontal bar chart under the table: first place on top, bars from zero."""
    from openpyxl.chart import BarChart as Chart
    from openpyxl.chart import Reference

    first, last = HEADER_ROW + 1, HEADER_ROW + rows
    chart = Chart()
    chart.type = "bar"  # horizontal: long Chinese names read on the axis
    chart.style = 10
    chart.title = spec.title
    chart.legend = None
    chart.y_axis.numFmt = NUMBER_FORMATS.get(spec.kind, "General")
    chart.y_axis.scaling.min = 0  # from zero, or small gaps look like chasms
    if spec.kind == "percent":
        chart.y_axis.scaling.max = 1
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # the order of the table, top down
    values = Reference(ws, min_col=spec.values + 1, min_row=HEADER_ROW, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=spec.categories + 1, min_row=first, max_row=last))
    chart.height = max(7.5, 0.6 * rows + 2)  # centimetres: room for every bar's name
    chart.width = 16
    ws.add_chart(chart, f"B{last + 3}")  # under the table: one copy-paste into a 通报


def _print_setup(ws: WriteOnlyWorksheet, title: str) -> None:
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # "&" starts a header/footer code; a literal one is written twice. Excel caps the text.
    ws.oddHeader.center.text = title.replace("&", "&&")[:200]
    ws.oddFooter.center.text = PAGE_FOOTER


class _Styles:
    """Cell styles made once per sheet (openpyxl copies them into the workbook's tables)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.bold = Font(bold=True)
        self.big = Font(bold=True, size=14)
        self.fill = PatternFill("solid", fgColor="DDEBF7")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")

    def title(self, ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
        cell = _text_cell(ws, text)
        cell.font = self.big
        return cell

    def header(self, ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
        cell = _text_cell(ws, text)
        cell.font = self.bold
        cell.fill = self.fill
        cell.alignment = self.wrap
        return cell

    def cell(self, ws: WriteOnlyWorksheet, column: Column, raw: Any, tall: bool) -> Any:
        """A data cell; in a row taller than one line every cell sits at the top."""
        from openpyxl.cell import WriteOnlyCell

        value = excel_value(column.kind, raw)
        number_format = NUMBER_FORMATS.get(column.kind)
        if value is None:
            return None
        plain = not (tall or column.width or number_format)
        if isinstance(value, str):
            if plain and not value.startswith("="):
                return value  # most cells: plain text, no style of their own (fast)
            cell = _text_cell(ws, value)
        elif plain:
            return value
        else:
            cell = WriteOnlyCell(ws, value=value)
        if number_format is not None:
            cell.number_format = number_format
        if column.width:
            cell.alignment = self.wrap
        elif tall:
            cell.alignment = self.top
        return cell


def _text_cell(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A cell that holds ``text`` as text, even when it starts with "=" (never a live formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=sheet_text(text))
    cell.data_type = "s"
    return cell


def _lines(texts: Sequence[str], widths: Sequence[float]) -> int:
    """How many lines the tallest of these wrapped texts takes in columns of these widths.

    Spreadsheet programs do not grow a row for wrapped text written by a program (LibreOffice
    prints such rows one line high), so the writer sets the height itself.
    """
    tallest = 1
    for text, width in zip(texts, widths, strict=True):
        room = max(1, int(width) - 1)
        lines = sum(max(1, -(-display_width(line) // room)) for line in text.split("\n"))
        tallest = max(tallest, lines)
    return tallest


def _width(column: Column, values: list[list[Any]], index: int) -> float:
    if column.width is not None:
        return column.width
    longest = min(display_width(column.header), _HEADER_WRAP_AT)
    for raw in values[:2000]:  # a sample is enough to size a column
        value = raw[index]
        if column.kind == "yuan":
            shown = f"{float(value or 0) / 100:,.2f}"
        else:
            shown = text_cell(column.kind, value)
        longest = max(longest, display_width(shown))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))
