"""Turning a sheet's rows into domain records, collecting every problem instead of stopping."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from specialist_tui.domain.models import Filing, Order, Record, Unit
from specialist_tui.importer import cells
from specialist_tui.importer.headers import Cell, HeaderMap, Kind, Mapped, recognise
from specialist_tui.importer.read import Row, Sheet

# Platform exports often start with a title or a note above the header row.
HEADER_SEARCH_ROWS = 10
PROGRESS_STEP = 1000

MODELS: dict[Kind, type[Record]] = {Kind.UNITS: Unit, Kind.FILINGS: Filing, Kind.ORDERS: Order}
_CONTACT_SLOTS = ("contact", "contact2")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located as a user finds it in Excel."""

    file: str
    sheet: str
    row: int  # 0 when the problem is with the file as a whole
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f" [{self.sheet}]" if self.sheet else "")
        if self.row:
            where += f" 第 {self.row} 行"
        cell = f" {self.column}" if self.column else ""
        value = f"「{self.value}」" if self.value else ""
        return f"{where}{cell}{value}：{self.reason}"


class Progress(Protocol):
    """Where the importer reports how far it got (a progress bar, or nothing)."""

    def start(self, description: str, total: int | None) -> None: ...

    def advance(self, rows: int) -> None: ...


@dataclass(slots=True)
class SheetRecords:
    """The records of one recognised sheet, each with its row number, and its problems."""

    kind: Kind
    records: list[tuple[int, Record]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def find_header(sheet: Sheet) -> tuple[int, HeaderMap] | None:
    """The header row's number and map, looked for among the first non-blank rows."""
    seen = 0
    for number, values in sheet.rows:
        if all(cells.is_blank(v) for v in values):
            continue
        found = recognise(values)
        if found is not None:
            return number, found
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return None
    return None


def validate_sheet(
    sheet: Sheet, header_row: int, header: HeaderMap, progress: Progress | None = None
) -> SheetRecords:
    """Every data row below the header as a record, or the problems that stop it being one."""
    result = SheetRecords(header.kind)
    result.records.extend(sheet_records(sheet, header_row, header, result.problems, progress))
    return result


def sheet_records(
    sheet: Sheet,
    header_row: int,
    header: HeaderMap,
    problems: list[Problem],
    progress: Progress | None = None,
) -> Iterator[tuple[int, Record]]:
    """The good data rows below the header as (row number, record), one at a time; what is
    wrong with the others goes into ``problems``."""
    if header.missing:
        for name in header.missing:
            problems.append(Problem(sheet.file, sheet.name, header_row, name, "", "缺少必需的列"))
        return
    build = _builder(header)
    pending = 0
    for number, values in sheet.rows:
        pending += 1
        if progress is not None and pending >= PROGRESS_STEP:
            progress.advance(pending)
            pending = 0
        if all(cells.is_blank(v) for v in values):
            continue
        record, found = build(values)
        if found:
            problems.extend(
                Problem(sheet.file, sheet.name, number, column, value, reason)
                for column, value, reason in found
            )
        elif record is not None:
            yield number, record
    if progress is not None and pending:
        progress.advance(pending)


# (column header, cell text, reason)
CellProblem = tuple[str, str, str]
Builder = Callable[[Row], tuple[Record | None, list[CellProblem]]]


def _builder(header: HeaderMap) -> Builder:
    model = MODELS[header.kind]
    columns = header.columns
    by_field = {m.column.field: m for m in columns}
    defaults = {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if not info.is_required()
    }

    def build(values: Row) -> tuple[Record | None, list[CellProblem]]:
        data: dict[str, Any] = {}
        problems: list[CellProblem] = []
        for mapped in columns:
            raw = values[mapped.index] if mapped.index < len(values) else None
            name = mapped.column.field
            if cells.is_blank(raw):
                if mapped.column.required:
                    problems.append((mapped.header, "", "不能为空"))
                else:
                    data[name] = defaults.get(name)
                continue
            try:
                data[name] = _read(mapped, raw)
            except cells.CellError as exc:
                problems.append((mapped.header, cells.text(raw), str(exc)))
        if problems:
            return None, problems
        slots: list[str] = []
        if header.kind is Kind.UNITS:
            slots = _gather_contacts(data, by_field)
        elif header.kind is Kind.ORDERS and data.get("year") is None:
            data["year"] = data["placed_at"].year
        try:
            return model.model_validate(data), []
        except ValidationError as exc:
            return None, [_explain(error, by_field, values, slots) for error in exc.errors()]

    return build


def _read(mapped: Mapped, raw: Any) -> Any:
    column = mapped.column
    match column.cell:
        case Cell.TEXT:
            return cells.text(raw)
        case Cell.CODE:
            return cells.text(raw).upper().replace(" ", "")
        case Cell.MONEY:
            return cells.money(raw, mapped.factor)
        case Cell.MOMENT:
            return cells.moment(raw)
        case Cell.INT:
            return cells.count(raw)
        case Cell.BOOL:
            return cells.yes_no(raw)
        case Cell.ENUM:
            assert column.enum is not None
            return cells.label(column.enum, raw)
    raise AssertionError(column.cell)


def _gather_contacts(data: dict[str, Any], by_field: dict[str, Mapped]) -> list[str]:
    """Fold the contact columns into the unit's contacts list (only when the file has them);
    returns the column groups each contact came from."""
    if not any(
        f"{slot}_{part}" in by_field for slot in _CONTACT_SLOTS for part in ("name", "phone")
    ):
        return []
    contacts = []
    used = []
    for slot in _CONTACT_SLOTS:
        name = data.pop(f"{slot}_name", None)
        phone = data.pop(f"{slot}_phone", None)
        role = data.pop(f"{slot}_role", None)
        if name or phone:
            # The filing is the finance office's work, so an unnamed role is 财务.
            contacts.append({"name": name or "", "phone": phone or "", "role": role or "finance"})
            used.append(slot)
    data["contacts"] = contacts
    return used


_FIELD_NAMES = re.compile(r"\s*\b[a-z]+(?:_[a-z]+)+\b\s*")


def _explain(error: Any, by_field: dict[str, Mapped], values: Row, slots: list[str]) -> CellProblem:
    """A pydantic error as (column, value, reason) in the user's terms."""
    loc = [str(part) for part in error["loc"]]
    name = loc[0] if loc else ""
    if name == "contacts" and len(loc) >= 3 and int(loc[1]) < len(slots):
        name = f"{slots[int(loc[1])]}_{loc[2]}"
    mapped = by_field.get(name)
    if mapped is not None:
        raw = values[mapped.index] if mapped.index < len(values) else None
        column, value = mapped.header, cells.text(raw)
    else:
        column, value = name, cells.text(error.get("input"))
    return column, value, _reason(error)


def _reason(error: Any) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return "不能为空"
    if kind == "string_too_long":
        return f"过长（最多 {context.get('max_length')} 个字符）"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "greater_than_equal":
        return f"不能小于 {context.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {context.get('le')}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return _FIELD_NAMES.sub("", message) or message
