"""Each rule's change between an older checkout and this one, on the same demo records.

The older code builds the demo cache (so both read identical records); this checkout opens a copy,
migrating it forward. Then, for each day, ``units --view all --format json --today D`` runs on
both, and for every rule this prints how many units it flags before and after, and one unit
whose verdict changed, before → after.

    git worktree add /work/old 4efb9f7
    python bench/rule_changes.py --old /work/old [--units 2000] [--days 2024-02-20 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DAYS = ["2024-02-20", "2024-06-30", "2024-12-31"]


def cli(tree: Path, *argv: str) -> str:
    """Run ``specialist-tui`` from a source tree; its stdout."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-m", "specialist_tui", *argv],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tree,
    )
    return done.stdout


def flags_by_unit(tree: Path, cache: Path, day: str) -> dict[str, dict[str, Any]]:
    """Unit code -> its name and {rule: reason} as of ``day``."""
    argv = ["--cache-dir", str(cache), "--today", day, "units", "--view", "all"]
    rows = json.loads(cli(tree, *argv, "--format", "json"))
    return {
        r["code"]: {"name": r["name"], "flags": {f["rule"]: f["reason"] for f in r["flags"]}}
        for r in rows
    }


def compare(before: dict[str, Any], after: dict[str, Any], rules: Sequence[str]) -> list[str]:
    lines = []
    for rule in rules:
        old = {c for c, u in before.items() if rule in u["flags"]}
        new = {c for c, u in after.items() if rule in u["flags"]}
        changed = sorted(
            c
            for c in before.keys() & after.keys()
            if before[c]["flags"].get(rule) != after[c]["flags"].get(rule)
        )
        line = f"{rule}: {len(old)} → {len(new)} units flagged, {len(changed)} verdicts changed"
        if changed:
            # Prefer a unit that gained or lost the flag, else one whose reason changed.
            gained_or_lost = [c for c in changed if (c in old) != (c in new)]
            code = (gained_or_lost or changed)[0]
            was = before[code]["flags"].get(rule, "（未标记）")
            now = after[code]["flags"].get(rule, "（未标记）")
            line += f"\n    {after[code]['name']}: {was} → {now}"
        lines.append(line)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the older checkout's folder")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--days", nargs="+", default=DAYS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        old_cache, new_cache = Path(tmp) / "old", Path(tmp) / "new"
        cli(args.old, "--cache-dir", str(old_cache), "demo", "--units", str(args.units), "--no-ui")
        shutil.copytree(old_cache, new_cache)
        rules = [f"R{n}" for n in range(1, 15)]
        for day in args.days:
            before = flags_by_unit(args.old, old_cache, day)
            after = flags_by_unit(ROOT, new_cache, day)
            print(f"== as of {day} ({len(after)} units)")
            print("\n".join(compare(before, after, rules)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
