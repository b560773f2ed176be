"""Which file kind a header row belongs to, and which column holds which field.

Headers are matched after normalisation (no spaces, half-width brackets, a leading * of a
template's required mark dropped); a unit named in brackets, 元 or 万元, sets the amount factor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from specialist_tui.domain.enums import (
    CanteenMode,
    ContactRole,
    FilingStatus,
    Labelled,
    LetterStatus,
    Level,
    OrderPart,
    OrderStatus,
    UnionMode,
)

FEN_PER_YUAN = 100
FEN_PER_WAN_YUAN = 1_000_000


class Kind(StrEnum):
    UNITS = "units"
    FILINGS = "filings"
    ORDERS = "orders"

    @property
    def label(self) -> str:
        return {"units": "单位", "filings": "填报", "orders": "订单"}[self.value]


class Cell(StrEnum):
    """How a column's cells are read."""

    TEXT = "text"
    CODE = "code"
    MONEY = "money"
    MOMENT = "moment"
    INT = "int"
    BOOL = "bool"
    ENUM = "enum"


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    names: tuple[str, ...]  # normalised header names; the first is the one we document
    cell: Cell = Cell.TEXT
    required: bool = False
    enum: type[Labelled] | None = None


def _money(field_name: str, *names: str, required: bool = False) -> Column:
    return Column(field_name, names, Cell.MONEY, required)


def _enum(field_name: str, enum: type[Labelled], *names: str, required: bool = False) -> Column:
    return Column(field_name, names, Cell.ENUM, required, enum)


UNIT_COLUMNS = (
    Column("name", ("单位名称", "预算单位名称", "预算单位"), required=True),
    Column("code", ("统一社会信用代码", "单位统一社会信用代码", "信用代码"), Cell.CODE, True),
    Column("supervisor_name", ("主管部门", "主管预算单位", "主管部门名称")),
    Column("supervisor_code", ("主管部门统一社会信用代码", "主管部门信用代码"), Cell.CODE),
    _enum("level", Level, "单位级次", "级次", "单位层级", required=True),
    Column("division_code", ("行政区划代码", "区划代码"), Cell.CODE, True),
    Column("area_code", ("区域代码",), Cell.CODE),
    Column("contact_name", ("联系人", "联系人1", "联系人姓名")),
    Column("contact_phone", ("联系电话", "联系电话1", "联系人电话", "手机号码", "电话"), Cell.CODE),
    _enum("contact_role", ContactRole, "联系人角色", "联系人角色1", "联系人类型"),
    Column("contact2_name", ("联系人2",)),
    Column("contact2_phone", ("联系电话2",), Cell.CODE),
    _enum("contact2_role", ContactRole, "联系人角色2"),
    Column("staff_count", ("职工人数", "在职职工人数", "人数"), Cell.INT),
    Column("specialist_id", ("专员", "专员工号", "服务专员")),
)

FILING_COLUMNS = (
    Column("unit_code", ("统一社会信用代码", "单位统一社会信用代码", "信用代码"), Cell.CODE, True),
    Column("year", ("年度", "填报年度"), Cell.INT, True),
    _enum("status", FilingStatus, "填报状态", "状态"),
    _enum("canteen_mode", CanteenMode, "食堂情况", "食堂类型", "食堂模式"),
    _money("canteen_total", "年度食堂食材采购总额", "食堂食材采购总额", "食堂采购总额"),
    _money("canteen_reserved", "预留金额", "食堂预留金额", "预留份额"),
    _enum("union_mode", UnionMode, "工会经费情况", "工会经费"),
    _money("union_total", "工会采购总额", "工会年度采购农副产品总额"),
    _money("union_reserved", "工会预留金额", "工会预留份额"),
    Column("submitted_at", ("提交时间", "填报时间"), Cell.MOMENT),
    Column("confirmed_at", ("确认时间",), Cell.MOMENT),
    Column("contractor", ("外包方", "外包单位", "承包方")),
    Column("contract_clause", ("合同约定比例", "合同约定预留比例"), Cell.BOOL),
    Column("executor", ("采购执行主体", "执行主体")),
    Column("executor_account_opened", ("执行主体已开户", "执行主体是否开户"), Cell.BOOL),
    Column("representative_code", ("代表单位统一社会信用代码", "代表单位信用代码"), Cell.CODE),
    _enum("no_canteen_letter", LetterStatus, "无食堂承诺函", "承诺函"),
    Column("decline_explained", ("下降已说明", "下降是否说明"), Cell.BOOL),
    Column("decline_explanation", ("说明", "下降说明", "备注")),
)

