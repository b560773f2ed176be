"""The units and unit screens driven headless at 1k / 10k / 100k units. Prints, never asserts.

    python bench/screens.py --units 1000 10000 100000

Per size, in a fresh process (so peak RSS is that size's own): launch to first paint, filter
keystroke p50/p95, page move p50/p95, open unit p50/p95, peak RSS. Then the whole process as a
user starts it: `python -m specialist_tui` in a pseudo-terminal, timed until the first rows and
until the whole list are on screen. Caches are the demo under bench/.caches/demo-N (built once,
shared with bench/cache.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pty
import resource
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from datetime import date
from fcntl import ioctl
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHES = ROOT / "bench" / ".caches"
TODAY = date(2024, 6, 30)
# Typed one key at a time, as a user would: pinyin initials, Chinese, a code prefix, backspaces.
TYPING = ["xnsjyj", "教育", "hds", "6301"]


def build(units: int) -> Path:
    """The demo cache of this size, built now when missing."""
    folder = CACHES / f"demo-{units}"
    if (folder / "specialist.sqlite").exists():
        return folder
    from specialist_tui.client.config import Settings
    from specialist_tui.client.service import Service
    from specialist_tui.commands.client.demo import write_demo

    service = Service(Settings(cache_dir=folder))
    started = time.perf_counter()
    summary = write_demo(service, units, TODAY)
    service.close()
    print(f"  built {summary} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Frames:
    """Records when the app hands a finished frame to the terminal driver, and what the app
    looked like then (``probe``), so a measurement can find the first frame showing a change."""

    def __init__(self, app: object) -> None:
        self.seen: list[tuple[float, object]] = []
        self.probe: Callable[[], object] = lambda: None
        original = app._display  # type: ignore[attr-defined]

        def display(*args: object, **kwargs: object) -> object:
            result = original(*args, **kwargs)
            self.seen.append((time.perf_counter(), self.probe()))
            return result

        app._display = display  # type: ignore[attr-defined]

    async def first(self, since: float, shows: Callable[[object], bool]) -> float:
        """When the first frame after ``since`` whose probe ``shows`` the change was drawn."""

        def found() -> float | None:
            for moment, state in self.seen:
                if moment >= since and state is not None and shows(state):
                    return moment
            return None

        await until(lambda: found() is not None)
        return found() or 0.0


async def until(ready: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``ready()``."""
    deadline = time.perf_counter() + timeout
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.0005)


async def key(app: object, name: str) -> float:
    """Send one key as the terminal would; returns when it was sent."""
    from textual import events

    sent = time.perf_counter()
    app._driver.send_message(events.Key(name, name if len(name) == 1 else None))  # type: ignore[attr-defined]
    return sent


async def drive(folder: Path) -> dict[str, object]:
    """One headless session on this cache: each figure is from the key event being sent to
    the first frame that shows its effect reaching the driver, in milliseconds."""
    started = time.perf_counter()
    from specialist_tui.app import create_app
    from specialist_tui.client.config import Settings
    from specialist_tui.screens.unit import UnitScreen
    from specialist_tui.widgets.unit_table import UnitTable

    app = create_app(Settings(cache_dir=folder))
    frames = Frames(app)
    out: dict[str, object] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.units_screen
        table = screen.query_one(UnitTable)

        def state() -> tuple[float, int, float]:
            current = app.screen
            loaded = current.loaded_at if isinstance(current, UnitScreen) else 0.0
            return screen.shown_at, table.cursor, loaded

        frames.probe = state
        shown = await frames.first(started, lambda s: s[0] > 0)  # type: ignore[index]
        out["first_paint"] = ms(shown - started)
        await until(lambda: screen.search.keys is not None and not screen.busy)
        out["list_loaded"] = ms(time.perf_counter() - started)
        await pilot.press("6")  # 全部: the biggest view
        await until(
            lambda: screen.shown is not None and screen.shown.view == "all" and not screen.busy
        )
        out["units"] = len(table.codes)
        await pilot.press("slash")
        await pilot.pause()

        keystrokes, listed = [], []
        for word in TYPING:
            for name in [*word, *["backspace"] * len(word)]:
                before = screen.shown_at
                sent = await key(app, name)
                seen = await frames.first(sent, lambda s, b=before: s[0] > b)  # type: ignore[index]
                keystrokes.append(seen - sent)
                listed.append(screen.shown_at - sent)
                await until(lambda: not screen.busy, timeout=5)
                await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        out["filter_p50"] = ms(statistics.median(keystrokes))
        out["filter_p95"] = ms(pct(keystrokes, 0.95))
        out["filter_max"] = ms(max(keystrokes))
        out["filter_listed_p95"] = ms(pct(listed, 0.95))

        pages = []
        for name in ["pagedown"] * 15 + ["pageup"] * 15:
            cursor = table.cursor
            sent = await key(app, name)
            seen = await frames.first(sent, lambda s, c=cursor: s[1] != c)  # type: ignore[index]
            pages.append(seen - sent)
            await pilot.pause()
        out["page_p50"] = ms(statistics.median(pages))
        out["page_p95"] = ms(pct(pages, 0.95))

        opens = []
        for _ in range(10):
            await pilot.press("j", "j", "j")
            await pilot.pause()
            sent = await key(app, "enter")
            seen = await frames.first(sent, lambda s, t=sent: s[2] > t)  # type: ignore[index]
            opens.append(seen - sent)
            await pilot.press("escape")
            await until(lambda: app.screen is screen)
            await pilot.pause()
        out["open_p50"] = ms(statistics.median(opens))
        out["open_p95"] = ms(pct(opens, 0.95))
    # ru_maxrss is in kilobytes on Linux.
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def whole_process(folder: Path) -> dict[str, float]:
    """Start the app as a user does, in a 160x45 pseudo-terminal; time what appears."""
    from specialist_tui.client.cache import Cache

    cache = Cache.open(folder)
    first = cache.view_codes("follow_up", limit=1)
    unit = cache.unit(first[0]) if first else None
    cache.close()
    marks = {"whole_list": "个单位".encode()}
    if unit is not None:
        marks["first_rows"] = unit["name"][:4].encode()
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "SPECIALIST_TUI_CONFIG": "/nonexistent.toml"}
    command = [sys.executable, "-m", "specialist_tui", "--cache-dir", str(folder)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, close_fds=True
    )
    os.close(slave)
    seen = b""
    times: dict[str, float] = {}
    deadline = started + 60
    while time.perf_counter() < deadline and len(times) < len(marks):
        ready, _, _ = select.select([master], [], [], 0.02)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
        for key, mark in marks.items():
            if key not in times and mark in seen:
                times[key] = ms(time.perf_counter() - started)
    os.write(master, b"q")
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    os.close(master)
    return times


