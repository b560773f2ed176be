"""`hub specialist list --format csv|xlsx`: the roster the province publishes (附件2), from the
hub's centers, specialists and the units each holds, with the supervision hotline below it."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from specialist_tui.atomic import replacing
from specialist_tui.domain.divisions import Divisions
from specialist_tui.domain.models import Center, Specialist
from specialist_tui.domain.roster import Holding, RosterEntry, roster
from specialist_tui.hub.store import HubStore
from specialist_tui.inert import sheet_text

TITLE = "“832平台”各区域服务中心服务专员信息表"
HEADERS = ["序号", "区域服务中心", "服务专员", "专属服务电话", "服务区域"]
WIDTHS = [6, 26, 12, 16, 60]


def roster_entries(store: HubStore, divisions: Divisions) -> list[RosterEntry]:
    """Every specialist of the hub with the areas of the units they hold."""
    centers = [Center.model_validate_json(b) for b in store.records_json("center")]
    specialists = [Specialist.model_validate_json(b) for b in store.records_json("specialist")]
    return roster(centers, specialists, _holdings(store), divisions)


def footer(hotline: Sequence[str]) -> str:
    """The closing line under the roster, as the notice says it; "" without a hotline."""
    return f"“832平台”监督电话：{'，'.join(hotline)}" if hotline else ""


def roster_rows(entries: Sequence[RosterEntry]) -> list[list[str]]:
    """The table's rows, the hub's text made inert (a name is never a formula)."""
    return [
        [str(n), *map(sheet_text, (e.center_name, e.name, e.phone, e.areas))]
        for n, e in enumerate(entries, start=1)
    ]


def write_roster_csv(out: TextIO, entries: Sequence[RosterEntry], hotline: Sequence[str]) -> None:
    """The roster as CSV: the header, one row per specialist, then the hotline after a gap."""
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(roster_rows(entries))
    if hotline:
        writer.writerow([])
        writer.writerow([footer(hotline)])


def save_roster_csv(path: Path, entries: Sequence[RosterEntry], hotline: Sequence[str]) -> None:
    """The CSV in UTF-8 with a BOM (so Excel shows the Chinese), written atomically."""
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8-sig", newline="") as out:
        write_roster_csv(out, entries, hotline)


def save_roster_xlsx(path: Path, entries: Sequence[RosterEntry], hotline: Sequence[str]) -> None:
    """The roster as a one-sheet workbook: title, header, rows, the hotline as its footer."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)

    book = Workbook()
    sheet = book.active
    sheet.title = "服务专员信息表"
    last = get_column_letter(len(HEADERS))
    sheet.append([TITLE])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.border = grid
        cell.alignment = Alignment(horizontal="center")
    for row in roster_rows(entries):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = grid
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    # Printed as the province prints it: landscape, every column on one page's width.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "2:2"
    if hotline:
        row = sheet.max_row + 2
        sheet.cell(row=row, column=1, value=footer(hotline))
        sheet.merge_cells(f"A{row}:{last}{row}")
    with replacing(path) as temporary:
        book.save(temporary)


def _holdings(store: HubStore) -> Iterator[Holding]:
    # Plain JSON, not the Unit model: three fields of every unit of a province is all we read.
    for body in store.records_json("unit"):
        unit: dict[str, Any] = json.loads(body)
        yield Holding(unit.get("specialist_id"), unit["level"], unit["division_code"])
