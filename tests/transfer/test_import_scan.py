"""The hub's two-pass import (importer/scan.py) finds exactly what read_files finds, and hands
out the same records, without keeping them."""

from __future__ import annotations

import csv
from pathlib import Path

from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.importer import Kind, ReadError, read_files
from specialist_tui.importer.scan import records_of, scan_files

from .malformed import malformed_files
from .sample_data import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.*"))
CODE = make_credit_code("12630100", "00000001")


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def _same_as_read_files(paths: list[Path]) -> None:
    batch = read_files(paths)
    scan = scan_files(paths)
    assert scan.problems == batch.problems
    assert scan.sources == batch.sources
    assert scan.bad_rows == batch.bad_rows
    if not batch.problems:
        for kind in Kind:
            assert list(records_of(paths, kind)) == batch.of(kind), kind
        named = {u.code for u in batch.units} | {r.unit_code for r in batch.filings}
        assert scan.unit_codes == named | {r.unit_code for r in batch.orders}


def test_the_samples_scan_as_they_read() -> None:
    _same_as_read_files(SAMPLE_FILES)
    assert scan_files(SAMPLE_FILES).records() == 12 + 11 + 17


def test_every_malformed_file_scans_as_it_reads(tmp_path: Path) -> None:
    for number, case in enumerate(malformed_files()):
        path = tmp_path / f"file-{number}{case.suffix}"
        path.write_bytes(case.content)
        _same_as_read_files([path])
        path.unlink()


def test_duplicates_across_files_are_named_with_the_row_they_repeat(tmp_path: Path) -> None:
    header = ["订单编号", "统一社会信用代码", "下单时间", "订单金额(元)", "订单状态"]
    code = CODE
    first = _write_csv(
        tmp_path / "o1.csv",
        [
            header,
            ["A1", code, "2024-03-01", "5", "已完结"],
            ["A2", code, "2024-03-01", "5", "已完结"],
        ],
    )
    second = _write_csv(
        tmp_path / "o2.csv",
        [
            header,
            ["A3", code, "2024-03-02", "6", "已完结"],
            ["A1", code, "2024-03-02", "6", "已完结"],
        ],
    )
    scan = scan_files([first, second])
    assert [(Path(p.file).name, p.row, p.reason) for p in scan.problems] == [
        ("o2.csv", 3, "重复：与 o1.csv 第 2 行相同")
    ]
    assert [(Path(s.file).name, s.records, s.bad_rows) for s in scan.sources] == [
        ("o1.csv", 2, 0),
        ("o2.csv", 1, 1),
    ]
    _same_as_read_files([first, second])


def test_a_file_changed_between_the_passes_is_refused(tmp_path: Path) -> None:
    header = ["订单编号", "统一社会信用代码", "下单时间", "订单金额(元)", "订单状态"]
    path = _write_csv(tmp_path / "o.csv", [header, ["A1", CODE, "2024-03-01", "5", "已完结"]])
    assert not scan_files([path]).problems
    _write_csv(path, [header, ["A1", CODE, "not a day", "5", "已完结"]])
    try:
        list(records_of([path], Kind.ORDERS))
    except ReadError as exc:
        assert "文件在导入过程中被修改" in str(exc)
    else:
        raise AssertionError("a changed file was read as clean")
