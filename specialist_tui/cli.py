"""The `specialist-tui` command: the app by default, and subcommands for scripts."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from specialist_tui.cache import SORTS, VIEWS, CacheError, UnknownKey
from specialist_tui.config import Settings, SettingsError, config_file, load_settings
from specialist_tui.domain.enums import CanteenMode, FilingStatus
from specialist_tui.domain.money import percent_floor, yuan
from specialist_tui.domain.policy import PolicyError
from specialist_tui.service import DEMO_TODAY_KEY, Service

Handler = Callable[[argparse.Namespace, Settings], int]


class UsageError(Exception):
    """A mistake on the command line; printed as one line on stderr, exit status 2."""


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS keeps a subcommand's parser from overwriting flags given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--cache-dir", type=Path, default=argparse.SUPPRESS, help="cache folder")
    common.add_argument(
        "--policy",
        default=argparse.SUPPRESS,
        help="policy name or TOML file (default qinghai-2024)",
    )
    common.add_argument(
        "--today", type=_date_arg, default=argparse.SUPPRESS, help="evaluate as of YYYY-MM-DD"
    )
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, help="config file to read"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="specialist-tui",
        description="832 平台区域服务专员工作台：预算单位跟进、通话与工单、同步与导出。",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo", parents=[common], help="fill the cache with demo data and open it"
    )
    demo.add_argument("--units", type=int, default=2000, help="how many units (default 2000)")
    demo.add_argument("--seed", type=int, default=832, help="random seed (default 832)")
    demo.add_argument("--no-ui", action="store_true", help="only write the cache")
    demo.set_defaults(handler=cmd_demo)

    units = sub.add_parser("units", parents=[common], help="print a view's units")
    units.add_argument("--view", default="follow_up", choices=list(VIEWS), help="named view")
    units.add_argument("--filter", default="", help="name, credit code, supervisor, area, pinyin")
    units.add_argument("--sort", default=None, help=f"one of {', '.join(SORTS)}; '-' reverses")
    units.add_argument("--format", default="table", choices=["table", "json", "csv"])
    units.add_argument("--limit", type=int, default=None, help="at most this many units")
    units.set_defaults(handler=cmd_units)

    config = sub.add_parser("config", parents=[common], help="where settings and data live")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_sub.add_parser("path", parents=[common], help="print the config file and cache paths")
    config_sub.add_parser("show", parents=[common], help="print the settings in effect")
    config.set_defaults(handler=cmd_config)

    policy = sub.add_parser("policy", parents=[common], help="print the policy in effect")
    policy.set_defaults(handler=cmd_policy)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {key: getattr(args, key, None) for key in ("cache_dir", "policy", "today")}
    return load_settings(overrides, path=getattr(args, "config", None))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings(args)
        handler: Handler = getattr(args, "handler", cmd_app)
        return handler(args, settings)
    except (SettingsError, PolicyError, CacheError, UsageError, UnknownKey) as exc:
        print(f"specialist-tui: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.app import run_app

    return run_app(settings)


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.demo import generate

    if args.units < 1:
        raise UsageError("--units must be at least 1")
    service = Service(settings)
    policy = service.policy
    today = settings.today or date(policy.year, 6, 30)
    if today.year != policy.year:
        raise UsageError(f"--today {today} is outside the policy year {policy.year}")
    started = time.perf_counter()
    data = generate(args.units, today, policy, seed=args.seed)
    generated = time.perf_counter() - started
    cache = service.cache
    with cache.transaction():
        cache.clear()
        cache.load(
            {
                "centers": data.centers,
                "specialists": data.specialists,
                "units": data.units,
                "filings": data.filings,
                "orders": data.orders,
                "calls": data.calls,
                "tickets": data.tickets,
                "ticket_events": data.ticket_events,
            },
            policy,
            today,
        )
        cache.set_meta(DEMO_TODAY_KEY, today.isoformat())
        cache.set_meta("user_id", data.user_id)
        cache.set_meta("source", "demo")
    total = time.perf_counter() - started
    print(
        f"demo: {len(data.units):,} units, {len(data.orders):,} orders, {len(data.calls):,} calls "
        f"as of {today} -> {cache.path} ({generated:.1f} s to generate, {total:.1f} s in all)",
        file=sys.stderr,
    )
    service.close()
    if args.no_ui:
        return 0
    return cmd_app(args, settings)


# Column heads and cells of the plain-text table; the JSON and CSV use the English keys.
_TABLE: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("单位名称", lambda r: r["name"]),
    ("区域代码", lambda r: r["area_code"]),
    ("填报状态", lambda r: FilingStatus(r["filing_status"]).label),
    ("食堂类型", lambda r: CanteenMode(r["canteen_mode"]).label if r["canteen_mode"] else "—"),
    ("预留金额", lambda r: yuan(r["reserved_fen"])),
    ("已完成", lambda r: yuan(r["completed_fen"])),
    ("完成率", lambda r: percent_floor(r["completed_fen"], r["reserved_fen"])),
    ("未付款", lambda r: f"{r['unpaid_count']}" if r["unpaid_count"] else ""),
    ("下次跟进", lambda r: r["next_follow_up"] or ""),
    ("评分", lambda r: str(r["score"])),
    ("标记", lambda r: " ".join(f["rule"] for f in r["flags"])),
]

_CSV_FIELDS = [
    "code", "name", "supervisor", "area_code", "filing_status", "canteen_mode",
    "canteen_total_fen", "canteen_reserved_fen", "union_mode", "union_total_fen",
    "union_reserved_fen", "completed_fen", "unpaid_count", "unpaid_fen", "unpaid_oldest_days",
    "next_follow_up", "score", "flags",
]  # fmt: skip


def cmd_units(args: argparse.Namespace, settings: Settings) -> int:
    service = Service(settings)
    if service.cache.count("units") == 0:
        print(
            "缓存中没有单位。先运行 `specialist-tui demo --units 2000 --no-ui` 生成演示数据。",
            file=sys.stderr,
        )
        return 1
    service.prepare()
    rows = service.view_rows(args.view, args.filter, args.sort, args.limit)
    out = sys.stdout
    if args.format == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        writer = csv.writer(out)
        writer.writerow(_CSV_FIELDS)
        for row in rows:
            cells = [row[f] for f in _CSV_FIELDS[:-1]]
            reasons = "；".join(f"{f['rule']} {f['reason']}" for f in row["flags"])
            writer.writerow([*cells, reasons])
    else:
        _print_table(rows, out)
        print(
            f"{len(rows)} 个单位 · 视图 {VIEWS[args.view].label} · 截至 {service.today}", file=out
        )
    service.close()
    return 0


def _print_table(rows: list[dict[str, Any]], out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for head, _ in _TABLE:
        table.add_column(head, overflow="fold")
    for row in rows:
        table.add_row(*(cell(row) for _, cell in _TABLE))
    Console(file=out, width=200 if not out.isatty() else None).print(table)


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    if args.config_command == "path":
        print(f"config file: {getattr(args, 'config', None) or config_file()}")
        print(f"cache file:  {settings.cache_path}")
        return 0
    print(settings.model_dump_json(indent=2))
    return 0


def cmd_policy(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.policy_files import load_policy

    policy = load_policy(settings.policy)
    print(policy.model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
