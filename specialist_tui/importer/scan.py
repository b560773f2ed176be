"""Importing files of any size in bounded memory: check every row first, then read them again.

``read_files`` (batch.py) keeps every record, which suits the client's cache; a hub importing
a platform's year of orders (millions of rows) cannot hold them. ``scan_files`` checks every row
just as ``read_files`` does but keeps, per record, only an 8-byte digest of its key (to find
duplicates) and the code of the unit it names; ``records_of`` then reads the files again and
hands out one kind's records one at a time, for the hub to write in chunks in one transaction.

Duplicates are found by sorting the digests in 256 buckets (each sorted on its own, so the
sort's temporary lists stay small); only when some digest repeats are the files read once more
to name both rows, comparing the keys themselves, so a digest collision is never reported.
"""

from __future__ import annotations

import dataclasses
import hashlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specialist_tui.domain.models import Record
from specialist_tui.importer.batch import Source, duplicate, each_sheet, file_sheets, record_key
from specialist_tui.importer.headers import HeaderMap, Kind
from specialist_tui.importer.read import ReadError, Sheet
from specialist_tui.importer.validate import Problem, Progress, sheet_records


@dataclass(slots=True)
class Scan:
    """What a scan of the files found: every problem, each sheet's counts, the units named."""

    problems: list[Problem] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    unit_codes: set[str] = field(default_factory=set)  # every unit a record names or is

    @property
    def bad_rows(self) -> int:
        return len({(p.file, p.sheet, p.row) for p in self.problems})

    def records(self, kind: Kind | None = None) -> int:
        return sum(s.records for s in self.sources if kind is None or s.kind is kind)


def scan_files(paths: Iterable[Path], progress: Progress | None = None) -> Scan:
    """Check every row of every file (as ``read_files``) keeping no record; nothing is written."""
    files = [Path(p) for p in paths]
    scan = Scan()
    buckets = [array("Q") for _ in range(256)]

    def check(sheet: Sheet, header_row: int, header: HeaderMap) -> None:
        problems: list[Problem] = []
        good = 0
        for _, record in sheet_records(sheet, header_row, header, problems, progress):
            digest = _digest(header.kind, record)
            buckets[digest >> 56].append(digest)
            scan.unit_codes.add(_unit_code(record))
            good += 1
        scan.problems.extend(problems)
        bad = len({p.row for p in problems})
        scan.sources.append(Source(sheet.file, sheet.name, header.kind, good, bad))

    each_sheet(files, scan.problems, progress, check)
    repeated = {d for bucket in buckets for d in _repeats(bucket)}
    if repeated:
        _name_duplicates(files, repeated, scan)
    return scan


def records_of(paths: Iterable[Path], kind: Kind) -> Iterator[Record]:
    """The records of one kind, read again from files ``scan_files`` found clean, one by one.

    A problem now means a file changed since the scan: ReadError, and the caller writes nothing.
    """
    problems: list[Problem] = []
    for path in paths:
        for sheet, header_row, header in file_sheets(Path(path)):
            if header.kind is kind:
                for _, record in sheet_records(sheet, header_row, header, problems):
                    yield record
            if problems:
                raise ReadError(f"{path}: 文件在导入过程中被修改（{problems[0]}）；请重新导入")


def _name_duplicates(files: list[Path], repeated: set[int], scan: Scan) -> None:
    """Read the files again to name each duplicate row and the row it repeats."""
    first: dict[tuple[Kind, tuple[Any, ...]], tuple[str, int]] = {}
    again: Counter[tuple[str, str]] = Counter()  # duplicate rows per (file, sheet)

    def name(sheet: Sheet, header_row: int, header: HeaderMap) -> None:
        for number, record in sheet_records(sheet, header_row, header, []):
            if _digest(header.kind, record) not in repeated:
                continue
            key = (header.kind, record_key(header.kind, record))
            seen = first.setdefault(key, (sheet.file, number))
            if seen != (sheet.file, number):
                again[(sheet.file, sheet.name)] += 1
                scan.problems.append(duplicate(sheet, number, key[1], seen))

    each_sheet(files, [], None, name)
    scan.sources = [
        dataclasses.replace(
            s,
            records=s.records - again[(s.file, s.sheet)],
            bad_rows=s.bad_rows + again[(s.file, s.sheet)],
        )
        for s in scan.sources
    ]


def _digest(kind: Kind, record: Record) -> int:
    key = repr((kind.value, record_key(kind, record))).encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


def _repeats(bucket: array[int]) -> Iterator[int]:
    previous = None
    for digest in sorted(bucket):
        if digest == previous:
            yield digest
        previous = digest


def _unit_code(record: Record) -> str:
    code = getattr(record, "unit_code", None) or getattr(record, "code", "")
    return str(code)
