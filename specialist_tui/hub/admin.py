"""What the `specialist-tui hub ...` admin commands do, apart from parsing and printing."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from specialist_tui.domain.enums import Role
from specialist_tui.domain.models import (
    Call,
    Center,
    Filing,
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
    from specialist_tui.importer import ImportBatch

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
        chosen += store.units_in_area(area_code)
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


def seed_demo(store: HubStore, units: int, today: date, policy: Policy, seed: int) -> Seeded:
    """Fill an empty hub with the demo data set (the same one `specialist-tui demo` writes)."""
    from specialist_tui.demo import generate

    if store.count("unit"):
        raise StoreError("中心数据库已有单位；请用一个新的 --db 载入演示数据")
    data = generate(units, today, policy, seed=seed)
    centers = [Center.model_validate(_decoded(r)) for r in data.centers]
    specialists = [Specialist.model_validate(_decoded(r)) for r in data.specialists]
    for center in centers:
        store.add_center(center)
    tokens = []
    for specialist in specialists:
        issued = auth.issue()
        store.add_specialist(specialist, issued.token_id, issued.salt, issued.hash)
        tokens.append((specialist, issued.token))
    store.upsert_units([Unit.model_validate(_decoded(r)) for r in data.units])
    store.upsert_records("filing", [Filing.model_validate(r) for r in data.filings])
    store.upsert_records("order", [Order.model_validate(r) for r in data.orders])
    store.upsert_records("call", [Call.model_validate(_decoded(r)) for r in data.calls])
    tickets = [Ticket.model_validate(_decoded(r)) for r in data.tickets]
    store.upsert_records("ticket", tickets)
    store.upsert_records(
        "ticket_event", [TicketEvent.model_validate(r) for r in data.ticket_events]
    )
    return Seeded(
        len(data.units), len(data.orders), len(data.calls), len(tickets), tokens, data.user_id
    )


def import_batch(store: HubStore, batch: ImportBatch) -> tuple[int, int, int]:
    """Write an import batch's units, filings and orders in one transaction (all or nothing)."""
    with store.transaction():
        store.lock_units(
            {u.code for u in batch.units}
            | {r.unit_code for r in batch.filings}
            | {r.unit_code for r in batch.orders}
        )
        store.upsert_units(batch.units)
        store.upsert_records("filing", batch.filings)
        store.upsert_records("order", batch.orders)
    return len(batch.units), len(batch.filings), len(batch.orders)


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


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    """A storage-format row with its JSON text columns decoded, ready for a model."""
    out = {k: v for k, v in row.items() if v is not None or k in ("specialist_id",)}
    for column in ("contacts", "area_codes", "topics"):
        if isinstance(out.get(column), str):
            out[column] = json.loads(out[column])
    return out
