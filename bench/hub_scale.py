"""The hub at province scale, SQLite and PostgreSQL side by side. Prints, never asserts.

For each engine: build a hub of N units (one province, several centers, ORDERS orders per unit,
one specialist holding 3,000 units and the rest shared out), serve it from its own process(es),
then measure

- import: writing the units, filings and orders through the store, in chunks;
- first sync of the 3,000-unit specialist (every page of the feed) while 50 others do theirs;
- empty incremental polls, p50/p95, with 200 clients polling, right after 3,000 units of other
  specialists changed hands (the case that used to scan every foreign row);
- pushes per second and p99 latency with 50 clients pushing one call per request;
- the hub processes' resident memory (RSS) at the end.

    python bench/hub_scale.py --pg postgresql://postgres@127.0.0.1:5432/postgres
    python bench/hub_scale.py --units 300000 --orders 17 --workers 4 --pg URL   # the full size

--pg names a server whose user may create databases (each run makes a fresh one and drops it);
without it (or SPECIALIST_TUI_TEST_PG) only SQLite is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from functools import partial
from pathlib import Path

import httpx

from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import make_credit_code
from specialist_tui.domain.models import Call, Filing, Order, Unit
from specialist_tui.hub import admin
from specialist_tui.hub.store import HubStore

ROOT = Path(__file__).resolve().parent.parent
CENTERS = 5
BIG = 3_000  # the specialist whose first sync is timed


def code(serial: int) -> str:
    return make_credit_code(f"11{630100 + serial % 30:06d}", f"{serial:08d}")


def owners(units: int, specialists: int) -> Iterator[tuple[int, str, int]]:
    """(serial, specialist id, center number): sp-0 holds BIG units, the rest share the others."""
    for serial in range(units):
        who = 0 if serial < BIG else 1 + serial % (specialists - 1)
        yield serial, f"sp-{who}", who % CENTERS


def build(
    db: str | Path, units: int, orders: int, specialists: int
) -> tuple[float, dict[str, str]]:
    """Fill an empty hub; returns the seconds the import took and every specialist's token."""
    store = HubStore(db)
    for number in range(CENTERS):
        admin.add_center(store, f"C{number}", f"中心{number}", [f"A{number}"])
    tokens = {}
    for who in range(specialists):
        _, tokens[f"sp-{who}"] = admin.add_specialist(
            store, f"专员{who}", f"C{who % CENTERS}", specialist_id=f"sp-{who}"
        )
    _, tokens["lead"] = admin.add_specialist(store, "负责人", "C0", lead=True, specialist_id="lead")
    rng = random.Random(832)
    started = time.perf_counter()
    placed = datetime(2024, 3, 1, 9, tzinfo=BEIJING)
    # One transaction, as `hub import` writes a batch, fed by generators: the store writes
    # in chunks, so the importing process's memory stays flat whatever the size.
    with store.transaction():
        store.upsert_units(
            Unit(
                code=code(s),
                name=f"单位{s}",
                level="county",
                division_code="630100",
                area_code=f"A{center}",
                specialist_id=who,
                staff_count=50,
            )
            for s, who, center in owners(units, specialists)
        )
        store.upsert_records(
            "filing",
            (
                Filing(
                    unit_code=code(s),
                    year=2024,
                    status="submitted",
                    canteen_mode="own",
                    union_mode="none",
                    submitted_at="2024-02-01T10:00:00",
                    canteen_total=rng.randint(100, 500) * 10_000_00,
                    canteen_reserved=rng.randint(1, 99) * 10_000_00,
                )
                for s in range(units)
            ),
        )
        store.upsert_records(
            "order",
            (
                Order(
                    id=f"832-{s}-{n}",
                    unit_code=code(s),
                    year=2024,
                    placed_at=placed,
                    amount=rng.randint(1, 5_000) * 100,
                    area_code=f"A{center}",
                    status="completed",
                    completed_at=placed,
                )
                for s, _, center in owners(units, specialists)
                for n in range(orders)
            ),
        )
    seconds = time.perf_counter() - started
    store.close()
    return seconds, tokens


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(db: str | Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    # --workers only when asked: the same script then also runs against hubs without it.
    several = ["--workers", str(workers)] if workers > 1 else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "specialist_tui", "hub", "serve", "--db", str(db), "--port",
         str(port), *several],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("the hub did not start")


