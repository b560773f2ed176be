"""Reading a set of files into one batch of validated records and problems (no cache needed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specialist_tui.domain.models import Filing, Order, Record, Unit
from specialist_tui.importer.headers import COLUMNS, HeaderMap, Kind
from specialist_tui.importer.read import ReadError, Sheet, open_sheets
from specialist_tui.importer.validate import Problem, Progress, find_header, validate_sheet

_HINT = "；".join(
    f"{kind.label}文件应含 " + "、".join(c.names[0] for c in COLUMNS[kind] if c.required)
    for kind in Kind
)


@dataclass(frozen=True, slots=True)
class Source:
    """What one sheet held: its kind and how many good and bad rows."""

    file: str
    sheet: str
    kind: Kind
    records: int
    bad_rows: int


@dataclass(slots=True)
class ImportBatch:
    units: list[Unit] = field(default_factory=list)
    filings: list[Filing] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({(p.file, p.sheet, p.row) for p in self.problems})

    @property
    def records(self) -> int:
        return len(self.units) + len(self.filings) + len(self.orders)

    def of(self, kind: Kind) -> list[Any]:
        lists: dict[Kind, list[Any]] = {
            Kind.UNITS: self.units,
            Kind.FILINGS: self.filings,
            Kind.ORDERS: self.orders,
        }
        return lists[kind]


def record_key(kind: Kind, record: Record) -> tuple[Any, ...]:
    """The key a record is upserted by: a unit's code, a filing's unit and year, an order's id."""
    if isinstance(record, Unit):
        return (record.code,)
    if isinstance(record, Filing):
        return (record.unit_code, record.year)
    assert isinstance(record, Order)
    return (record.id,)


def read_files(paths: Iterable[Path], progress: Progress | None = None) -> ImportBatch:
    """Every record of every file, validated, with every problem found; nothing is written."""
    batch = ImportBatch()
    seen: dict[tuple[Kind, tuple[Any, ...]], tuple[str, int]] = {}

    def keep(sheet: Sheet, header_row: int, header: HeaderMap) -> None:
        result = validate_sheet(sheet, header_row, header, progress)
        target = batch.of(result.kind)
        good = 0
        for number, record in result.records:
            key = (result.kind, record_key(result.kind, record))
            first = seen.get(key)
            if first is not None:
                result.problems.append(duplicate(sheet, number, key[1], first))
                continue
            seen[key] = (sheet.file, number)
            target.append(record)
            good += 1
        batch.problems.extend(result.problems)
        bad = len({p.row for p in result.problems})
        batch.sources.append(Source(sheet.file, sheet.name, result.kind, good, bad))

    each_sheet([Path(p) for p in paths], batch.problems, progress, keep)
    return batch


def each_sheet(
    files: list[Path],
    problems: list[Problem],
    progress: Progress | None,
    visit: Callable[[Sheet, int, HeaderMap], None],
) -> None:
    """Call ``visit`` on every recognised sheet (with its header row and map); a file that
    cannot be read, or has no sheet we recognise, goes into ``problems``."""
    for path in files:
        recognised = 0
        try:
            for sheet, header_row, header in file_sheets(path, progress):
                recognised += 1
                visit(sheet, header_row, header)
        except ReadError as exc:
            problems.append(Problem(str(path), "", 0, "", "", str(exc)))
            continue
        if not recognised:
            problems.append(Problem(str(path), "", 0, "", "", f"没有可识别的表头（{_HINT}）"))


def file_sheets(
    path: Path, progress: Progress | None = None
) -> Iterator[tuple[Sheet, int, HeaderMap]]:
    """A file's sheets that have a header we recognise, with its row and map."""
    with open_sheets(path) as sheets:
        for sheet in sheets:
            if progress is not None:
                label = path.name + (f" [{sheet.name}]" if sheet.name else "")
                progress.start(label, sheet.total)
            found = find_header(sheet)
            if found is not None:
                yield sheet, found[0], found[1]


def duplicate(sheet: Sheet, number: int, key: tuple[Any, ...], first: tuple[str, int]) -> Problem:
    """A record whose key an earlier row already had."""
    return Problem(
        sheet.file,
        sheet.name,
        number,
        "",
        " ".join(str(k) for k in key),
        f"重复：与 {Path(first[0]).name} 第 {first[1]} 行相同",
    )
