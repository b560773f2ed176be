"""Importing platform exports: samples, encodings, header variants, bad rows, re-import."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from specialist_tui.cli import main
from specialist_tui.client.import_apply import apply_batch
from specialist_tui.client.service import Service
from specialist_tui.domain.fields import BEIJING
from specialist_tui.importer import Kind, read_files

from . import sample_data as sd
from .conftest import SAMPLE_FILES, cli_args, dump


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def test_every_shipped_sample_imports_as_written() -> None:
    batch = read_files(SAMPLE_FILES)
    assert batch.problems == []
    assert {s.kind for s in batch.sources} == set(Kind)
    assert [u.code for u in batch.units] == [row[1] for row in sd.UNITS]
    assert [(f.unit_code, f.year) for f in batch.filings] == [(r[0], r[2]) for r in sd.FILINGS]
    assert [o.id for o in batch.orders] == [row[0] for row in sd.ORDERS]
    hospital = next(f for f in batch.filings if f.unit_code == sd.UNITS[3][1])
    assert hospital.canteen_reserved == 1_290_000_50  # 1290000.5 yuan in a numeric cell
    health = batch.units[1]
    assert [(c.name, c.role.value, c.phone) for c in health.contacts] == [
        ("李秀英", "finance", "13909711002"),
        ("王强", "canteen", "13909711003"),
    ]
    assert health.specialist_id == "zy001"
    by_id = {o.id: o for o in batch.orders}
    assert by_id[sd.ORDERS[1][0]].amount == 28_460_50  # "¥28,460.50"
    assert by_id[sd.ORDERS[2][0]].placed_at == datetime(2024, 5, 20, 10, 15, tzinfo=BEIJING)
    assert by_id[sd.ORDERS[5][0]].placed_at == datetime(2024, 4, 2, tzinfo=BEIJING)  # 2024年4月2日
    assert by_id[sd.ORDERS[0][0]].year == 2024


def test_applied_samples_update_the_units_facts(loaded: Service) -> None:
    cache = loaded.cache
    assert (cache.count("units"), cache.count("filings"), cache.count("orders")) == (12, 11, 17)
    edu = cache.unit_rows([sd.EDU], loaded.today)[0]
    # Orders 1 and 2 are completed canteen orders; order 3 (union) is only received.
    assert edu.completed_canteen_fen == 36_500_00 + 28_460_50
    assert edu.reserved_fen == 180_000_00 + 30_000_00
    unpaid = cache.unit_rows([sd.UNITS[11][1]], loaded.today)[0]
    assert (unpaid.unpaid_count, unpaid.unpaid_fen) == (1, 31_000_00)
    assert "R10" in {f.rule for f in unpaid.flags}


def test_reimporting_the_same_files_changes_nothing(loaded: Service) -> None:
    before = dump(loaded)
    apply_batch(loaded.cache, read_files(SAMPLE_FILES), loaded.policy, loaded.today)
    assert dump(loaded) == before


def test_cli_imports_and_reimport_is_a_no_op(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(cli_args(cache_dir, "import", *SAMPLE_FILES)) == 0
    assert "已导入：单位 12，填报 11，订单 17" in capsys.readouterr().err
    from specialist_tui.client.cache import Cache

    cache = Cache.open(cache_dir)
    first = {t: cache.rows(f"SELECT * FROM {t} ORDER BY 1") for t in ("units", "unit_stats")}
    assert main(cli_args(cache_dir, "import", *SAMPLE_FILES)) == 0
    second = {t: cache.rows(f"SELECT * FROM {t} ORDER BY 1") for t in ("units", "unit_stats")}
    assert second == first
    cache.close()


UNIT_HEAD = [
    "单位名称",
    "统一社会信用代码",
    "单位级次",
    "行政区划代码",
    "区域代码",
    "联系人",
    "联系电话",
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    rows = [
        UNIT_HEAD,
        ["西宁市第一中学", sd.UNITS[6][1], "市州", "630100", "QH0101", "马晓东", "13709712101"],
    ]
    batch = read_files([write_csv(tmp_path / "units.csv", rows, encoding)])
    assert batch.problems == []
    assert batch.units[0].name == "西宁市第一中学"
    assert batch.units[0].contacts[0].name == "马晓东"


def test_header_variants_spaces_full_width_brackets_wan_yuan_any_order(tmp_path: Path) -> None:
    head = [
        " 预留金额 （万元）",
        "年度食堂食材采购总额【元】",
        "填报 状态",
        "年度",
        "*统一社会信用代码",
    ]
    rows = [head, ["1.5", "100,000", "已提交", 2024, sd.EDU.lower()]]
    batch = read_files([write_csv(tmp_path / "filings.csv", rows)])
    assert batch.problems == []
    filing = batch.filings[0]
    assert (filing.unit_code, filing.year, filing.status.value) == (sd.EDU, 2024, "submitted")
    assert filing.canteen_reserved == 15_000_00  # 1.5 万元
    assert filing.canteen_total == 100_000_00


def test_header_row_below_a_title_and_excel_cells(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["2024年订单导出"])
    sheet.append([])
    sheet.append(
        ["下单时间", "订单编号", "统一社会信用代码", "订单金额（元）", "订单状态", "采购类型"]
    )
    sheet.append([datetime(2024, 3, 1, 9, 30), 8320001, sd.EDU, 1234.5, "completed", "工会"])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    batch = read_files([path])
    assert batch.problems == []
    order = batch.orders[0]
    assert (order.id, order.amount, order.status.value, order.part.value) == (
        "8320001",
        1234_50,
        "completed",
        "union",
    )
    assert order.placed_at == datetime(2024, 3, 1, 9, 30, tzinfo=BEIJING)


FILING_HEAD = [
    "统一社会信用代码",
    "年度",
    "填报状态",
    "年度食堂食材采购总额(元)",
    "预留金额(元)",
    "提交时间",
]
GOOD = [sd.EDU, 2024, "已提交", "1,000,000.00", "150000", "2024-02-10"]
BAD_ROWS = [
    ([sd.EDU[:-1] + "0", 2024, "已提交", "1000", "150", "2024-02-10"], "统一社会信用代码"),
    ([sd.HEALTH, 2024, "已提交", "1000", "-150", "2024-02-10"], "预留金额(元)"),
    ([sd.XN_EDU, 2024, "已审核", "1000", "150", "2024-02-10"], "填报状态"),
    ([sd.HD_FIN, 2024, "已提交", "1000", "150", "2024-02-30"], "提交时间"),
    ([sd.UNITS[6][1], 2024, "已提交", "1000", "1500", "2024-02-10"], "预留金额(元)"),
]


def bad_file(tmp_path: Path) -> Path:
    rows = [FILING_HEAD, GOOD, *(row for row, _ in BAD_ROWS)]
    return write_csv(tmp_path / "bad.csv", rows)


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_row(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bad_file(tmp_path)
    batch = read_files([path])
    assert [(p.row, p.column) for p in batch.problems] == [
        (3 + i, column) for i, (_, column) in enumerate(BAD_ROWS)
    ]
    reasons = [p.reason for p in batch.problems]
    assert "校验位" in reasons[0]
    assert reasons[1] == "金额不能为负"
    assert reasons[2].startswith("未知的取值")
    assert reasons[3] == "日期不存在"
    assert "不能大于" in reasons[4]
    assert batch.problems[2].value == "已审核"
    assert main(cli_args(cache_dir, "import", path)) == 1
    err = capsys.readouterr().err
    for number in range(3, 8):
        assert f"第 {number} 行" in err
    assert "未写入任何数据" in err
    from specialist_tui.client.cache import Cache

    cache = Cache.open(cache_dir)
    assert cache.count("filings") == 0
    cache.close()


def test_skip_invalid_imports_good_rows_and_writes_the_report(
    tmp_path: Path, cache_dir: Path
) -> None:
    report = tmp_path / "problems.csv"
    args = cli_args(cache_dir, "import", bad_file(tmp_path), "--skip-invalid", "--report", report)
    assert main(args) == 0
    with report.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["文件", "工作表", "行号", "列", "值", "原因"]
    assert [line[2] for line in lines[1:]] == ["3", "4", "5", "6", "7"]
    from specialist_tui.client.cache import Cache

    cache = Cache.open(cache_dir)
    assert [r["unit_code"] for r in cache.rows("SELECT unit_code FROM filings")] == [sd.EDU]
    cache.close()


def test_unreadable_and_unrecognised_files_are_problems(tmp_path: Path) -> None:
    other = write_csv(tmp_path / "other.csv", [["姓名", "年龄"], ["张三", "30"]])
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    batch = read_files([other, old, tmp_path / "missing.csv"])
    assert [Path(p.file).name for p in batch.problems] == ["other.csv", "old.xls", "missing.csv"]
    assert "没有可识别的表头" in batch.problems[0].reason
    assert ".xlsx" in batch.problems[1].reason
    assert "不存在" in batch.problems[2].reason


def test_missing_required_column_and_duplicate_keys(tmp_path: Path) -> None:
    no_status = write_csv(
        tmp_path / "o1.csv",
        [
            ["订单编号", "统一社会信用代码", "下单时间", "订单金额(元)"],
            ["1", sd.EDU, "2024-03-01", "5"],
        ],
    )
    twice = write_csv(
        tmp_path / "o2.csv",
        [
            ["订单编号", "统一社会信用代码", "下单时间", "订单金额(元)", "订单状态"],
            ["A1", sd.EDU, "2024-03-01", "5", "已完结"],
            ["A1", sd.EDU, "2024-03-02", "6", "已完结"],
        ],
    )
    batch = read_files([no_status, twice])
    assert [(p.row, p.column, p.reason) for p in batch.problems] == [
        (1, "订单状态", "缺少必需的列"),
        (3, "", "重复：与 o2.csv 第 2 行相同"),
    ]
    assert [o.amount for o in batch.orders] == [500]


def test_absent_columns_keep_stored_values_and_empty_cells_clear_them(
    tmp_path: Path, loaded: Service
) -> None:
    code = sd.UNITS[6][1]
    no_specialist = write_csv(
        tmp_path / "u.csv",
        [
            ["单位名称", "统一社会信用代码", "单位级次", "行政区划代码"],
            ["西宁一中", code, "市州", "630100"],
        ],
    )
    apply_batch(loaded.cache, read_files([no_specialist]), loaded.policy, loaded.today)
    row = loaded.cache.unit(code)
    assert row is not None
    assert (row["name"], row["specialist_id"], row["area_code"]) == ("西宁一中", "zy002", "QH0101")
    assert row["contacts"][0]["name"] == "马晓东"
    cleared = write_csv(
        tmp_path / "u2.csv",
        [
            ["单位名称", "统一社会信用代码", "单位级次", "行政区划代码", "专员"],
            ["西宁一中", code, "市州", "630100", ""],
        ],
    )
    apply_batch(loaded.cache, read_files([cleared]), loaded.policy, loaded.today)
    row = loaded.cache.unit(code)
    assert row is not None and row["specialist_id"] is None
