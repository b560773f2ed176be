"""Reading the rows of an XLSX workbook or a CSV file, whatever encoding Excel saved it in."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Tried in order; GB18030 is a superset of GBK and GB2312, what Chinese Excel writes.
ENCODINGS = ("utf-8-sig", "gb18030")

Row = tuple[Any, ...]
EXCEL_MAX_ROWS = 1_048_576
_BLOCK = 1 << 20  # bytes a CSV file is surveyed by


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
        encoding, lines, complete = _survey(path)
    except ReadError as exc:
        raise ReadError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ReadError(f"{path}: {exc.strerror or exc}") from None
    if not complete:
        # Every exporter ends its last row with a line break; a file that stops without one
        # was cut short (a copy or a download that did not finish), and its last value with it.
        raise ReadError(
            f"{path}: 文件不完整：最后一行没有换行符结尾（可能在复制或下载时被截断）；"
            "若文件确实完整，请在末尾加一个换行后重试"
        )
    return Sheet(str(path), "", lines, _csv_rows(path, encoding))


def _survey(path: Path) -> tuple[str, int, bool]:
    """The encoding that decodes the whole file, its number of lines, and whether it is whole
    (blank, or ending in a line break), read block by block: a file of any size is never held
    in memory."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        breaks, last, blank = 0, "", True
        try:
            with path.open("rb") as file:
                while block := file.read(_BLOCK):
                    text = decoder.decode(block)
                    breaks += text.count("\n")
                    blank = blank and not text.strip()
                    last = text[-1:] or last
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, breaks + (0 if last == "\n" else 1), blank or last in ("\n", "\r")
    raise ReadError("无法识别文件编码（应为 UTF-8 或 GB18030/GBK）")


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, Row]]:
    number = 0
    # Records, not lines, are numbered: a quoted cell may hold a line break. Strict, so a quote
    # left open at the end of the file (a cut file) is an error, not a cell swallowing the rest.
    with path.open(encoding=encoding, newline="") as file:
        try:
            for number, values in enumerate(csv.reader(file, strict=True), start=1):
                yield number, tuple(values)
        except csv.Error as exc:
            raise ReadError(f"{path}: 第 {number + 1} 行无法读取（{_csv_reason(exc)}）") from None


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field limit" in text:
        return f"单元格超过 {csv.field_size_limit():,} 个字符"
    if "end of data" in text:
        return "引号没有闭合，文件可能不完整"
    return f"CSV 格式错误：{text}"


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any corrupt member: zip, XML, openpyxl's own
        raise ReadError(f"{path}: 不是可读取的 XLSX 文件（{_short(exc)}）") from None


def _worksheet(path: Path, sheet: Any) -> Sheet:
    # The <dimension> tag is only what the writer claimed: openpyxl's read-only mode stops
    # there, so a tag that under-states the rows would drop the rest without a word.
    declared = sheet.max_row
    sheet.reset_dimensions()
    return Sheet(str(path), sheet.title, declared, _xlsx_rows(path, sheet))


def _xlsx_rows(path: Path, sheet: Any) -> Iterator[tuple[int, Row]]:
    # Rows are parsed as they are read, so a corrupt member shows up here, mid-file.
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > EXCEL_MAX_ROWS:  # openpyxl fills gaps up to a row's number: stop here
                raise ReadError(f"{path}: 行数超过 Excel 的上限 {EXCEL_MAX_ROWS:,} 行，文件已损坏")
            yield number, tuple(values)
    except ReadError:
        raise
    except Exception as exc:  # XML, zip, zlib, openpyxl: all of them mean "corrupt"
        raise ReadError(f"{path}: XLSX 文件已损坏（{_short(exc)}）") from None


def _short(exc: Exception) -> str:
    """An exception as a short single line for the user."""
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
