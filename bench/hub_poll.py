"""The cost of an empty poll, alone: for an A/B of the hub's poll path. Prints, never asserts.

Serves a hub that ``bench/hub_scale.py --keep DIR`` built (SQLite, or PostgreSQL with --pg),
then runs hub_scale's case (b) a few times: every poller at once, back to back, from a cursor
at the feed's end, so every answer is an empty page. No bulk change (hub_scale measures that):
here only the per-request cost is wanted, and with --hub-root the same database is served by
another source tree.

    python bench/hub_poll.py --keep DIR --units 6000 --orders 2 [--pg URL] [--workers 2]
        [--hub-root OLDTREE] [--repeat 3] [--no-access-log]

To see where a hub process spends it, run py-spy on it during a burst (docs/hub.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import hub_scale as scale  # this folder is on sys.path when run as a script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, required=True)
    parser.add_argument("--units", type=int, required=True)
    parser.add_argument("--orders", type=int, required=True)
    parser.add_argument("--pg", default="", help="the PostgreSQL server (else SQLite)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10, help="polls per client per burst")
    parser.add_argument("--repeat", type=int, default=3, help="bursts")
    parser.add_argument("--load-procs", type=int, default=2)
    parser.add_argument("--hub-root", type=Path, default=scale.ROOT)
    parser.add_argument("--no-access-log", dest="access_log", action="store_false")
    args = parser.parse_args()

    size = f"{args.units}x{args.orders}"
    engine = "postgresql" if args.pg else "sqlite"
    memo = args.keep / f"{engine}-{size}.json"
    if not memo.exists():
        sys.exit(f"no {memo}: build it first with bench/hub_scale.py --keep --build-only")
    db: str | Path = (
        scale.pg_database(args.pg, f"hub_bench_{size}", fresh=False)
        if args.pg
        else args.keep / f"hub-{size}.sqlite"
    )
    hub = scale.built(engine, db, args, memo)
    log = args.keep / f"{engine}-{size}-poll.log"
    proc, url = scale.serve(db, args.workers, log, args.hub_root, args.access_log)
    print(
        f"{engine}, {args.units:,} units, {args.workers} hub process(es), {args.pollers} pollers "
        f"× {args.rounds}{'' if args.access_log else ', no access log'}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    try:
        meter = scale.CpuMeter(proc.pid, scale.postmaster(str(db)) if args.pg else None)
        pollers = [hub.tokens[f"sp-{n}"] for n in range(1, args.pollers + 1)]
        cursor = scale.caught_up(db)
        clients = [{"token": t, "cursor": cursor} for t in pollers]
        job = {"mode": "poll", "seconds": 600, "every": 0, "rounds": args.rounds}
        # One warm-up burst: every pooled connection prepares its statements.
        scale.finish_load(scale.start_load(url, {**job, "start": time.monotonic() + 1},
                                           clients, args.load_procs))  # fmt: skip
        print("| burst | p50 / p95 / p99 (ms), polls | polls/s | CPU/poll hub + db + load (ms) |")
        print("|---|---|---|---|")
        for n in range(1, args.repeat + 1):
            started = scale.start_load(url, {**job, "start": time.monotonic() + 1}, clients,
                                       args.load_procs)  # fmt: skip
            meter.start()
            burst = scale.finish_load(started)
            hub_cpu, db_cpu = (s / len(burst.samples) * 1000 for s in meter.stop())
            gen_cpu = burst.cpu / len(burst.samples) * 1000
            rate = len(burst.samples) / scale.span(burst.samples)
            print(
                f"| {n} | {scale.counted(burst.latencies())} | {rate:.0f} | "
                f"{hub_cpu:.2f} + {db_cpu:.2f} + {gen_cpu:.2f} |"
            )
            if burst.statuses or burst.busy:
                print(f"  failures {burst.statuses}, 503s {burst.busy}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
