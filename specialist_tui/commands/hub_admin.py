"""`specialist-tui hub ...`: run a center's hub and administer it (centers, specialists, tokens)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from specialist_tui.client.config import Settings
from specialist_tui.commands.base import Subparsers, UsageError, date_arg, write_json
from specialist_tui.hub import admin
from specialist_tui.hub.backend import is_postgres
from specialist_tui.hub.store import HubStore
from specialist_tui.inert import terminal_text
from specialist_tui.policies import load_divisions, load_policy


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    db = argparse.ArgumentParser(add_help=False, parents=[common])
    db.add_argument(
        "--db",
        type=_database,
        default=Path("hub.sqlite"),
        help="hub database: a SQLite file (default hub.sqlite) or postgresql://user@host/dbname",
    )
    hub = sub.add_parser("hub", parents=[common], help="run and administer a center's hub")
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    serve = actions.add_parser("serve", parents=[db], help="serve the API over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8832, help="port (default 8832)")
    serve.add_argument("--max-body", type=int, default=8 * 1024 * 1024, help="largest body, bytes")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (PostgreSQL; default 1)"
    )
    serve.add_argument(
        "--docs", action="store_true", help="serve the interactive /docs and /redoc pages"
    )
    serve.set_defaults(handler=run_serve)

    center = actions.add_parser("center", parents=[common], help="service centers")
    center_actions = center.add_subparsers(dest="center_command", metavar="ACTION", required=True)
    center_add = center_actions.add_parser("add", parents=[db], help="add a service center")
    center_add.add_argument("code")
    center_add.add_argument("name")
    center_add.add_argument("--area-codes", default="", help="comma-separated area codes")
    center_add.set_defaults(handler=run_center_add)

    specialist = actions.add_parser("specialist", parents=[common], help="specialists")
    spec_actions = specialist.add_subparsers(dest="spec_command", metavar="ACTION", required=True)
    spec_add = spec_actions.add_parser(
        "add", parents=[db], help="add a specialist; prints their API token once"
    )
    spec_add.add_argument("name")
    spec_add.add_argument("--center", required=True, help="center code")
    role = spec_add.add_mutually_exclusive_group()
    role.add_argument("--lead", action="store_true", help="a center lead (sees every unit)")
    role.add_argument(
        "--province", action="store_true", help="a read-only reader of every center (通报)"
    )
    spec_add.add_argument("--id", dest="specialist_id", default=None, help="specialist id")
    spec_add.add_argument("--phone", default=None)
    spec_add.set_defaults(handler=run_specialist_add)
    spec_list = spec_actions.add_parser(
        "list",
        parents=[db],
        help="list specialists; csv/xlsx: the roster the province publishes (附件2)",
        description="列出服务专员。--format csv|xlsx 写出省里公布的服务专员信息表（附件2）："
        "区域服务中心、服务专员、专属服务电话、服务区域，表尾为政策文件中的监督电话。",
    )
    spec_list.add_argument("--format", default="table", choices=["table", "json", "csv", "xlsx"])
    spec_list.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="写入的文件（xlsx 必填；csv 默认输出到屏幕）",
    )
    spec_list.set_defaults(handler=run_specialist_list)

    token = actions.add_parser("token", parents=[common], help="API tokens")
    token_actions = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    rotate = token_actions.add_parser(
        "rotate", parents=[db], help="replace a specialist's token; prints the new one once"
    )
    rotate.add_argument("specialist_id")
    rotate.set_defaults(handler=run_token_rotate)

    assign = actions.add_parser("assign", parents=[db], help="give units to a specialist")
    assign.add_argument("specialist_id", help="the specialist's id ('-' to unassign)")
    assign.add_argument("codes", nargs="*", help="unit credit codes")
    assign.add_argument("--area", default=None, help="every unit with this area code")
    assign.set_defaults(handler=run_assign)

    seed = actions.add_parser("seed-demo", parents=[db], help="fill an empty hub with demo data")
    seed.add_argument("--units", type=int, default=2000, help="how many units (default 2000)")
    seed.add_argument("--seed", type=int, default=832, help="random seed (default 832)")
    seed.add_argument("--as-of", type=date_arg, default=None, help="the demo's date")
    seed.set_defaults(handler=run_seed_demo)

    move = actions.add_parser(
        "migrate", parents=[common], help="copy a hub into a new, empty database and verify it"
    )
    move.add_argument("--from", dest="source", type=_database, required=True, help="hub to copy")
    move.add_argument("--to", dest="target", type=_database, required=True, help="empty target")
    move.set_defaults(handler=run_migrate)

    imports = actions.add_parser("import", parents=[db], help="import platform export files")
    imports.add_argument("files", nargs="+", type=Path)
    imports.set_defaults(handler=run_import)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.hub.server import serve

    HubStore(args.db).close()  # refuse a newer schema (one line) before uvicorn starts
    print(f"hub: serving {args.db} on http://{args.host}:{args.port}", file=sys.stderr)
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    serve(
        args.db,
        args.host,
        args.port,
        max_body=args.max_body,
        workers=args.workers,
        docs=args.docs,
    )
    return 0


def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    source = HubStore(args.source)
    target = HubStore(args.target)
    try:
        copied = admin.migrate(source, target)
    finally:
        source.close()
        target.close()
    for item in copied:
        print(f"hub: {item.table}\t{item.rows:,} 行\t校验 {item.checksum}", file=sys.stderr)
    print(
        f"hub: 已复制并核对 {source.target} -> {target.target}；客户端无需重新下载，"
        "把 hub_url 指向新中心即可",
        file=sys.stderr,
    )
    return 0


def _database(text: str) -> str | Path:
    """A PostgreSQL URL as given, anything else a SQLite file path."""
    return text if is_postgres(text) else Path(text)


def run_center_add(args: argparse.Namespace, settings: Settings) -> int:
    areas = [a.strip() for a in args.area_codes.split(",") if a.strip()]
    center = admin.add_center(HubStore(args.db), args.code, args.name, areas)
    print(f"hub: center {center.code} {center.name} added", file=sys.stderr)
    return 0


def run_specialist_add(args: argparse.Namespace, settings: Settings) -> int:
    specialist, token = admin.add_specialist(
        HubStore(args.db),
        args.name,
        args.center,
        lead=args.lead,
        province=args.province,
        specialist_id=args.specialist_id,
        phone=args.phone,
    )
    print(f"hub: specialist {specialist.id} ({specialist.role.label}) added", file=sys.stderr)
    print(token)
    return 0


def run_specialist_list(args: argparse.Namespace, settings: Settings) -> int:
    if args.format in ("csv", "xlsx"):
        return run_roster(args, settings)
    rows = HubStore(args.db).specialists()
    if args.format == "json":
        write_json(rows, sys.stdout)
        return 0
    for row in rows:
        cells = (row["id"], row["name"], row["center"], row["role"], row["units"])
        print("\t".join(terminal_text(str(cell)) for cell in cells))
    return 0


def run_roster(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.hub import roster

    if args.format == "xlsx" and args.output is None:
        raise UsageError("--format xlsx 需要用 -o 指定文件")
    if args.output is not None and not args.output.parent.is_dir():
        raise UsageError(f"文件夹不存在：{args.output.parent}")
    policy = load_policy(settings.policy)
    entries = roster.roster_entries(HubStore(args.db), load_divisions(policy))
    hotline = policy.platform.supervision_hotline
    if args.output is None:
        roster.write_roster_csv(sys.stdout, entries, hotline)
        return 0
    if args.format == "xlsx":
        roster.save_roster_xlsx(args.output, entries, hotline)
    else:
        roster.save_roster_csv(args.output, entries, hotline)
    print(f"hub: 服务专员信息表 {len(entries)} 人 → {args.output}", file=sys.stderr)
    return 0


def run_token_rotate(args: argparse.Namespace, settings: Settings) -> int:
    print(admin.rotate_token(HubStore(args.db), args.specialist_id))
    return 0


def run_assign(args: argparse.Namespace, settings: Settings) -> int:
    specialist = None if args.specialist_id == "-" else args.specialist_id
    changed = admin.assign(HubStore(args.db), specialist, args.codes, args.area)
    print(f"hub: {changed} units assigned to {args.specialist_id}", file=sys.stderr)
    return 0


def run_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    if args.units < 1:
        raise UsageError("--units must be at least 1")
    policy = load_policy(settings.policy)
    today = args.as_of or settings.today or date(policy.year, 6, 30)
    seeded = admin.seed_demo(HubStore(args.db), args.units, today, policy, args.seed)
    print(
        f"hub: demo {seeded.units:,} units, {seeded.orders:,} orders, {seeded.calls:,} calls, "
        f"{seeded.tickets:,} tickets as of {today} -> {args.db}",
        file=sys.stderr,
    )
    # Demo specialists get tokens at once so the demo can be tried; shown here only.
    print("demo tokens (shown once):", file=sys.stderr)
    for specialist, token in seeded.tokens:
        print(f"  {specialist.id}\t{specialist.role.value}\t{token}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Validate every file first (the client importer's reader); write only a clean batch."""
    from specialist_tui.importer import read_files

    store = HubStore(args.db)  # refuse a newer schema before reading large files
    batch = read_files(args.files)
    for source in batch.sources:
        sheet = f" [{source.sheet}]" if source.sheet else ""
        print(f"{source.file}{sheet}: {source.kind.label} {source.records} 行", file=sys.stderr)
    if batch.problems:
        for problem in batch.problems:
            print(f"  {terminal_text(str(problem))}", file=sys.stderr)
        print(f"有 {batch.bad_rows} 行/处问题，未写入任何数据。", file=sys.stderr)
        return 1
    if not batch.records:
        raise UsageError("没有可导入的数据")
    units, filings, orders = admin.import_batch(store, batch)
    print(f"hub: 已导入 单位 {units}，填报 {filings}，订单 {orders}", file=sys.stderr)
    return 0