ORDER_COLUMNS = (
    Column("id", ("订单编号", "订单号"), Cell.CODE, True),
    # A platform export names the buyer 采购单位; only its credit code identifies the unit.
    Column(
        "unit_code",
        ("统一社会信用代码", "采购单位统一社会信用代码", "采购单位信用代码", "采购单位"),
        Cell.CODE,
        True,
    ),
    Column("year", ("年度",), Cell.INT),
    Column("placed_at", ("下单时间", "订单时间", "下单日期"), Cell.MOMENT, True),
    _money("amount", "订单金额", "金额", "订单总额", required=True),
    _enum("part", OrderPart, "采购类型", "采购主体类型"),
    Column("area_code", ("区域代码",), Cell.CODE),
    _enum("status", OrderStatus, "订单状态", "状态", required=True),
    Column("paid_at", ("付款时间", "支付时间"), Cell.MOMENT),
    Column("received_at", ("收货时间", "确认收货时间"), Cell.MOMENT),
    Column("completed_at", ("完结时间", "完成时间"), Cell.MOMENT),
)

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.UNITS: UNIT_COLUMNS,
    Kind.FILINGS: FILING_COLUMNS,
    Kind.ORDERS: ORDER_COLUMNS,
}

# A header row is of a kind when it has all of these fields; orders are tried first because an
# orders export may also carry unit columns, and filings before units for the same reason.
_MARKERS: tuple[tuple[Kind, frozenset[str]], ...] = (
    (Kind.ORDERS, frozenset({"id", "placed_at"})),
    (Kind.FILINGS, frozenset({"unit_code", "year", "status"})),
    (Kind.FILINGS, frozenset({"unit_code", "year", "canteen_mode"})),
    (Kind.FILINGS, frozenset({"unit_code", "year", "canteen_reserved"})),
    (Kind.UNITS, frozenset({"name", "code", "level"})),
    (Kind.UNITS, frozenset({"name", "code", "division_code"})),
)

_SPACES = re.compile(r"\s+")
_UNIT = re.compile(r"\((?:单位[:：])?(万?元)\)$")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")"})


def normalise_header(raw: Any) -> tuple[str, int]:
    """A header's bare name and the fen one unit of its amounts is worth.

    "预留金额 （万元）" -> ("预留金额", 1_000_000); "预留金额" -> ("预留金额", 100).
    """
    text = unicodedata.normalize("NFKC", "" if raw is None else str(raw))
    text = _SPACES.sub("", text).translate(_BRACKETS).lstrip("*")
    factor = FEN_PER_YUAN
    match = _UNIT.search(text)
    if match:
        if match.group(1) == "万元":
            factor = FEN_PER_WAN_YUAN
        text = text[: match.start()]
    return text, factor


@dataclass(frozen=True, slots=True)
class Mapped:
    """One recognised column of a file: where it is and how to read it."""

    index: int
    header: str  # as written in the file
    column: Column
    factor: int = FEN_PER_YUAN


@dataclass(slots=True)
class HeaderMap:
    kind: Kind
    columns: list[Mapped]
    missing: list[str] = field(default_factory=list)  # documented names of required columns
    ignored: list[str] = field(default_factory=list)  # headers no field of this kind uses

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(m.column.field for m in self.columns)


def _matches(kind: Kind, headers: Sequence[Any]) -> HeaderMap:
    by_name = {name: col for col in COLUMNS[kind] for name in col.names}
    rank = {(col.field, name): i for col in COLUMNS[kind] for i, name in enumerate(col.names)}
    chosen: dict[str, Mapped] = {}
    ignored: list[str] = []
    for index, raw in enumerate(headers):
        name, factor = normalise_header(raw)
        column = by_name.get(name)
        if column is None:
            if name:
                ignored.append(str(raw).strip())
            continue
        current = chosen.get(column.field)
        # Two headers for one field (统一社会信用代码 and 采购单位): the earlier name in the
        # table wins, so a name column never hides the code column.
        if (
            current is None
            or rank[(column.field, name)]
            < rank[(column.field, normalise_header(current.header)[0])]
        ):
            if current is not None:
                ignored.append(current.header)
            chosen[column.field] = Mapped(index, str(raw).strip(), column, factor)
        else:
            ignored.append(str(raw).strip())
    missing = [c.names[0] for c in COLUMNS[kind] if c.required and c.field not in chosen]
    return HeaderMap(kind, sorted(chosen.values(), key=lambda m: m.index), missing, ignored)


def recognise(headers: Sequence[Any]) -> HeaderMap | None:
    """The kind and columns of a header row, or None when it is not a header row we know."""
    for kind, marker in _MARKERS:
        found = _matches(kind, headers)
        if marker <= found.fields:
            return found
    return None
