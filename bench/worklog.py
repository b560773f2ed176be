"""How long a save takes until it is durable (committed with its outbox row and the unit's
refreshed flags), for calls, new tickets and status changes; and the keys a common call needs.

Prints, never asserts. `python bench/worklog.py --units 10000 --saves 200`
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import (
    make_credit_code,
)

TODAY = date(2024, 6, 30)


def code(serial: int) -> str:
    return make_credit_code("11630100", f"{serial:08d}")


def build(folder: Path, units: int) -> Worklog:
    """A cache of ``units`` units with 5 past calls each, and a Worklog on it."""
    service = Service(Settings(cache_dir=folder, today=TODAY, user="sp-bench"))
    unit_rows = [
        {
            "code": code(i),
            "name": f"单位{i}",
            "level": "county",
            "division_code": "630100",
            "area_code": "QH0101",
            "contacts": [{"name": "张伟", "role": "finance", "phone": "13909710001"}],
        }
        for i in range(1, units + 1)
    ]
    started = datetime(2024, 6, 1, 9, 0, tzinfo=BEIJING)
    calls = [
        {
            "id": f"00000000-0000-4000-8000-{i * 10 + k:012d}",
            "unit_code": code(i),
            "started_at": (started + timedelta(days=k)).isoformat(),
            "outcome": "reached",
            "topics": ["filing"],
        }
        for i in range(1, units + 1)
        for k in range(5)
    ]
    service.cache.load({"units": unit_rows, "calls": calls}, service.policy, TODAY)
    return Worklog(service, clock=lambda: datetime(2024, 6, 30, 10, 30, tzinfo=BEIJING))


def timed(action: Callable[[int], object], times: int) -> list[float]:
    samples = []
    for i in range(times):
        started = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"  {label:<28} median {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms")


def bench_service(worklog: Worklog, units: int, saves: int) -> None:
    def call(i: int) -> None:
        worklog.log_call(code(i % units + 1), "reached", ["filing"], follow_up_on="2024-07-03")

    report("log_call", timed(call, saves))
    ids: list[str] = []

    def ticket(i: int) -> None:
        ids.append(str(worklog.open_ticket(code(i % units + 1), "payment", f"工单{i}").id))

    report("open_ticket", timed(ticket, saves))
    report(
        "change_ticket_status",
        timed(lambda i: worklog.change_ticket_status(ids[i], "in_progress", "处理"), saves),
    )


async def keys_for_common_call(worklog: Worklog) -> None:
    """Drive the call form as a user would (c opens it) and check the call was saved."""
    from specialist_tui.screens.call_form import CallForm
    from tests.harness import WorklogHarness

    unit = worklog.unit(code(1))
    app = WorklogHarness(worklog, lambda w: CallForm(w, unit))
    keys = ["1", "ctrl+s"]
    async with app.run_test() as pilot:
        await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = bool(app.results) and app.results[0] is not None
    print(f"common call (reached, 1 topic, no follow-up): c {' '.join(keys)} = "
          f"{1 + len(keys)} keys, saved: {saved}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--dir", default=None, help="where to build the cache (a real disk)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        started = time.perf_counter()
        worklog = build(Path(tmp), args.units)
        print(f"cache of {args.units:,} units, {args.units * 5:,} calls built in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        for mode in ("NORMAL", "FULL"):
            worklog.service.cache.db.execute(f"PRAGMA synchronous={mode}")
            print(f"save until durable (WAL, synchronous={mode}), {args.saves} saves each:")
            bench_service(worklog, args.units, args.saves)
        worklog.service.cache.db.execute("PRAGMA synchronous=NORMAL")
        asyncio.run(keys_for_common_call(worklog))
        worklog.service.close()


if __name__ == "__main__":
    main()
