"""Sync figures over loopback: a first full sync, an incremental one, a push. Prints, never asserts.

The hub runs in its own process (as it would on a center's server) on a database built once under
bench/.caches/ (reused; --fresh rebuilds): N units, each with a filing and ORDERS orders.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.client.sync import SyncClient
from specialist_tui.domain.enums import OrderStatus
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import (
    make_credit_code,
)
from specialist_tui.domain.models import Call, Filing, Order, Unit
from specialist_tui.hub import admin
from specialist_tui.hub.store import HubStore
from specialist_tui.policies import load_policy

CACHES = Path(__file__).resolve().parent / ".caches"
ROOT = Path(__file__).resolve().parent.parent
POLICY = load_policy("qinghai-2024")
TODAY = date(2024, 6, 30)
STATUSES = ["completed"] * 6 + ["pending_payment", "paid", "shipped", "received", "cancelled"]


def code(serial: int) -> str:
    return make_credit_code(f"11{630100 + serial % 30:06d}", f"{serial:08d}")


def build_hub(units: int, orders: int, fresh: bool) -> Path:
    """A hub database with ``units`` units under one center, each with a filing and orders."""
    db = CACHES / f"hub-{units}-{orders}.sqlite"
    if db.exists() and not fresh:
        return db
    CACHES.mkdir(parents=True, exist_ok=True)
    for leftover in CACHES.glob(f"{db.name}*"):
        leftover.unlink()
    started = time.perf_counter()
    store = HubStore(db)
    admin.add_center(store, "QH01", "青海省区域服务中心", ["QH0101"])
    admin.add_specialist(store, "负责人", "QH01", lead=True, specialist_id="lead")
    rng = random.Random(832)
    base = datetime(2024, 1, 2, 9, tzinfo=BEIJING)
    for start in range(0, units, 10_000):
        serials = range(start, min(units, start + 10_000))
        store.upsert_units(
            [
                Unit(
                    code=code(s),
                    name=f"青海省第{s}号预算单位食堂",
                    level="county",
                    division_code=f"{630100 + s % 30:06d}",
                    area_code="QH0101",
                    staff_count=50 + s % 200,
                    contacts=[{"name": "张伟", "role": "finance", "phone": "13909710001"}],
                )
                for s in serials
            ]
        )
        store.upsert_records(
            "filing",
            [
                Filing(
                    unit_code=code(s),
                    year=2024,
                    status="confirmed" if s % 3 else "submitted",
                    canteen_mode="own",
                    union_mode="none",
                    canteen_total=1_000_000_00,
                    canteen_reserved=(12 + s % 8) * 1_000_000,
                )
                for s in serials
            ],
        )
        batch = []
        for s in serials:
            for n in range(orders):
                placed = base + timedelta(days=rng.randrange(170), minutes=rng.randrange(600))
                status = rng.choice(STATUSES)
                done = placed + timedelta(days=5)
                batch.append(
                    Order(
                        id=f"832{s:07d}{n:03d}",
                        unit_code=code(s),
                        year=2024,
                        placed_at=placed,
                        amount=rng.randrange(100_00, 20_000_00),
                        status=status,
                        area_code="QH0101" if n % 17 else "",
                        paid_at=done if status != "pending_payment" else None,
                        completed_at=done if status == "completed" else None,
                    )
                )
        store.upsert_records("order", batch)
        print(f"  built {min(units, start + 10_000):,} units", file=sys.stderr, end="\r")
    store.close()
    print(f"hub database built in {time.perf_counter() - started:.0f} s: {db}", file=sys.stderr)
    return db


class HubProcess:
    """`specialist-tui hub serve` in a child process on a free loopback port."""

    def __init__(self, db: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "specialist_tui", "hub", "serve", "--db", str(db),
             "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{self.url}/healthz", timeout=1)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=20, help="orders per unit (default 20)")
    parser.add_argument("--page", type=int, default=5_000, help="records per page")
    parser.add_argument("--fresh", action="store_true", help="rebuild the hub database")
    args = parser.parse_args()

    db = build_hub(args.units, args.orders, args.fresh)
    work = CACHES / "sync-run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    hub_db = work / "hub.sqlite"
    shutil.copy(db, hub_db)  # the incremental and push runs change it
    store = HubStore(hub_db)
    token = admin.rotate_token(store, "lead")
    hub = HubProcess(hub_db)
    try:
        settings = Settings(hub_url=hub.url, token=token, cache_dir=work / "cache")
        cache = Cache.open(settings.cache_dir)
        client = SyncClient(settings, cache, POLICY, TODAY, page_size=args.page)
        marks: dict[str, float] = {}

        def progress(stage: str, done: int) -> None:
            marks.setdefault(stage, time.perf_counter())
            marks[f"{stage}-end"] = time.perf_counter()

        started = time.perf_counter()
        cpu = time.process_time()
        first = client.sync(progress)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu
        pulled_s = marks["pull-end"] - started
        print(
            f"first sync: {first.pulled:,} records ({cache.count('units'):,} units, "
            f"{cache.count('orders'):,} orders) in {total:.1f} s = "
            f"{first.pulled / total:,.0f} records/s end to end "
            f"(pages {pulled_s:.1f} s, facts+flags refresh {total - pulled_s:.1f} s); "
            f"client CPU {cpu:.1f} s = {first.pulled / cpu:,.0f} records per client CPU second"
        )

        # 100 changes on the hub: orders paid, while the hub keeps serving.
        changed = [
            Order.model_validate_json(store.record_json("order", f"832{s:07d}000") or "")
            for s in range(0, args.units, max(1, args.units // 100))
        ][:100]
        store.upsert_records(
            "order", [o.model_copy(update={"status": OrderStatus.COMPLETED}) for o in changed]
        )
        started = time.perf_counter()
        second = client.sync()
        ms = (time.perf_counter() - started) * 1000
        print(f"incremental sync: {second.pulled} changes in {ms:.0f} ms")

        calls = [
            Call(
                id=uuid.uuid4(),
                unit_code=code(i % args.units),
                started_at=datetime(2024, 6, 29, 9, tzinfo=BEIJING) + timedelta(minutes=i),
                outcome="reached",
                topics=["payment"],
                notes="催缴未付款订单",
            )
            for i in range(1000)
        ]
        cache.save_local("call", "calls", calls, POLICY, TODAY)
        started = time.perf_counter()
        pushed = client.push()
        print(f"push: {pushed.pushed} calls in {(time.perf_counter() - started) * 1000:.0f} ms")
        client.close()
        cache.close()
    finally:
        hub.stop()
        store.close()


if __name__ == "__main__":
    main()
