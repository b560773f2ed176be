"""The boss-ready workbook: a summary of exactly the exported rows, real cells, print setup.

The last test prints the workbook to PDF with LibreOffice, as a boss would, and reads the
pages back: landscape, every column on the page width, the header row and page numbers on
every page.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from specialist_tui.client.cache.summary import summary
from specialist_tui.client.exports import export_view, reasons, summarize
from specialist_tui.client.service import Service
from specialist_tui.client.sheets import Column, Sheet, write_xlsx
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.enums import Severity
from specialist_tui.domain.facts import Flag

HEADER_ROW = 2


def headers(sheet: object) -> list[str]:
    return [c.value for c in sheet[HEADER_ROW]]  # type: ignore[index]


def test_the_summary_covers_exactly_the_exported_rows(loaded: Service, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    count = export_view(loaded, path, "all", text="西宁", fmt="xlsx")
    assert 0 < count < loaded.cache.count("units")
    book = load_workbook(path)
    for grouped in (book["按区域代码汇总"], book["按主管部门汇总"]):  # the 排名 covers every unit
        assert "筛选 西宁" in grouped["A1"].value
        last = [c.value for c in list(grouped.iter_rows())[-1]]
        assert last[:2] == ["合计", count]


@pytest.mark.parametrize("by", ["area", "supervisor"])
def test_summarize_over_every_unit_is_the_cache_summary(loaded: Service, by: str) -> None:
    rows = loaded.view_rows("all")
    assert summarize(rows, by) == summary(loaded.cache, by)  # type: ignore[arg-type]


def test_dates_are_date_cells_in_beijing_time(loaded: Service, tmp_path: Path) -> None:
    code = loaded.view_rows("all")[0].code
    # Logged on a machine whose clock is in UTC: 02:00 UTC is 10:00 in Beijing.
    at = datetime(2024, 6, 20, 2, 0, tzinfo=UTC)
    Worklog(loaded).log_call(code, "reached", ["filing"], started_at=at, follow_up_on="2024-07-05")
    path = tmp_path / "list.xlsx"
    export_view(loaded, path, "all", fmt="xlsx")
    sheet = load_workbook(path).worksheets[0]
    names = headers(sheet)
    called = sheet.cell(HEADER_ROW + 1, names.index("上次通话") + 1)
    due = sheet.cell(HEADER_ROW + 1, names.index("下次跟进") + 1)
    assert sheet.cell(HEADER_ROW + 1, 2).value == code
    assert called.value == datetime(2024, 6, 20, 10, 0)
    assert called.number_format == "yyyy-mm-dd hh:mm"
    assert due.value == datetime(2024, 7, 5)  # openpyxl reads every date cell as a datetime
    assert due.number_format == "yyyy-mm-dd"


def test_ratios_are_percent_cells(loaded: Service, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    export_view(loaded, path, "all", fmt="xlsx")
    sheet = load_workbook(path).worksheets[0]
    ratio = headers(sheet).index("食堂预留比例") + 1
    rows = loaded.view_rows("all")
    checked = 0
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        cell = sheet.cell(number, ratio)
        if row.canteen_total_fen:
            assert cell.number_format == "0.0%"
            exact = row.canteen_reserved_fen / row.canteen_total_fen
            assert 0 <= exact - cell.value < 0.001  # floored to 0.1%, like the app
            checked += 1
    assert checked > 0


def test_each_sheet_is_set_up_to_print(loaded: Service, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    export_view(loaded, path, "follow_up", fmt="xlsx")
    for sheet in load_workbook(path).worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$2:$2"
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert sheet.oddHeader.center.text == sheet["A1"].value


def test_wrapped_reasons_get_rows_tall_enough(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    columns = [Column("跟进原因", "lines", lambda r: r, width=20)]
    write_xlsx(path, [Sheet("清单", "标题", columns, [["一行"], ["第一行", "第二行", "第三行"]])])
    sheet = load_workbook(path).worksheets[0]
    assert sheet.cell(3, 1).alignment.wrap_text
    assert sheet.cell(4, 1).value == "第一行\n第二行\n第三行"
    assert sheet.row_dimensions[4].height == 3 * sheet.row_dimensions[2].height


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    columns = [Column("单位名称", "text", lambda r: r["name"])]
    rows = [{"name": '=HYPERLINK("http://x","y")'}]
    write_xlsx(path, [Sheet("清单", "=1+1", columns, rows)])
    sheet = load_workbook(path).worksheets[0]
    for cell in (sheet["A1"], sheet["A3"]):
        assert cell.data_type == "s"
    # OWASP: a leading apostrophe keeps it text even after someone edits the cell.
    assert sheet["A3"].value == '\'=HYPERLINK("http://x","y")'


def test_a_representative_is_named_by_its_name() -> None:
    code = "12630100MB1234567X"
    flags = [Flag("R5", Severity.HIGH, "", f"代表单位 {code} 未提交")]
    assert reasons(flags, code, {code: "西宁市第一中学"}) == [
        f"代表单位 西宁市第一中学（{code}） 未提交"
    ]
    assert reasons(flags, code, {}) == [f"代表单位 {code} 未提交"]


def _chinese_font() -> bool:
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）才能打印检查"
)
@pytest.mark.skipif(
    shutil.which("fc-list") is None or not _chinese_font(),
    reason="没有中文字体（fonts-wqy-microhei），PDF 中的中文无法读回",
)
def test_libreoffice_prints_every_column_with_headers_and_page_numbers(
    loaded: Service, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    book = tmp_path / "list.xlsx"
    export_view(loaded, book, "all", fmt="xlsx")
    profile = tmp_path / "lo-profile"  # a profile of its own: runs in parallel never collide
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pages = PdfReader(tmp_path / "list.pdf").pages
    assert len(pages) >= 2
    total = len(pages)
    first_list_page = pages[0].extract_text()
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        assert box.width > box.height  # landscape
        text = page.extract_text()
        assert f"第 {number} 页，共 {total} 页" in text
    # Page 1 holds the whole header row, every column on the page width.
    for header in ("单位名称", "统一社会信用代码", "跟进原因", "下次跟进", "专员"):
        assert header in first_list_page
    rows = loaded.view_rows("all")
    assert rows[0].name in first_list_page
    assert str(date(2024, 6, 30)) in first_list_page
