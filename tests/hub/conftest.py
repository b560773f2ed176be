"""A real hub on a loopback port over a temporary database, with two specialists and a lead.

Every hub test runs on both engines: ``hub_db`` is a SQLite file or a fresh database on the
PostgreSQL server named by ``SPECIALIST_TUI_TEST_PG`` (``.ci/postgres start`` sets it); without
one the PostgreSQL half skips, saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pytest

from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.client.sync import SyncClient
from specialist_tui.domain.identifiers import (
    make_credit_code,
)
from specialist_tui.domain.models import Filing, Order, Ticket, Unit
from specialist_tui.hub import admin
from specialist_tui.hub.server import RunningHub, start_in_thread
from specialist_tui.hub.store import HubStore
from specialist_tui.policies import load_policy

POLICY = load_policy("qinghai-2024")
TODAY = date(2024, 6, 30)
MAX_BODY = 64 * 1024
ORDERS_PER_UNIT = 4


def make_code(serial: int, division: str = "630100") -> str:
    return make_credit_code(f"11{division}", f"{serial:08d}")


def make_unit(serial: int, specialist_id: str | None) -> Unit:
    return Unit(
        code=make_code(serial),
        name=f"西宁市第{serial}中学",
        level="prefecture",
        division_code="630100",
        area_code="QH0101",
        specialist_id=specialist_id,
        staff_count=80,
        contacts=[{"name": "张伟", "role": "finance", "phone": "13909710001"}],
    )


def make_filing(serial: int) -> Filing:
    return Filing(
        unit_code=make_code(serial),
        year=2024,
        status="confirmed",
        canteen_mode="own",
        union_mode="none",
        submitted_at="2024-02-01T10:00:00",
        confirmed_at="2024-02-10T10:00:00",
        canteen_total=1_000_000_00,
        canteen_reserved=150_000_00,
    )


def make_order(serial: int, number: int, **extra: object) -> Order:
    fields: dict[str, object] = {
        "id": f"832-{serial}-{number}",
        "unit_code": make_code(serial),
        "year": 2024,
        "placed_at": "2024-03-01T09:00:00",
        "amount": 10_000_00,
        "area_code": "QH0101",
        "status": "completed",
        "completed_at": "2024-03-10T09:00:00",
    }
    fields.update(extra)
    return Order.model_validate(fields)


def make_ticket(serial: int, **extra: object) -> Ticket:
    fields: dict[str, object] = {
        "unit_code": make_code(serial),
        "category": "payment",
        "subject": "订单未付款",
        "created_at": "2024-06-01T09:00:00",
    }
    fields.update(extra)
    return Ticket.model_validate(fields)


@dataclass
class World:
    """The hub under test and what it holds."""

    db: str | Path
    running: RunningHub
    store: HubStore
    tokens: dict[str, str]
    units: dict[str, list[int]] = field(default_factory=dict)  # specialist -> unit serials
    max_body: int = MAX_BODY
    policy = POLICY
    today = TODAY
    # The record makers, for tests (conftest cannot be imported under importlib mode).
    code = staticmethod(make_code)
    unit = staticmethod(make_unit)
    order = staticmethod(make_order)
    ticket = staticmethod(make_ticket)

    @property
    def url(self) -> str:
        return self.running.url

    def http(self, who: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def settings(self, who: str, cache_dir: Path, **extra: object) -> Settings:
        return Settings(hub_url=self.url, token=self.tokens[who], cache_dir=cache_dir, **extra)

    def client(self, who: str, cache: Cache, **extra: object) -> SyncClient:
        settings = self.settings(who, cache.path.parent, **extra)
        return SyncClient(settings, cache, POLICY, TODAY, backoff=0.01, retries=2)

    def restart(self) -> None:
        self.running.stop()
        self.running = start_in_thread(self.db, max_body=MAX_BODY)

    def codes(self, who: str) -> list[str]:
        return sorted(make_code(s) for s in self.units[who])

    def order_keys(self, who: str) -> list[str]:
        return sorted(f"832-{s}-{n}" for s in self.units[who] for n in range(ORDERS_PER_UNIT))


def seed(store: HubStore, units: dict[str, list[int]]) -> dict[str, str]:
    admin.add_center(store, "QH01", "青海省区域服务中心", ["QH0101"])
    tokens = {}
    for who, lead in (("a", False), ("b", False), ("lead", True)):
        _, tokens[who] = admin.add_specialist(
            store, f"专员{who}", "QH01", lead=lead, specialist_id=who
        )
    serials = [(s, who) for who, owned in units.items() for s in owned]
    store.upsert_units([make_unit(s, who) for s, who in serials])
    store.upsert_records("filing", [make_filing(s) for s, _ in serials])
    store.upsert_records(
        "order", [make_order(s, n) for s, _ in serials for n in range(ORDERS_PER_UNIT)]
    )
    return tokens


PG_URL = os.environ.get("SPECIALIST_TUI_TEST_PG", "")
NO_PG = "no PostgreSQL server: `source .ci/postgres start` sets SPECIALIST_TUI_TEST_PG"


def fresh_pg_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    import psycopg

    if not PG_URL:
        pytest.skip(NO_PG)
    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin_conn:
        admin_conn.execute(f"CREATE DATABASE {name}")
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin_conn:
            admin_conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """Where the hub under test keeps its data, on each engine in turn."""
    if request.param == "sqlite":
        yield tmp_path / "hub.sqlite"
    else:
        yield from fresh_pg_database()


@pytest.fixture
def pg_db() -> Iterator[str]:
    """A fresh PostgreSQL database (for tests only PostgreSQL needs)."""
    yield from fresh_pg_database()


@pytest.fixture
def world(hub_db: str | Path) -> Iterator[World]:
    db = hub_db
    store = HubStore(db)
    units = {"a": [1, 2, 3], "b": [4, 5]}
    tokens = seed(store, units)
    running = start_in_thread(db, max_body=MAX_BODY)
    w = World(db, running, store, tokens, units)
    yield w
    w.running.stop()
    store.close()


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache-a")
    yield c
    c.close()
