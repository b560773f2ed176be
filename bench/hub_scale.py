"""The hub at province scale, SQLite and PostgreSQL side by side. Prints, never asserts.

For each engine: build a hub of N units (one province, several centers, ORDERS orders per unit,
one specialist holding 3,000 units and the rest shared out), serve it from its own process(es),
then measure

- import: writing the units, filings and orders through the store, in chunks;
- first sync of the 3,000-unit specialist (every page of the feed) while 50 others do theirs;
- polls at a realistic rate: 200 specialists each polling every EVERY seconds (jittered), while
  3,000 units of another specialist change hands; p50/p95/p99 of all polls and of those that
  began within EVERY seconds after the change committed;
- the worst case: all 200 polling back to back right after such a change, p50/p95/p99, with the
  CPU each poll cost (hub, database, load generator) and what 200 of them take on the cores;
- pushes per second and p99 latency with 50 clients pushing one call per request;
- the hub processes' resident memory (RSS) at the end.

The polls and pushes come from bench/hub_load.py processes (raw keep-alive HTTP/1.1, not httpx)
so the load generator does not eat the CPU being measured; its own CPU is reported. The hub's
stderr goes to a log beside the database (`--keep`) or to a temporary file, and any traceback
in it is printed after the table.

    python bench/hub_scale.py --pg postgresql://postgres@127.0.0.1:5432/postgres
    python bench/hub_scale.py --units 300000 --orders 17 --workers 4 --pg URL --keep big/

--pg names a server whose user may create databases; without it (or SPECIALIST_TUI_TEST_PG)
only SQLite is measured. Without --keep each run builds fresh databases and drops them; with
--keep DIR a hub is built once (SQLite file and PostgreSQL database named after the size, tokens
in DIR) and later runs reuse it: `--build-only` builds and stops, so the big, load-insensitive
build can run early and the latency runs later on a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
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


@dataclass
class Built:
    """A hub the bench built, remembered beside it so that later runs reuse it."""

    tokens: dict[str, str]
    specialists: int
    import_seconds: float
    import_rss_mb: float
    big_owner: str = "sp-0"  # who holds the BIG units now (each run's bulk change moves them)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))


def built(name: str, db: str | Path, args: argparse.Namespace, memo: Path | None) -> Built:
    """The hub at ``db``: built now, or (``--keep``) the one an earlier run built there."""
    if memo is not None and memo.exists():
        return Built(**json.loads(memo.read_text()))
    # The bulk change gives the BIG units to a specialist of the same center who does not poll.
    receiver = (max(args.pollers, 50) // CENTERS + 1) * CENTERS
    specialists = receiver + 1
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    imported, tokens = build(db, args.units, args.orders, specialists)
    import_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    made = Built(tokens, specialists, imported, import_rss if import_rss > before else before)
    if memo is not None:  # written last: a build cut short is never taken for a whole one
        made.save(memo)
    return made


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(
    db: str | Path, workers: int, log: Path, root: Path = ROOT, access_log: bool = True
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    # --workers only when asked: the same script then also runs against hubs without it.
    several = ["--workers", str(workers)] if workers > 1 else []
    several += [] if access_log else ["--no-access-log"]
    with log.open("ab") as err:  # the hub's stderr: its tracebacks are the bench's evidence
        proc = subprocess.Popen(
            [sys.executable, "-m", "specialist_tui", "hub", "serve", "--db", str(db), "--port",
             str(port), *several],
            env={**os.environ, "PYTHONPATH": str(root)}, stdout=subprocess.DEVNULL, stderr=err,
            cwd=root,  # `python -m` puts the working folder first: it must be the tree served
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(1200):
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


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its live children, and every child it has reaped.

    A reaped child's time lands in its parent's cutime/cstime, so a PostgreSQL backend (or a
    uvicorn worker) that exits between two readings is still counted: the difference of two
    readings is the tree's CPU between them, never negative.
    """
    total = 0
    for one in family(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone between the listing and the read: its time is in the parent's
        total += int(fields[11]) + int(fields[12])
        if one == pid:
            total += int(fields[13]) + int(fields[14])
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
    """CPU spent by the hub's processes and PostgreSQL's between start() and stop()."""

    def __init__(self, hub: int, database: int | None) -> None:
        self.hub, self.database = hub, database

    def _now(self) -> tuple[float, float]:
        return tree_cpu(self.hub), tree_cpu(self.database) if self.database else 0.0

    def start(self) -> None:
        self.began = self._now()

    def stop(self) -> tuple[float, float]:
        hub, database = self._now()
        return hub - self.began[0], database - self.began[1]


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


async def first_sync(url: str, first: str, others: list[str]) -> tuple[float, int]:
    limits = httpx.Limits(max_connections=len(others) + 1)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as http:
        crowd = [asyncio.create_task(full_pull(http, token)) for token in others]
        started = time.perf_counter()
        count, _ = await full_pull(http, first)
        seconds = time.perf_counter() - started
        await asyncio.gather(*crowd)
    return seconds, count


@dataclass
class Load:
    """What the load generator processes saw, merged."""

    samples: list[tuple[float, float]]  # (monotonic start, seconds) of each answered request
    statuses: dict[str, int]  # non-200, non-503 answers by status
    busy: int  # 503 answers (each retried after its Retry-After)
    cpu: float  # the generators' own CPU seconds
    rows: int  # rows counted by first-sync pulls

    def latencies(self, since: float = float("-inf"), until: float = float("inf")) -> list[float]:
        return [s for t, s in self.samples if since <= t < until]


def start_load(
    url: str, job: Mapping[str, object], clients: Sequence[Mapping[str, object]], procs: int
) -> list[subprocess.Popen[bytes]]:
    """Start ``procs`` bench/hub_load.py processes sharing ``clients``; returns them."""
    port = int(url.rsplit(":", 1)[1])
    started = []
    for n in range(procs):
        mine = clients[n::procs]
        spec = {**job, "host": "127.0.0.1", "port": port, "clients": mine, "seed": n}
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("hub_load.py"))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(spec).encode())
        proc.stdin.close()
        started.append(proc)
    return started


