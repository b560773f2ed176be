"""Follow-up lists as CSV and XLSX: headers, values read back, formats, atomic writes."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from specialist_tui.cli import main
from specialist_tui.client.exports import export_view, follow_up_columns, reasons
from specialist_tui.client.service import Service
from specialist_tui.client.sheets import Column, Sheet, write_csv, write_xlsx
from specialist_tui.client.xlsx_book import display_width

from .conftest import cli_args

HEADERS = [
    "单位名称", "统一社会信用代码", "主管部门", "区域代码", "严重程度", "规则", "跟进原因",
    "填报状态", "本级财政部门", "食堂预留比例", "工会预留比例", "预留金额(元)", "已完成金额(元)",
    "完成率",
    "未付款单数", "未付款金额(元)", "最长欠款天数", "联系人", "联系电话", "上次通话", "下次跟进",
    "专员",
]  # fmt: skip


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def test_follow_up_headers_are_the_issues() -> None:
    assert [c.header for c in follow_up_columns({})] == HEADERS


def test_csv_round_trip_matches_the_cache(loaded: Service, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    count = export_view(loaded, path, "follow_up", fmt="csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = loaded.view_rows("follow_up")
    names = {r.code: r.name for r in loaded.view_rows("all")}
    read = read_csv(path)
    assert count == len(rows) == len(read) > 0
    assert list(read[0]) == HEADERS
    for want, got in zip(rows, read, strict=True):
        assert got["统一社会信用代码"] == want.code
        assert got["单位名称"] == want.name
        assert got["填报状态"] == want.filing_status.label
        assert round(float(got["预留金额(元)"]) * 100) == want.reserved_fen
        assert round(float(got["已完成金额(元)"]) * 100) == want.completed_fen
        assert round(float(got["未付款金额(元)"]) * 100) == want.unpaid_fen
        assert int(got["未付款单数"]) == want.unpaid_count
        assert got["跟进原因"] == "；".join(reasons(want.flags, want.representative_code, names))
        assert got["规则"] == " ".join(f.rule for f in want.flags)
        assert got["联系电话"] == want.contacts[0].phone
        oldest = want.unpaid_oldest_days
        assert got["最长欠款天数"] == ("" if oldest is None else str(oldest))


def test_csv_in_gb18030_for_old_excel(loaded: Service, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    export_view(loaded, path, "all", fmt="csv", encoding="gb18030")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    names = [r["单位名称"] for r in read_csv(path, "gb18030")]
    assert names == [r.name for r in loaded.view_rows("all")]


def test_filter_and_sort_are_kept(loaded: Service, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    export_view(loaded, path, "all", text="西宁", sort="-reserved", fmt="csv")
    codes = [r["统一社会信用代码"] for r in read_csv(path)]
    want = [r.code for r in loaded.view_rows("all", "西宁", "-reserved")]
    assert codes == want
    assert 0 < len(codes) < loaded.cache.count("units")


def test_xlsx_round_trip_formats_and_summary_sheets(loaded: Service, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    export_view(loaded, path, "all", fmt="xlsx")
    book = load_workbook(path)
    sheet, by_area, by_supervisor, _ranking = book.worksheets
    assert [s.title for s in book.worksheets] == [
        "跟进清单",
        "按区域代码汇总",
        "按主管部门汇总",
        "排名",
    ]
    assert (
        sheet["A1"].value
        == "跟进清单 · 视图 全部 · 筛选 （无） · 排序 单位名称 按拼音 A→Z · 截至 2024-06-30"
    )
    assert [c.value for c in sheet[2]] == HEADERS
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "B3"
    rows = loaded.view_rows("all")
    assert sheet.auto_filter.ref == f"A2:V{len(rows) + 2}"
    reserved, rate = HEADERS.index("预留金额(元)") + 1, HEADERS.index("完成率") + 1
    for number, want in enumerate(rows, start=3):
        assert sheet.cell(number, 2).value == want.code
        cell = sheet.cell(number, reserved)
        assert round(cell.value * 100) == want.reserved_fen
        assert cell.number_format == "#,##0.00"
        rate_cell = sheet.cell(number, rate)
        if want.reserved_fen:
            exact = Fraction(want.completed_fen, want.reserved_fen)
            assert (
                0 <= exact - Fraction(rate_cell.value).limit_denominator(1000) < Fraction(1, 1000)
            )
            assert rate_cell.number_format == "0.0%"
        else:
            assert rate_cell.value is None
    # CJK headers count double, so 统一社会信用代码's column fits its 18-character codes.
    assert sheet.column_dimensions["B"].width >= 18
    assert sheet.column_dimensions["A"].width >= display_width("青海省卫生健康委员会")
    for grouped in (by_area, by_supervisor):
        values = [[c.value for c in row] for row in grouped.iter_rows()]
        assert values[0][0].startswith("跟进清单 · 视图 全部")
        assert values[-1][:2] == ["合计", len(rows)]


def test_cli_export(cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from . import sample_data as sd
    from .conftest import SAMPLE_FILES

    assert main(cli_args(cache_dir, "import", *SAMPLE_FILES)) == 0
    out = tmp_path / "跟进清单.xlsx"
    assert main(cli_args(cache_dir, "export", "--view", "unpaid", "-o", out)) == 0
    unpaid_units = len({row[2] for row in sd.ORDERS if row[7] == "待付款"})
    assert f"已导出 {unpaid_units} 个单位" in capsys.readouterr().err
    assert load_workbook(out).worksheets[0].max_row == unpaid_units + 2  # title and header
    missing = tmp_path / "no" / "x.csv"
    assert main(cli_args(cache_dir, "export", "-o", missing)) == 2
    assert "文件夹不存在" in capsys.readouterr().err


def _failing_rows() -> Iterator[dict[str, Any]]:
    yield {"name": "甲"}
    raise RuntimeError("disk gone")


COLUMNS = [Column("单位名称", "text", lambda r: r["name"])]


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path: Path, writer: Any) -> None:
    path = tmp_path / f"list.{'csv' if writer is write_csv else 'xlsx'}"
    path.write_bytes(b"old")

    class Rows(list[dict[str, Any]]):
        def __iter__(self) -> Iterator[dict[str, Any]]:
            return _failing_rows()

    def write() -> None:
        rows = Rows([{"name": "甲"}])
        if writer is write_csv:
            write_csv(path, COLUMNS, rows)
        else:
            write_xlsx(path, [Sheet("清单", "清单", COLUMNS, rows)])

    with pytest.raises(RuntimeError):
        write()
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    path.unlink()
    with pytest.raises(RuntimeError):
        write()
    assert list(tmp_path.iterdir()) == []
