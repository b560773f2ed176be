"""Every unit evaluated for another day, per phase, CPU and wall. Prints, never asserts.

    python bench/asof.py --units 100000 [--cache DIR] [--repeat 3] [--profile 2024-02-20]

The cache is the demo under bench/.caches/demo-N (built once, shared with bench/cache.py) or
--cache DIR. Each step is a day chosen as the app chooses it (Service.as_of: facts as known on
the day only when some record is dated after it), run through Cache.ensure_current with a
progress callback as the app's worker does. Phases: "evaluate" when only the rules run again
(the facts are those of the day already), "recompute" when the facts SQL runs too (the rules of
one slice of units beside the facts of the next); an older checkout shows "refresh_facts" then
"evaluate" instead (PYTHONPATH=OLD python bench/asof.py for an A/B). The steps by default:
a new day on today's facts (07-01), looks back (01-15, 02-20), today again (06-30), and year
end (12-31). --days picks others; --profile DAY prints the top of a cProfile of that day's
step instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Appended, not first: PYTHONPATH=OLD must be the package measured.
sys.path.append(str(ROOT))

from bench.cache import build  # noqa: E402
from specialist_tui.client.cache import Cache  # noqa: E402
from specialist_tui.policies import load_policy  # noqa: E402

DAYS = ["2024-07-01", "2024-01-15", "2024-02-20", "2024-06-30", "2024-12-31"]
# Where the cache's data sits before any step (the demo's own day).
START = date(2024, 6, 30)


@contextmanager
def clock(into: dict[str, list[float]], phase: str) -> Iterator[None]:
    cpu, wall = time.process_time(), time.perf_counter()
    yield
    into.setdefault(phase, [0.0, 0.0])
    into[phase][0] += time.process_time() - cpu
    into[phase][1] += time.perf_counter() - wall


def timed_cache(cache: Cache, spent: dict[str, list[float]]) -> None:
    """Wrap the cache's phases so each one's time lands in ``spent`` (an older checkout has no
    recompute: its facts and rules run one after the other)."""
    for name in ("recompute", "refresh_facts", "evaluate"):
        method = getattr(cache, name, None)
        if method is None:
            continue

        def timed(*args: Any, _method: Any = method, _name: str = name, **kwargs: Any) -> Any:
            with clock(spent, _name):
                return _method(*args, **kwargs)

        setattr(cache, name, timed)


def untime(cache: Cache) -> None:
    for name in ("recompute", "refresh_facts", "evaluate"):
        cache.__dict__.pop(name, None)


def as_of(cache: Cache, day: date) -> date | None:
    """The facts' day as Service.as_of chooses it."""
    until = cache.data_until()
    return day if until is not None and day < until else None


def step(cache: Cache, day: date) -> Callable[[], object]:
    policy = load_policy()

    def run() -> object:
        return cache.ensure_current(policy, day, as_of(cache, day), lambda done, total: None)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, help="a cache folder instead of the demo's")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the days")
    parser.add_argument("--days", nargs="+", default=DAYS, help="the steps' days (YYYY-MM-DD)")
    parser.add_argument("--profile", help="profile this day's step instead (YYYY-MM-DD)")
    args = parser.parse_args()

    folder = args.cache or build(args.units, fresh=False)[0]
    cache = Cache.open(folder)
    units = cache.count("units")
    step(cache, START)()
    load = os.getloadavg()
    print(f"{units} units in {folder}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    if args.profile:
        day = date.fromisoformat(args.profile)
        profiler = cProfile.Profile()
        profiler.runcall(step(cache, day))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        step(cache, START)()
        return

    print(f"{'day':<11} {'facts as of':<11} {'cpu s':>6} {'wall s':>6}  phases (cpu/wall)")
    for _ in range(args.repeat):
        for text in args.days:
            day = date.fromisoformat(text)
            spent: dict[str, list[float]] = {}
            timed_cache(cache, spent)
            asof = as_of(cache, day)
            with clock(spent, "total"):
                step(cache, day)()
            untime(cache)
            cpu, wall = spent.pop("total")
            phases = " ".join(f"{name} {c:.2f}/{w:.2f}" for name, (c, w) in spent.items())
            shown = asof.isoformat() if asof else "all"
            print(f"{text:<11} {shown:<11} {cpu:>6.2f} {wall:>6.2f}  {phases}", flush=True)
    step(cache, START)()
    cache.close()


if __name__ == "__main__":
    main()