def finish_load(started: list[subprocess.Popen[bytes]]) -> Load:
    load = Load([], {}, 0, 0.0, 0)
    for proc in started:
        assert proc.stdout is not None
        out = json.loads(proc.stdout.read())
        if proc.wait() != 0:
            raise RuntimeError("a load generator failed")
        load.samples += [tuple(s) for s in out["samples"]]
        for status, count in out["statuses"].items():
            load.statuses[status] = load.statuses.get(status, 0) + count
        load.busy += out["busy"]
        load.rows += out["rows"]
        load.cpu += out["cpu"]
    return load


def span(samples: list[tuple[float, float]]) -> float:
    """Seconds from the first request sent to the last answer received."""
    return max(t + s for t, s in samples) - min(t for t, _ in samples)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def counted(values: list[float]) -> str:
    """p50 / p95 / p99 in ms, and how many."""
    return " / ".join(f"{pct(values, p):.0f}" for p in (0.5, 0.95, 0.99)) + f", {len(values):,}"


def bulk_change(db: str | Path, hub: Built, memo: Path | None) -> float:
    """Move the BIG units to whichever of sp-0 and the receiver lacks them; the commit's time."""
    receiver = f"sp-{hub.specialists - 1}"
    to = receiver if hub.big_owner == "sp-0" else "sp-0"
    store = HubStore(db)
    admin.assign(store, to, [code(s) for s in range(BIG)], None)
    store.close()
    hub.big_owner = to
    if memo is not None:
        hub.save(memo)
    return time.monotonic()


def caught_up(db: str | Path) -> str:
    """A cursor at the feed's last row: a client holding it has everything written so far
    (read from the database, not by pulling 200 feeds, which took minutes at 300k units)."""
    from specialist_tui.hub.pages import encode_cursor

    store = HubStore(db)
    try:
        with store._read() as conn:
            row = conn.execute(
                "SELECT txid, seq FROM changes ORDER BY txid DESC, seq DESC LIMIT 1"
            ).fetchone()
    finally:
        store.close()
    return encode_cursor((int(row[0]), int(row[1])))


def explain(db: str | Path, token: str, cursor: str) -> str:
    """The plan and run time of one poll as the hub reads it, from ``cursor`` on."""
    from specialist_tui.hub.app import decode_cursor
    from specialist_tui.hub.auth import split

    store = HubStore(db)
    try:
        parts = split(token)
        record = store.token_record(parts[0]) if parts else None
        assert record is not None
        sql, params = store.page_query(record.caller, decode_cursor(cursor), 5000)
        if isinstance(db, Path):
            with store._read() as conn:
                plan = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
                started = time.perf_counter()
                rows = conn.execute(sql, params).fetchall()
                took = (time.perf_counter() - started) * 1000
            lines = [str(row[-1]) for row in plan]
            return "\n".join([*lines, f"{len(rows)} rows in {took:.2f} ms"])
        import psycopg

        from specialist_tui.hub.backend_postgres import _pg_sql

        with psycopg.connect(str(db)) as conn:
            cursor_ = psycopg.ClientCursor(conn)
            cursor_.execute("EXPLAIN (ANALYZE, BUFFERS) " + _pg_sql(sql), params)
            return "\n".join(str(row[0]) for row in cursor_.fetchall())
    finally:
        store.close()


