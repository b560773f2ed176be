"""Reading the rows of an XLSX workbook or a CSV file, whatever encoding Excel saved it in."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Tried in order; GB18030 is a superset of GBK and GB2312, what Chinese Excel writes.
ENCODINGS = ("utf-8-sig", "gb18030")

Row = tuple[Any, ...]


class ReadError(Exception):
    """A file that cannot be read at all; the message names the file and says why."""


@dataclass(slots=True)
class Sheet:
    """One table of a file: a CSV file, or one worksheet of a workbook."""

    file: str
    name: str
    total: int | None  # rows, when the file says (for the progress bar)
    rows: Iterator[tuple[int, Row]]  # (1-based row number as Excel shows it, cell values)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding that decoded it (UTF-8, with or without BOM,
    else GB18030)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReadError("无法识别文件编码（应为 UTF-8 或 GB18030/GBK）")


@contextmanager
def open_sheets(path: Path) -> Iterator[list[Sheet]]:
    """Every table of the file at ``path``; ReadError when it is missing or not XLSX/CSV."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReadError(f"{path}: 文件不存在")
    if suffix in (".xlsx", ".xlsm"):
        book = _open_workbook(path)
        try:
            yield [_worksheet(path, sheet) for sheet in book.worksheets]
        finally:
            book.close()
    elif suffix in (".csv", ".txt"):
        yield [_csv_sheet(path)]
    else:
        raise ReadError(f"{path}: 只支持 .xlsx 和 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）")


def _csv_sheet(path: Path) -> Sheet:
    try:
        content, _ = decode(path.read_bytes())
    except ReadError as exc:
        raise ReadError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ReadError(f"{path}: {exc.strerror or exc}") from None
    total = content.count("\n") + (0 if content.endswith("\n") else 1)
    # Records, not lines, are numbered: a quoted cell may hold a line break.
    reader = csv.reader(io.StringIO(content, newline=""))
    rows = ((number, tuple(values)) for number, values in enumerate(reader, start=1))
    return Sheet(str(path), "", total, rows)


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"{path}: 不是可读取的 XLSX 文件（{exc}）") from None


def _worksheet(path: Path, sheet: Any) -> Sheet:
    rows = (
        (number, tuple(values))
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    )
    return Sheet(str(path), sheet.title, sheet.max_row, rows)
