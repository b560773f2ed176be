"""`specialist-tui units`: a view's units as a table, JSON or CSV, for scripts."""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any, TextIO

from specialist_tui.client.cache import SORTS, VIEWS
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.commands.base import Cell, Subparsers, print_table, write_json
from specialist_tui.domain.enums import CanteenMode
from specialist_tui.domain.money import percent_floor, yuan
from specialist_tui.domain.rules import RULES
from specialist_tui.inert import sheet_value

EMPTY_CACHE_HINT = (
    "缓存中没有单位。先运行 `specialist-tui demo --units 2000 --no-ui` 生成演示数据。"
)


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    units = sub.add_parser("units", parents=[common], help="print a view's units")
    units.add_argument("--view", default="follow_up", choices=list(VIEWS), help="named view")
    units.add_argument("--filter", default="", help="name, credit code, supervisor, area, pinyin")
    units.add_argument("--sort", default=None, help=f"one of {', '.join(SORTS)}; '-' reverses")
    units.add_argument("--format", default="table", choices=["table", "json", "csv"])
    units.add_argument("--limit", type=int, default=None, help="at most this many units")
    units.add_argument(
        "--rule",
        default=None,
        choices=list(RULES),
        help="only units this rule flags (R2 --sort finance: pending confirmations by office)",
    )
    units.set_defaults(handler=run)


# Column heads and cells of the plain-text table; JSON and CSV use the English keys.
_TABLE: list[tuple[str, Cell]] = [
    ("单位名称", lambda r: r["name"]),
    ("区域代码", lambda r: r["area_code"]),
    ("填报状态", lambda r: r["filing_state"]),
    ("食堂类型", lambda r: CanteenMode(r["canteen_mode"]).label if r["canteen_mode"] else "—"),
    ("预留金额", lambda r: yuan(r["reserved_fen"])),
    ("已完成", lambda r: yuan(r["completed_fen"])),
    ("完成率", lambda r: percent_floor(r["completed_fen"], r["reserved_fen"])),
    ("未付款", lambda r: str(r["unpaid_count"]) if r["unpaid_count"] else ""),
    ("下次跟进", lambda r: r["next_follow_up"] or ""),
    ("评分", lambda r: str(r["score"])),
    ("标记", lambda r: " ".join(f["rule"] for f in r["flags"])),
]

CSV_FIELDS = [
    "code", "name", "supervisor", "area_code", "filing_status", "canteen_mode",
    "canteen_total_fen", "canteen_reserved_fen", "union_mode", "union_total_fen",
    "union_reserved_fen", "completed_fen", "unpaid_count", "unpaid_fen", "unpaid_oldest_days",
    "next_follow_up", "filing_state", "finance_office", "finance_office_name", "score", "flags",
]  # fmt: skip


def run(args: argparse.Namespace, settings: Settings) -> int:
    service = Service(settings)
    try:
        if service.cache.count("units") == 0:
            print(EMPTY_CACHE_HINT, file=sys.stderr)
            return 1
        service.prepare()
        rows = service.view_rows(args.view, args.filter, args.sort, args.limit)
        if args.rule:
            rows = [r for r in rows if any(f["rule"] == args.rule for f in r["flags"])]
        if args.format == "json":
            write_json(rows, sys.stdout)
        elif args.format == "csv":
            write_csv(rows, sys.stdout)
        else:
            print_table(rows, _TABLE, sys.stdout)
            label = VIEWS[args.view].label
            print(f"{len(rows)} 个单位 · 视图 {label} · 截至 {service.today}")
        return 0
    finally:
        service.close()


def write_csv(rows: list[dict[str, Any]], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        reasons = "；".join(f"{f['rule']} {f['reason']}" for f in row["flags"])
        writer.writerow([sheet_value(v) for v in (*(row[f] for f in CSV_FIELDS[:-1]), reasons)])
