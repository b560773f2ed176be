"""Peak memory (RSS) of `hub seed-demo` and `hub import` at a size: both must stream.

Each command runs in its own process under /usr/bin/time, which reports the process's peak
resident memory; the aim (issue 14) is 300,000 units within 1 GB. Prints, never asserts.

    python bench/hub_memory.py --seed-demo 100000 300000 --import 30000 100000
    python bench/hub_memory.py --import 30000 --pg postgresql://postgres@127.0.0.1:5432/postgres

The import files are CSV exports of N units and 17 orders per unit (bench/transfer.py's rows),
written to a temporary folder first (not measured). With --pg the hubs are PostgreSQL
databases made and dropped on that server, else SQLite files.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from transfer import ORDER_HEAD, STATUSES, code, unit_rows

ROOT = Path(__file__).resolve().parent.parent
ORDERS_PER_UNIT = 17


def order_rows(units: int) -> Iterator[list[object]]:
    """ORDERS_PER_UNIT completed or open orders per unit, deterministic, streamed."""
    yield ORDER_HEAD
    for n in range(units * ORDERS_PER_UNIT):
        unit = n // ORDERS_PER_UNIT
        status = STATUSES[n % len(STATUSES)]
        placed = f"2024-03-{1 + n % 28:02d} 09:{n % 60:02d}:00"
        done = f"2024-04-{1 + n % 28:02d} 10:00:00" if status == "已完结" else ""
        paid = placed if status != "待付款" else ""
        yield [f"832{n:010d}", code(unit + 1), placed, f"{100 + n % 50_000}.00", "食堂",
               f"QH{unit % 40:04d}", status, paid, done]  # fmt: skip


def write_csv(path: Path, rows: Iterator[list[object]] | list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def hub(*args: str | Path, timed: bool = False) -> tuple[float, float]:
    """Run `specialist-tui hub ARGS`; (peak RSS in MB, seconds) when ``timed``."""
    command = [sys.executable, "-m", "specialist_tui", "hub", *map(str, args)]
    if timed:
        command = ["/usr/bin/time", "-v", *command]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"hub {' '.join(map(str, args))} failed:\n{done.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return (int(peak.group(1)) / 1024 if peak else 0.0), seconds


class Databases:
    """Fresh hub databases: SQLite files in a folder, or PostgreSQL databases on a server."""

    def __init__(self, folder: Path, server: str) -> None:
        self.folder, self.server, self.made = folder, server, []

    def new(self) -> str:
        if not self.server:
            return str(self.folder / f"{uuid.uuid4().hex[:8]}.sqlite")
        import psycopg

        name = f"hub_memory_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        self.made.append(name)
        return self.server.rsplit("/", 1)[0] + f"/{name}"

    def drop(self) -> None:
        if not self.made:
            return
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            for name in self.made:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed-demo", type=int, nargs="*", default=[], metavar="UNITS")
    parser.add_argument("--import", dest="imports", type=int, nargs="*", default=[])
    parser.add_argument("--pg", default="")
    args = parser.parse_args()
    engine = "PostgreSQL" if args.pg else "SQLite"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dbs = Databases(folder, args.pg)
        try:
            for units in args.seed_demo:
                db = dbs.new()
                hub("init", "--db", db)
                peak, seconds = hub("seed-demo", "--units", units, "--db", db, timed=True)
                print(
                    f"seed-demo {units:,} units ({engine}): peak RSS {peak:.0f} MB, {seconds:.0f} s"
                )
            for units in args.imports:
                files = [
                    write_csv(folder / "units.csv", unit_rows(units)),
                    write_csv(folder / "orders.csv", order_rows(units)),
                ]
                db = dbs.new()
                hub("init", "--db", db)
                areas = ",".join(f"QH{n:04d}" for n in range(40))
                hub(
                    "center", "add", "QH00", "青海省区域服务中心", "--area-codes", areas, "--db", db
                )
                peak, seconds = hub("import", *files, "--db", db, timed=True)
                print(
                    f"hub import {units:,} units + {units * ORDERS_PER_UNIT:,} orders ({engine}): "
                    f"peak RSS {peak:.0f} MB, {seconds:.0f} s"
                )
        finally:
            dbs.drop()


if __name__ == "__main__":
    main()
