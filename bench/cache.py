"""Demo build time, cache size, view query times and re-evaluation time. Prints, never asserts."""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from specialist_tui.client.cache import VIEWS, Cache
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.commands.client.demo import write_demo
from specialist_tui.policies import load_policy

CACHES = Path(__file__).resolve().parent / ".caches"


def build(units: int, fresh: bool) -> tuple[Path, float | None]:
    """A demo cache of this size under bench/.caches, built now when missing or --fresh."""
    folder = CACHES / f"demo-{units}"
    db = folder / "specialist.sqlite"
    if db.exists() and not fresh:
        return folder, None
    for leftover in folder.glob("specialist.sqlite*"):
        leftover.unlink()
    service = Service(Settings(cache_dir=folder))
    started = time.perf_counter()
    write_demo(service, units, date(2024, 6, 30))
    seconds = time.perf_counter() - started
    service.close()
    return folder, seconds


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("specialist.sqlite*")) / 1e6


def timed(fn: object, repeat: int = 5) -> tuple[float, object]:
    samples = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--fresh", action="store_true", help="rebuild caches")
    args = parser.parse_args()

    print(f"{'units':>8} {'build s':>8} {'size MB':>8}")
    folders = {}
    for units in args.units:
        folder, seconds = build(units, args.fresh)
        folders[units] = folder
        shown = f"{seconds:8.1f}" if seconds is not None else "  cached"
        print(f"{units:>8,} {shown} {size_mb(folder):8.1f}")

    largest = max(args.units)
    cache = Cache.open(folders[largest])
    policy = load_policy()
    print(f"\nview queries at {largest:,} units (median of 5, ms): codes + first 60 rows")
    print(f"{'view':>12} {'units':>8} {'no filter':>10} {'filter 教育':>12} {'filter xnsjyj':>14}")
    for name in VIEWS:
        row = [f"{name:>12}"]
        for text in ("", "教育", "xnsjyj"):

            def query(text: str = text, name: str = name) -> int:
                codes = cache.view_codes(name, text)
                cache.unit_rows(codes[:60], date(2024, 6, 30))
                return len(codes)

            ms, count = timed(query)
            if text == "":
                row.append(f"{count:>8,}")
            row.append(f"{ms:>10.1f}" if text != "教育" else f"{ms:>12.1f}")
        print(" ".join(row))
    ms, _ = timed(lambda: cache.view_counts(""), repeat=3)
    print(f"{'all counts':>12} {'':>8} {ms:>10.1f}")

    print(f"\nre-evaluating every unit as of a new date at {largest:,} units:")
    for day in (date(2024, 7, 1), date(2024, 12, 20), date(2024, 6, 30)):
        result = cache.evaluate(policy, day)
        print(
            f"  {day}: {result.seconds:.2f} s for {result.units:,} units "
            f"({result.changed:,} verdicts changed)"
        )
    started = time.perf_counter()
    cache.refresh_facts(policy.year)
    print(f"  full facts refresh (scan of all orders): {time.perf_counter() - started:.2f} s")
    cache.evaluate(policy, date(2024, 6, 30))

    print(f"\nlooking back: facts as of a past day and its flags at {largest:,} units:")
    for day in (date(2024, 2, 20), date(2024, 1, 15)):
        started = time.perf_counter()
        cache.ensure_current(policy, day, asof=day, progress=lambda done, total: None)
        print(f"  as of {day}: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    cache.ensure_current(policy, date(2024, 6, 30))
    print(f"  back to today (every record): {time.perf_counter() - started:.2f} s")
    cache.close()


if __name__ == "__main__":
    main()
