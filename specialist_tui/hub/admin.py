"""What the `specialist-tui hub ...` admin commands do, apart from parsing and printing."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from specialist_tui.domain.enums import Role
from specialist_tui.domain.models import (
    Call,
    Center,
    Filing,
    LetterMark,
    Order,
    Specialist,
    Ticket,
    TicketEvent,
    Unit,
)
from specialist_tui.domain.policy import Policy
from specialist_tui.hub import auth
from specialist_tui.hub.store import COPIED_TABLES, HubStore, StoreError

if TYPE_CHECKING:  # the importer pulls in openpyxl: only `hub import` needs it at run time
    from specialist_tui.importer.scan import Scan

_R = TypeVar("_R")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def add_center(store: HubStore, code: str, name: str, area_codes: Sequence[str]) -> Center:
    center = Center(code=code, name=name, area_codes=list(area_codes))
    store.add_center(center)
    return center


def add_specialist(
    store: HubStore,
    name: str,
    center: str,
    *,
    lead: bool = False,
    specialist_id: str | None = None,
    phone: str | None = None,
    province: bool = False,
) -> tuple[Specialist, str]:
    """Create a specialist and their first token; returns the token (shown once).

    A province reader belongs to a center (every specialist does) but reads every center's
    records and pushes nothing.
    """
    chosen = specialist_id or f"sp-{secrets.token_hex(3)}"
    if not _ID.match(chosen):
        raise StoreError(f"服务专员编号只能含字母、数字、-、_、.：{chosen!r}")
    specialist = Specialist(
        id=chosen,
        name=name,
        phone=phone,
        center_code=center,
        role=Role.PROVINCE if province else Role.LEAD if lead else Role.SPECIALIST,
    )
    issued = auth.issue()
    store.add_specialist(specialist, issued.token_id, issued.salt, issued.hash)
    return specialist, issued.token


def rotate_token(store: HubStore, specialist_id: str) -> str:
    """A new token for the specialist; the old one stops working."""
    issued = auth.issue()
    store.set_token(specialist_id, issued.token_id, issued.salt, issued.hash)
    return issued.token


def assign(
    store: HubStore, specialist_id: str | None, codes: Sequence[str], area_code: str | None
) -> int:
    """Give units (by code, or every unit of an area code) to a specialist."""
    chosen = list(codes)
    if area_code:
        in_area = store.units_in_area(area_code)
        if not in_area:
            raise StoreError(f"中心没有区域代码为 {area_code} 的单位")
        chosen += in_area
    if not chosen:
        raise StoreError("没有要分配的单位：给出单位代码或 --area")
    return store.assign(chosen, specialist_id)


@dataclass(frozen=True, slots=True)
class Seeded:
    units: int
    orders: int
    calls: int
    tickets: int
    tokens: list[tuple[Specialist, str]]  # each demo specialist with a fresh token
    user_id: str


# Units per chunk of the demo's bulky tables: a chunk's records in their JSON form are the most
# seeding holds at once (~20 orders per unit at ~2 KB each).
_SEED_CHUNK = 1_000


def seed_demo(store: HubStore, units: int, today: date, policy: Policy, seed: int) -> Seeded:
    """Fill an empty hub with the demo data set (the same one `specialist-tui demo` writes).

    The demo comes table by table and its bulky tables a chunk of units at a time; each batch is
    validated as it is written, so memory holds the demo's units and one chunk, not every order.
    """
    from specialist_tui.demo import DEMO_USER, stream

    if store.count("unit"):
        raise StoreError("中心数据库已有单位；请用一个新的 --db 载入演示数据")
    counts: Counter[str] = Counter()
    tokens = []
    for table, records in stream(units, today, policy, seed, chunk=_SEED_CHUNK):
        counts[table] += len(records)
        if table == "centers":
            for record in records:
                store.add_center(Center.model_validate(record))
        elif table == "specialists":
            for record in records:
                specialist = Specialist.model_validate(record)
                issued = auth.issue()
                store.add_specialist(specialist, issued.token_id, issued.salt, issued.hash)
                tokens.append((specialist, issued.token))
        elif table == "units":
            store.upsert_units(Unit.model_validate(record) for record in records)
        else:
            kind, model = _DEMO_RECORDS[table]
            store.upsert_records(kind, (model.model_validate(record) for record in records))
    return Seeded(
        counts["units"], counts["orders"], counts["calls"], counts["tickets"], tokens, DEMO_USER
    )


# The demo's tables of a unit's records: the hub's kind and the model of each.
_DEMO_RECORDS: dict[
    str, tuple[str, type[Filing | Order | Call | Ticket | TicketEvent | LetterMark]]
] = {
    "filings": ("filing", Filing),
    "orders": ("order", Order),
    "calls": ("call", Call),
    "tickets": ("ticket", Ticket),
    "ticket_events": ("ticket_event", TicketEvent),
    "letter_marks": ("letter_mark", LetterMark),
}


def import_files(store: HubStore, paths: Sequence[Path], scan: Scan) -> tuple[int, int, int]:
    """Write the files ``scan_files`` found clean in one transaction (all or nothing).

    The files are read again as they are written, so memory holds a chunk of records, never a
    file; every unit they name is locked first, as a push locks its units.
    """
    from specialist_tui.importer import Kind, ReadError
    from specialist_tui.importer.scan import records_of

    try:
        with store.transaction():
            store.lock_units(scan.unit_codes)
            store.upsert_units(_only(Unit, records_of(paths, Kind.UNITS)))
            store.upsert_records("filing", _only(Filing, records_of(paths, Kind.FILINGS)))
            store.upsert_records("order", _only(Order, records_of(paths, Kind.ORDERS)))
    except ReadError as exc:
        raise StoreError(str(exc)) from None
    return scan.records(Kind.UNITS), scan.records(Kind.FILINGS), scan.records(Kind.ORDERS)


def _only(model: type[_R], records: Iterable[object]) -> Iterator[_R]:
    """The records of a kind as their model (records_of hands out one kind only)."""
    for record in records:
        assert isinstance(record, model)
        yield record


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int
    checksum: str


def migrate(source: HubStore, target: HubStore) -> list[Copied]:
    """Copy every table of ``source`` into the empty ``target`` and verify the copy.

    Feed positions, token hashes and the hub id travel unchanged, so every client goes on
    syncing from the copy where it stopped. Each table is checked by its row count and an
    order-free checksum (rows may sort differently under the two engines' collations) read
    back from the target.
    """
    if target.engine == "sqlite" and source.engine != "sqlite":
        # Feed positions on PostgreSQL carry transaction ids a SQLite hub does not keep.
        raise StoreError("只能从 SQLite 迁移到 SQLite 或 PostgreSQL，不能从 PostgreSQL 迁回 SQLite")
    if not target.is_empty():
        raise StoreError(f"目标数据库 {target.target} 不是空的；请给一个新建的空数据库")
    copied = []
    for table, _ in COPIED_TABLES:
        tally = _Tally()
        target.load(table, tally.through(source.dump(table)))
        check = _Tally()
        for _ in check.through(target.dump(table)):
            pass
        if (check.rows, check.digest) != (tally.rows, tally.digest):
            raise StoreError(
                f"{table} 复制后核对不符：源 {tally.rows} 行，目标 {check.rows} 行；"
                "目标数据库内容不可用，请删除后重试"
            )
        copied.append(Copied(table, tally.rows, f"{tally.digest:064x}"[:16]))
    target.adopt_hub_id(source.hub_id)
    return copied


class _Tally:
    """Counts rows and sums their hashes: the same rows in any order give the same digest."""

    def __init__(self) -> None:
        self.rows = 0
        self.digest = 0

    def through(self, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            self.rows += 1
            text = repr(tuple(v.hex() if isinstance(v, bytes) else v for v in row))
            self.digest = (self.digest + int(hashlib.sha256(text.encode()).hexdigest(), 16)) % (
                1 << 256
            )
            yield row
