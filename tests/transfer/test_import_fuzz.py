"""Malformed imports: a one-line message and a non-zero exit, or a clean import; never a traceback,
never a half-write, never rows lost without a word."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from specialist_tui.cli import main
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.importer import read_files

from .conftest import TODAY, cli_args, dump
from .malformed import Malformed, malformed_files, stale_dimension
from .sample_data import SAMPLES

CASES = malformed_files()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the shipped samples, copied for each case."""
    folder = tmp_path_factory.mktemp("base") / "cache"
    assert main(cli_args(folder, "import", *sorted(SAMPLES.glob("*.*")))) == 0
    return folder


def _content(folder: Path) -> object:
    service = Service(Settings(cache_dir=folder, today=TODAY))
    try:
        return dump(service)
    finally:
        service.close()


def test_every_malformed_file_is_read_into_problems_never_a_traceback(tmp_path: Path) -> None:
    refused = 0
    for number, case in enumerate(CASES):
        path = tmp_path / f"file-{number}{case.suffix}"
        path.write_bytes(case.content)
        batch = read_files([path])  # must not raise, whatever the bytes
        for problem in batch.problems:
            assert "\n" not in str(problem) and "Traceback" not in str(problem), case.name
        if "cut at byte" in case.name and case.suffix == ".csv":
            assert batch.problems, f"{case.name}: a truncated CSV was read as complete"
        refused += bool(batch.problems)
        path.unlink()
    assert refused > len(CASES) // 2  # the generator makes mostly bad files


# End to end through the command, on a copy of a cache holding the samples: a refused file
# exits non-zero with its problems on stderr and writes nothing. One case in ten (the command
# opens and prepares a cache each time).
@pytest.mark.parametrize("case", CASES[::10], ids=lambda c: c.name)
def test_a_refused_file_writes_nothing(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Malformed
) -> None:
    folder = tmp_path / "cache"
    shutil.copytree(base, folder)
    path = tmp_path / f"file{case.suffix}"
    path.write_bytes(case.content)
    capsys.readouterr()
    code = main(cli_args(folder, "import", path))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code != 0:
        assert _content(folder) == _content(base)
        assert "未写入任何数据" in err or "没有可导入的数据" in err, err


def test_rows_beyond_a_stale_dimension_are_read(tmp_path: Path) -> None:
    data = (SAMPLES / "filings.xlsx").read_bytes()
    rows = load_workbook(io.BytesIO(data)).active.max_row - 2  # a title row, a header row
    path = tmp_path / "stale.xlsx"
    path.write_bytes(stale_dimension(data))
    folder = tmp_path / "cache"
    assert main(cli_args(folder, "import", SAMPLES / "units.csv", path)) == 0
    service = Service(Settings(cache_dir=folder, today=TODAY))
    try:
        assert service.cache.count("filings") == rows
    finally:
        service.close()


@pytest.mark.parametrize("cut", [3, 8, 30])  # the last 2 bytes are its CRLF
def test_a_csv_cut_short_is_refused_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: int
) -> None:
    data = (SAMPLES / "units.csv").read_bytes()
    path = tmp_path / "units.csv"
    path.write_bytes(data[: len(data) - cut])
    folder = tmp_path / "cache"
    capsys.readouterr()
    assert main(cli_args(folder, "import", path)) != 0
    err = capsys.readouterr().err
    assert "不完整" in err and "Traceback" not in err