def measure(
    name: str, db: str | Path, args: argparse.Namespace, memo: Path | None, log: Path
) -> dict[str, str]:
    hub = built(name, db, args, memo)
    if args.build_only:
        return {}
    tokens = hub.tokens
    cores = os.cpu_count() or 1
    proc, url = serve(db, args.workers if name == "postgresql" else 1, log, args.hub_root)
    try:
        meter = CpuMeter(proc.pid, postmaster(str(db)) if name == "postgresql" else None)
        others = [tokens[f"sp-{n}"] for n in range(1, 51)]
        job = {"mode": "pull", "start": time.monotonic() + 2, "seconds": 0, "every": 0}
        crowd = start_load(url, job, [{"token": t} for t in others], args.load_procs)
        timed = finish_load(start_load(url, job, [{"token": tokens[hub.big_owner], "count": 1}], 1))
        finish_load(crowd)
        first, first_rows = timed.samples[0][1], timed.rows
        pollers = [tokens[f"sp-{n}"] for n in range(1, args.pollers + 1)]

        # (a) A realistic rate; the bulk change lands a third of the way in.
        cursors = [caught_up(db)] * len(pollers)
        begin = time.monotonic() + 2
        clients = [{"token": t, "cursor": c} for t, c in zip(pollers, cursors, strict=True)]
        job = {"mode": "poll", "start": begin, "seconds": args.poll_seconds, "every": args.every}
        running = start_load(url, job, clients, args.load_procs)
        time.sleep(max(0.0, begin + args.poll_seconds / 3 - time.monotonic()))
        asked = time.monotonic()
        changed = bulk_change(db, hub, memo)
        moving = changed - asked
        steady = finish_load(running)
        after = steady.latencies(changed, changed + args.every)

        # (b) The worst case: all at once, back to back, right after another bulk change.
        cursors = [caught_up(db)] * len(pollers)
        bulk_change(db, hub, memo)
        plan = explain(db, pollers[0], cursors[0])
        clients = [{"token": t, "cursor": c} for t, c in zip(pollers, cursors, strict=True)]
        job = {"mode": "poll", "start": time.monotonic() + 2, "seconds": 600, "every": 0,
               "rounds": args.rounds}  # fmt: skip
        meter.start()
        burst = finish_load(start_load(url, job, clients, args.load_procs))
        hub_cpu, db_cpu = (s / len(burst.samples) * 1000 for s in meter.stop())
        gen_cpu = burst.cpu / len(burst.samples) * 1000

        held: dict[str, list[str]] = {}
        for s, who, _ in owners(args.units, hub.specialists):
            held.setdefault(who, []).append(code(s))
        template = (
            Call(
                id=uuid.UUID(int=0),
                unit_code=code(0),
                started_at=datetime(2024, 6, 20, 10, tzinfo=BEIJING),
                outcome="reached",
            )
            .model_dump_json()
            .replace(str(uuid.UUID(int=0)), "CALLID")
            .replace(code(0), "UNIT")
        )
        writers = [
            {"token": tokens[f"sp-{n}"], "units": held[f"sp-{n}"][:50], "call": template}
            for n in range(1, 51)
        ]
        job = {"mode": "push", "start": time.monotonic() + 2, "seconds": args.push_seconds,
               "every": 0}  # fmt: skip
        meter.start()
        pushed = finish_load(start_load(url, job, writers, args.load_procs))
        push_hub, push_db = (s / max(1, len(pushed.samples)) * 1000 for s in meter.stop())
        memory = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    rate = args.pollers / args.every
    return {
        "import (s)": f"{hub.import_seconds:.1f}",
        "  importing process peak RSS (MB)": f"{hub.import_rss_mb:.0f}",
        f"first sync, {BIG:,}-unit specialist, 50 others syncing (s)": f"{first:.2f}",
        "  its rows": f"{first_rows:,}",
        f"(a) {args.pollers} clients polling every ~{args.every:g} s ({rate:.0f}/s): "
        "p50 / p95 / p99 (ms), polls": counted(steady.latencies()),
        f"  polls begun within {args.every:g} s after a bulk change": counted(after),
        f"  the bulk change ({BIG:,} units to another specialist) took (s)": f"{moving:.1f}",
        f"(b) {args.pollers} clients polling back to back after a bulk change: "
        "p50 / p95 / p99 (ms), polls": counted(burst.latencies()),
        "  polls answered per second": f"{len(burst.samples) / span(burst.samples):.0f}",
        "  CPU per poll: hub + database + load generator (ms)": (
            f"{hub_cpu:.2f} + {db_cpu:.2f} + {gen_cpu:.2f}"
        ),
        f"  {args.pollers} polls × (hub + database) CPU ÷ {cores} cores (ms)": (
            f"{args.pollers * (hub_cpu + db_cpu) / cores:.0f}"
        ),
        "  polls answered 503 / other failures": (
            f"{steady.busy + burst.busy} / {sum((steady.statuses | burst.statuses).values())}"
        ),
        "pushes/s, 50 clients": f"{len(pushed.samples) / args.push_seconds:.0f}",
        "  push p50 / p99 / max (ms)": (
            f"{pct(pushed.latencies(), 0.5):.0f} / {pct(pushed.latencies(), 0.99):.0f} / "
            f"{max(pushed.latencies(), default=0) * 1000:.0f}"
        ),
        "  CPU per push: hub + database (ms)": f"{push_hub:.2f} + {push_db:.2f}",
        "  pushes answered 503 (retried) / other failures": (
            f"{pushed.busy} / {sum(pushed.statuses.values())} {pushed.statuses or ''}"
        ),
        "hub RSS (MB, all processes)": f"{memory:.0f}",
        "load average at the end (1 min)": f"{os.getloadavg()[0]:.1f}",
        "plan": plan,
    }