def family(pid: int) -> list[int]:
    """A process and its children (the uvicorn workers, or a PostgreSQL server's backends)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(p) for p in children.read_text().split())] if children.exists() else [pid]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children."""
    total = 0
    for one in family(pid):
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (those that ended since are left out)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def postmaster(url: str) -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine."""
    import psycopg

    with psycopg.connect(url) as conn:
        folder = conn.execute("SHOW data_directory").fetchone()
    try:
        return (
            int(Path(str(folder[0]), "postmaster.pid").read_text().split()[0]) if folder else None
        )
    except (OSError, ValueError):
        return None


class CpuMeter:
    """CPU spent by the hub, PostgreSQL and this (client) process between start() and stop()."""

    def __init__(self, hub: int, database: int | None) -> None:
        self.hub, self.database = hub, database

    def _now(self) -> tuple[float, float, float]:
        database = cpu_seconds(family(self.database)) if self.database else 0.0
        return cpu_seconds(family(self.hub)), database, time.process_time()

    def start(self) -> None:
        self.began = self._now()

    def stop(self) -> tuple[float, float, float]:
        hub, database, client = self._now()
        return hub - self.began[0], database - self.began[1], client - self.began[2]


async def full_pull(http: httpx.AsyncClient, token: str, cursor: str = "") -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"}
    count = 0
    while True:
        answer = await http.get(
            "/api/v1/changes", params={"since": cursor, "limit": 5000}, headers=headers
        )
        answer.raise_for_status()
        page = answer.json()
        count += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return count, cursor


async def first_sync(url: str, tokens: dict[str, str], others: int) -> tuple[float, int]:
    limits = httpx.Limits(max_connections=others + 1)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as http:
        crowd = [
            asyncio.create_task(full_pull(http, tokens[f"sp-{n}"])) for n in range(1, others + 1)
        ]
        started = time.perf_counter()
        count, _ = await full_pull(http, tokens["sp-0"])
        seconds = time.perf_counter() - started
        await asyncio.gather(*crowd)
    return seconds, count


async def polls(url: str, tokens: list[str], cursors: list[str], rounds: int) -> list[float]:
    limits = httpx.Limits(max_connections=len(tokens))
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

        async def one(token: str, cursor: str) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            for _ in range(rounds):
                started = time.perf_counter()
                answer = await _again(
                    partial(
                        http.get,
                        "/api/v1/changes",
                        params={"since": cursor, "limit": 5000},
                        headers=headers,
                    )
                )
                latencies.append(time.perf_counter() - started)
                cursor = answer.json()["next_cursor"]

        await asyncio.gather(*(one(t, c) for t, c in zip(tokens, cursors, strict=True)))
    return latencies


async def pushes(
    url: str, tokens: list[str], units: list[list[str]], seconds: float
) -> list[float]:
    limits = httpx.Limits(max_connections=len(tokens))
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

        async def one(token: str, mine: list[str]) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            while time.perf_counter() < deadline:
                call = Call(
                    id=uuid.uuid4(),
                    unit_code=random.choice(mine),
                    started_at=datetime(2024, 6, 20, 10, tzinfo=BEIJING),
                    outcome="reached",
                )
                started = time.perf_counter()
                body = {"calls": [call.model_dump(mode="json")]}
                answer = await _again(
                    partial(http.post, "/api/v1/push", json=body, headers=headers)
                )
                answer.raise_for_status()
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(one(t, u) for t, u in zip(tokens, units, strict=True)))
    return latencies


async def _again(send: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    """Send, once more on a dropped keep-alive connection (as the sync client retries)."""
    try:
        return await send()
    except httpx.TransportError:
        return await send()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def measure(name: str, db: str | Path, args: argparse.Namespace) -> dict[str, str]:
    # The bulk change gives sp-0's units to a specialist of the same center who does not poll.
    receiver = (max(args.pollers, 50) // CENTERS + 1) * CENTERS
    specialists = receiver + 1
    imported, tokens = build(db, args.units, args.orders, specialists)
    import_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    proc, url = serve(db, args.workers if name == "postgresql" else 1)
    try:
        first, first_rows = asyncio.run(first_sync(url, tokens, 50))
        pollers = [tokens[f"sp-{n}"] for n in range(1, args.pollers + 1)]
        cursors = [
            asyncio.run(_caught_up(url, t)) for t in pollers
        ]  # every poller has synced before the bulk change
        store = HubStore(db)
        moved = [code(s) for s in range(BIG)]
        admin.assign(store, f"sp-{receiver}", moved, None)
        store.close()
        meter = CpuMeter(proc.pid, postmaster(str(db)) if name == "postgresql" else None)
        meter.start()
        latencies = asyncio.run(polls(url, pollers, cursors, args.rounds))
        hub_cpu, db_cpu, client_cpu = (s / len(latencies) * 1000 for s in meter.stop())
        held: dict[str, list[str]] = {}
        for s, who, _ in owners(args.units, specialists):
            held.setdefault(who, []).append(code(s))
        writer_units = [held[f"sp-{n}"][:50] for n in range(1, 51)]
        writers = [tokens[f"sp-{n}"] for n in range(1, 51)]
        pushed = asyncio.run(pushes(url, writers, writer_units, args.push_seconds))
        memory = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {
        "import (s)": f"{imported:.1f}",
        "  importing process peak RSS (MB, cumulative)": f"{import_rss:.0f}",
        f"first sync, {BIG:,}-unit specialist, 50 others syncing (s)": f"{first:.2f}",
        "  its rows": f"{first_rows:,}",
        f"empty poll after a bulk change, {args.pollers} clients: p50 (ms)": (
            f"{pct(latencies, 0.5):.0f}"
        ),
        "  p95 (ms)": f"{pct(latencies, 0.95):.0f}",
        "  CPU per poll: hub + database + client (ms)": (
            f"{hub_cpu:.2f} + {db_cpu:.2f} + {client_cpu:.2f}"
        ),
        f"  {args.pollers} polls × that CPU ÷ {os.cpu_count()} cores (ms)": (
            f"{args.pollers * (hub_cpu + db_cpu + client_cpu) / (os.cpu_count() or 1):.0f}"
        ),
        "pushes/s, 50 clients": f"{len(pushed) / args.push_seconds:.0f}",
        "  push p99 (ms)": f"{pct(pushed, 0.99):.0f}",
        "  push max (ms)": f"{max(pushed) * 1000:.0f}",
        "hub RSS (MB, all processes)": f"{memory:.0f}",
        "load average at the end (1 min)": f"{os.getloadavg()[0]:.1f}",
    }


async def _caught_up(url: str, token: str) -> str:
    async with httpx.AsyncClient(base_url=url, timeout=300) as http:
        return (await full_pull(http, token))[1]


def fresh_pg(server: str) -> tuple[str, str]:
    import psycopg

    name = f"hub_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + f"/{name}", name


def drop_pg(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=30_000)
    parser.add_argument("--orders", type=int, default=17, help="orders per unit")
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="polls per polling client")
    parser.add_argument("--push-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2, help="hub processes on PostgreSQL")
    parser.add_argument("--pg", default=os.environ.get("SPECIALIST_TUI_TEST_PG", ""))
    args = parser.parse_args()
    results: dict[str, dict[str, str]] = {}
    loads = os.getloadavg()  # other jobs on the machine: the figures are read beside it
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = measure("sqlite", Path(tmp) / "hub.sqlite", args)
    if args.pg:
        url, name = fresh_pg(args.pg)
        try:
            results["postgresql"] = measure("postgresql", url, args)
        finally:
            drop_pg(args.pg, name)
    engines = list(results)
    print(
        f"{args.units:,} units, {args.units * args.orders:,} orders, "
        f"PostgreSQL with {args.workers} workers; load average at the start {loads[0]:.1f}"
    )
    print(f"| figure | {' | '.join(engines)} |")
    print(f"|---|{'---|' * len(engines)}")
    for key in results[engines[0]]:
        print(f"| {key} | {' | '.join(results[e][key] for e in engines)} |")


if __name__ == "__main__":
    main()
