"""`specialist-tui units`: a view's units as a table, JSON or CSV, for scripts."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from typing import TextIO

from specialist_tui.client.cache import VIEWS
from specialist_tui.client.config import Settings
from specialist_tui.client.read_models import UnitRow
from specialist_tui.client.service import Service
from specialist_tui.commands.base import (
    EMPTY_CACHE_HINT,
    NothingToDo,
    Subparsers,
    int_range,
    print_table,
    require_cache,
    view_options,
    write_json,
)
from specialist_tui.domain.money import percent_floor, yuan
from specialist_tui.domain.rules import RULES
from specialist_tui.inert import sheet_value


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    units = sub.add_parser(
        "units", parents=[common], help="列出一个视图的单位（表格、JSON 或 CSV，供脚本使用）"
    )
    view_options(units)
    units.add_argument(
        "--format", default="table", choices=["table", "json", "csv"], help="输出格式（默认 table）"
    )
    units.add_argument(
        "--limit", type=int_range(1), default=None, metavar="N", help="最多列出 N 个单位"
    )
    units.add_argument(
        "--rule",
        default=None,
        choices=list(RULES),
        metavar="RULE",
        help=f"只列出该规则标记的单位（{'、'.join(RULES)}）；"
        "如 --rule R2 --sort finance 按本级财政部门列出待确认的单位",
    )
    units.set_defaults(handler=run)


# Column heads and cells of the plain-text table; JSON and CSV use the English keys.
_TABLE: list[tuple[str, Callable[[UnitRow], str]]] = [
    ("单位名称", lambda r: r.name),
    ("区域代码", lambda r: r.area_code),
    ("填报状态", lambda r: r.filing_state or r.filing_status.label),
    ("食堂类型", lambda r: r.canteen_mode.label if r.canteen_mode else "—"),
    ("预留金额", lambda r: yuan(r.reserved_fen)),
    ("已完成", lambda r: yuan(r.completed_fen)),
    ("完成率", lambda r: percent_floor(r.completed_fen, r.reserved_fen)),
    ("未付款", lambda r: str(r.unpaid_count) if r.unpaid_count else ""),
    ("下次跟进", lambda r: r.next_follow_up.isoformat() if r.next_follow_up else ""),
    ("评分", lambda r: str(r.score)),
    ("标记", lambda r: " ".join(f.rule for f in r.flags)),
]

CSV_FIELDS = [
    "code", "name", "supervisor", "area_code", "filing_status", "canteen_mode",
    "canteen_total_fen", "canteen_reserved_fen", "union_mode", "union_total_fen",
    "union_reserved_fen", "completed_fen", "unpaid_count", "unpaid_fen", "unpaid_oldest_days",
    "next_follow_up", "filing_state", "finance_office", "finance_office_name", "score", "flags",
]  # fmt: skip


def run(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    service = Service(settings)
    try:
        if service.cache.count("units") == 0:
            raise NothingToDo(EMPTY_CACHE_HINT)
        service.prepare()
        rows = service.view_rows(args.view, args.filter, args.sort, args.limit, args.rule)
        if args.format == "json":
            write_json([row.as_dict() for row in rows], sys.stdout)
        elif args.format == "csv":
            write_csv(rows, sys.stdout)
        else:
            print_table(rows, _TABLE, sys.stdout)
            label = VIEWS[args.view].label
            print(f"{len(rows)} 个单位 · 视图 {label} · 截至 {service.today}")
        return 0
    finally:
        service.close()


def write_csv(rows: list[UnitRow], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        data = row.as_dict()
        reasons = "；".join(f"{f.rule} {f.reason}" for f in row.flags)
        writer.writerow([sheet_value(v) for v in (*(data[f] for f in CSV_FIELDS[:-1]), reasons)])