async def reevaluate(folder: Path, today: date) -> dict[str, object]:
    """Launch on a cache evaluated for another date: first paint, and when re-evaluation ends."""
    started = time.perf_counter()
    from specialist_tui.app import create_app
    from specialist_tui.client.config import Settings

    app = create_app(Settings(cache_dir=folder, today=today))
    frames = Frames(app)
    async with app.run_test(size=(160, 45)):
        screen = app.units_screen
        frames.probe = lambda: screen.shown_at
        first = ms(await frames.first(started, lambda shown: shown > 0) - started)  # type: ignore[operator]
        await until(lambda: screen.shown is not None and not screen.preparing, timeout=120)
        done = ms(time.perf_counter() - started)
    return {"first_paint": first, "evaluated": done}


def one(units: int, today: date | None) -> None:
    folder = build(units)
    if today is None:
        print(json.dumps(asyncio.run(drive(folder))))
        return
    print(json.dumps(asyncio.run(reevaluate(folder, today))))
    from specialist_tui.client.config import Settings
    from specialist_tui.client.service import Service

    service = Service(Settings(cache_dir=folder))  # back to the demo's own date
    service.prepare()
    service.close()


def child(units: int, today: str | None = None) -> dict[str, object] | None:
    command = [sys.executable, __file__, "--one", str(units)]
    if today:
        command += ["--today", today]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if result.returncode:
        print(result.stderr, file=sys.stderr)
        return None
    figures: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.today)
        return

    heads = [
        ("units", "units"), ("first_paint", "1st paint"), ("list_loaded", "list+index"),
        ("filter_p50", "filter p50"), ("filter_p95", "filter p95"), ("filter_max", "max"),
        ("filter_listed_p95", "listed p95"),
        ("page_p50", "page p50"), ("page_p95", "page p95"), ("open_p50", "open p50"),
        ("open_p95", "open p95"), ("peak_rss_mb", "RSS MB"),
    ]  # fmt: skip
    print("headless (App.run_test, 160x45), milliseconds unless marked:")
    print(" ".join(f"{title:>10}" for _, title in heads))
    for units in args.units:
        build(units)
        figures = child(units)
        if figures is not None:
            print(" ".join(f"{figures[key]:>10,}" for key, _ in heads))

    print("\nlaunch on a cache evaluated for another date (re-evaluation runs after first paint):")
    for units in args.units:
        figures = child(units, "2024-07-01")
        if figures is not None:
            print(
                f"  {units:>7,} units: first paint {figures['first_paint']} ms, "
                f"re-evaluated {figures['evaluated']} ms"
            )

    print("\nwhole process (python -m specialist_tui in a 160x45 pty), ms from start:")
    for units in args.units:
        times = whole_process(build(units))
        print(
            f"  {units:>7,} units: first rows {times.get('first_rows', '—')}, "
            f"whole list {times.get('whole_list', '—')}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