def pg_database(server: str, name: str, fresh: bool) -> str:
    """The URL of database ``name`` on ``server``, made anew when ``fresh``."""
    import psycopg

    if fresh:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + f"/{name}"


def drop_pg(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def tracebacks(log: Path) -> list[str]:
    """The distinct last lines of the tracebacks in a hub's log, with their counts."""
    if not log.exists():
        return []
    seen: dict[str, int] = {}
    lines = log.read_text(errors="replace").splitlines()
    for n, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = n + 1
            while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
                end += 1
            last = lines[end] if end < len(lines) else "?"
            seen[last] = seen.get(last, 0) + 1
    return [f"{count} × {last}" for last, count in seen.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=30_000)
    parser.add_argument("--orders", type=int, default=17, help="orders per unit")
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between polls (a)")
    parser.add_argument("--poll-seconds", type=float, default=60.0, help="how long (a) runs")
    parser.add_argument("--rounds", type=int, default=5, help="polls per client in (b)")
    parser.add_argument("--push-seconds", type=float, default=15.0)
    parser.add_argument("--load-procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--workers", type=int, default=2, help="hub processes on PostgreSQL")
    parser.add_argument("--pg", default=os.environ.get("SPECIALIST_TUI_TEST_PG", ""))
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--keep", type=Path, help="build the hubs here once and reuse them")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--hub-root",
        type=Path,
        default=ROOT,
        help="serve the hub from this source tree (before/after)",
    )
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e == "sqlite" or args.pg]
    results: dict[str, dict[str, str]] = {}
    logs: dict[str, Path] = {}
    loads = os.getloadavg()  # other jobs on the machine: the figures are read beside it
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        size = f"{args.units}x{args.orders}"
        for engine in engines:
            memo = folder / f"{engine}-{size}.json" if args.keep else None
            logs[engine] = folder / f"{engine}-{size}-hub.log"
            if engine == "sqlite":
                path = folder / f"hub-{size}.sqlite"
                if memo is None or not memo.exists():
                    path.unlink(missing_ok=True)  # a build cut short: start again
                results[engine] = measure(engine, path, args, memo, logs[engine])
                continue
            name = f"hub_bench_{size}"
            url = pg_database(args.pg, name, fresh=memo is None or not memo.exists())
            try:
                results[engine] = measure(engine, url, args, memo, logs[engine])
            finally:
                if memo is None:
                    drop_pg(args.pg, name)
        if args.build_only:
            return
        print(
            f"{args.units:,} units, {args.units * args.orders:,} orders, "
            f"PostgreSQL with {args.workers} workers; load average at the start {loads[0]:.1f}"
        )
        print(f"| figure | {' | '.join(engines)} |")
        print(f"|---|{'---|' * len(engines)}")
        for key in results[engines[0]]:
            if key != "plan":
                print(f"| {key} | {' | '.join(results[e][key] for e in engines)} |")
        for engine in engines:
            print(f"\n{engine}: the poll right after the bulk change (sp-1's)\n")
            print(results[engine]["plan"])
        for engine in engines:
            for line in tracebacks(logs[engine]):
                print(f"{engine} hub log: {line}")


if __name__ == "__main__":
    main()
