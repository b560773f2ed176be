"""`specialist-tui hub ...`: run a center's hub and administer it (centers, specialists, tokens)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from specialist_tui.client.config import Settings
from specialist_tui.commands.base import (
    NothingToDo,
    Subparsers,
    UsageError,
    date_arg,
    input_file,
    int_range,
    output_file,
    path_arg,
    print_table,
    text_arg,
    write_json,
)
from specialist_tui.domain.enums import Role
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
        metavar="DB",
        help="中心数据库：SQLite 文件（默认 hub.sqlite）或 postgresql://用户@主机/库名；"
        "除 init 与 center add 外必须已存在",
    )
    hub = sub.add_parser("hub", parents=[common], help="运行并管理服务中心的同步中心（hub）")
    hub.set_defaults(uses_cache=False)
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", title="操作", required=True)

    init = actions.add_parser("init", parents=[db], help="新建一个空的中心数据库")
    init.set_defaults(handler=run_init)

    serve = actions.add_parser("serve", parents=[db], help="通过 HTTP 提供同步接口")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument(
        "--port", type=int_range(1, 65535), default=8832, help="端口，1–65535（默认 8832）"
    )
    serve.add_argument(
        "--max-body",
        type=int_range(1024),
        default=8 * 1024 * 1024,
        metavar="BYTES",
        help="请求体上限，字节（默认 8 MB）",
    )
    serve.add_argument(
        "--workers",
        type=int_range(1, 64),
        default=1,
        metavar="N",
        help="工作进程数（PostgreSQL；默认 1）",
    )
    serve.add_argument(
        "--docs", action="store_true", help="同时提供交互式接口文档页面 /docs 与 /redoc"
    )
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="不逐条记录请求（反向代理已记录时用：每个请求省下约七分之一的 CPU）",
    )
    serve.set_defaults(handler=run_serve)

    center_actions = _group(actions, common, "center", "服务中心")
    center_add = center_actions.add_parser(
        "add", parents=[db], help="添加服务中心（数据库不存在时新建）"
    )
    center_add.add_argument("code", type=text_arg, metavar="CODE", help="中心代码，如 QH01")
    center_add.add_argument("name", type=text_arg, metavar="NAME", help="中心名称")
    center_add.add_argument(
        "--area-codes", default="", metavar="CODES", help="覆盖的区域代码，逗号分隔"
    )
    center_add.set_defaults(handler=run_center_add)

    spec_actions = _group(actions, common, "specialist", "服务专员")
    spec_add = spec_actions.add_parser(
        "add", parents=[db], help="添加服务专员，并打印其令牌（仅此一次）"
    )
    spec_add.add_argument("name", type=text_arg, metavar="NAME", help="专员姓名")
    spec_add.add_argument("--center", required=True, type=text_arg, help="所属中心的代码")
    role = spec_add.add_mutually_exclusive_group()
    role.add_argument("--lead", action="store_true", help="中心负责人（看得到本中心全部单位）")
    role.add_argument(
        "--province", action="store_true", help="省级只读（看得到所有中心，用于通报）"
    )
    spec_add.add_argument(
        "--id", dest="specialist_id", type=text_arg, default=None, help="专员编号（默认随机）"
    )
    spec_add.add_argument("--phone", default=None, help="电话")
    spec_add.set_defaults(handler=run_specialist_add)
    spec_list = spec_actions.add_parser(
        "list",
        parents=[db],
        help="列出服务专员；csv/xlsx：省里公布的服务专员信息表（附件2）",
        description="列出服务专员。--format csv|xlsx 写出省里公布的服务专员信息表（附件2）："
        "区域服务中心、服务专员、专属服务电话、服务区域，表尾为政策文件中的监督电话。",
    )
    spec_list.add_argument(
        "--format",
        default="table",
        choices=["table", "json", "csv", "xlsx"],
        help="输出格式（默认 table）",
    )
    spec_list.add_argument(
        "-o",
        "--output",
        type=output_file,
        default=None,
        metavar="FILE",
        help="写入的文件（xlsx 必填；csv 默认输出到屏幕）",
    )
    spec_list.set_defaults(handler=run_specialist_list)

    token_actions = _group(actions, common, "token", "接口令牌")
    rotate = token_actions.add_parser(
        "rotate", parents=[db], help="为专员换发令牌，并打印新令牌（仅此一次；旧令牌作废）"
    )
    rotate.add_argument("specialist_id", type=text_arg, metavar="ID", help="专员编号")
    rotate.set_defaults(handler=run_token_rotate)

    assign = actions.add_parser("assign", parents=[db], help="把单位分配给服务专员")
    assign.add_argument(
        "specialist_id", type=text_arg, metavar="ID", help="专员编号（- 表示取消分配）"
    )
    assign.add_argument("codes", nargs="*", metavar="CODE", help="单位的统一社会信用代码")
    assign.add_argument(
        "--area", type=text_arg, default=None, metavar="AREA", help="该区域代码下的全部单位"
    )
    assign.set_defaults(handler=run_assign)

    seed = actions.add_parser("seed-demo", parents=[db], help="在空的中心数据库里载入演示数据")
    seed.add_argument("--units", type=int_range(1), default=2000, help="单位数（默认 2000）")
    seed.add_argument("--seed", type=int_range(0), default=832, help="随机种子（默认 832）")
    seed.add_argument(
        "--as-of", type=date_arg, default=None, metavar="YYYY-MM-DD", help="演示数据的日期"
    )
    seed.set_defaults(handler=run_seed_demo)

    move = actions.add_parser(
        "migrate", parents=[common], help="把中心数据库复制到一个新的空数据库并核对"
    )
    move.add_argument(
        "--from", dest="source", type=_database, required=True, metavar="DB", help="要复制的中心"
    )
    move.add_argument(
        "--to", dest="target", type=_database, required=True, metavar="DB", help="空的目标数据库"
    )
    move.set_defaults(handler=run_migrate)

    imports = actions.add_parser(
        "import", parents=[db], help="导入平台导出文件（先检查全部行，全部正确才写入）"
    )
    imports.add_argument(
        "files", nargs="+", type=input_file, metavar="FILE", help="XLSX 或 CSV 文件，可多个"
    )
    imports.set_defaults(handler=run_import)


def _group(
    actions: Subparsers, common: argparse.ArgumentParser, name: str, what: str
) -> Subparsers:
    """A command that only groups actions (``hub center add``, ``hub token rotate``)."""
    group = actions.add_parser(name, parents=[common], help=what)
    return group.add_subparsers(
        dest=f"{name}_command", metavar="ACTION", title="操作", required=True
    )


def open_store(target: str | Path) -> HubStore:
    """An existing hub database: only init, center add and migrate's target make one."""
    return HubStore(target, create=False)


def run_init(args: argparse.Namespace, settings: Settings) -> int:
    with HubStore(args.db) as store:  # refuses a folder or a non-hub database, untouched
        created = store.created
    if not created:
        raise NothingToDo(f"{args.db} 已是中心数据库，无需新建")
    print(f"已新建中心数据库 {args.db}", file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.hub.server import serve

    open_store(args.db).close()  # refuse a missing or newer database (one line) before uvicorn
    _check_listen(args.host, args.port)
    print(f"中心：在 http://{args.host}:{args.port} 提供 {args.db}", file=sys.stderr)
    serve(
        args.db,
        args.host,
        args.port,
        max_body=args.max_body,
        workers=args.workers,
        docs=args.docs,
        access_log=args.access_log,
    )
    return 0


def _check_listen(host: str, port: int) -> None:
    """Say in one line why the hub could not listen, before uvicorn would say it in English."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UsageError(f"--host {host}：不是本机的地址或主机名") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            raise UsageError(
                f"无法在 {host}:{port} 监听：端口已被占用，或 {host} 不是本机地址；换一个 --port"
            ) from None


def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(args.source) as source, HubStore(args.target) as target:
        copied = admin.migrate(source, target)
    for item in copied:
        print(f"中心：{item.table}\t{item.rows:,} 行\t校验 {item.checksum}", file=sys.stderr)
    print(
        f"中心：已复制并核对 {source.target} -> {target.target}；客户端无需重新下载，"
        "把 hub_url 指向新中心即可",
        file=sys.stderr,
    )
    return 0


def _database(text: str) -> str | Path:
    """A PostgreSQL URL as given, anything else a SQLite file path."""
    return text if is_postgres(text) else path_arg(text)


def run_center_add(args: argparse.Namespace, settings: Settings) -> int:
    areas = [a.strip() for a in args.area_codes.split(",") if a.strip()]
    with HubStore(args.db) as store:
        center = admin.add_center(store, args.code, args.name, areas)
    print(f"中心：已添加服务中心 {center.code} {terminal_text(center.name)}", file=sys.stderr)
    return 0


def run_specialist_add(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(args.db) as store:
        specialist, token = admin.add_specialist(
            store,
            args.name,
            args.center,
            lead=args.lead,
            province=args.province,
            specialist_id=args.specialist_id,
            phone=args.phone,
        )
    print(f"中心：已添加{specialist.role.label} {specialist.id}", file=sys.stderr)
    print(token)
    return 0


def run_specialist_list(args: argparse.Namespace, settings: Settings) -> int:
    if args.format in ("csv", "xlsx"):
        return run_roster(args, settings)
    with open_store(args.db) as store:
        rows = store.specialists()
    if args.format == "json":
        write_json(rows, sys.stdout)
        return 0
    print_table(
        rows,
        [
            ("编号", lambda r: str(r["id"])),
            ("姓名", lambda r: str(r["name"])),
            ("服务中心", lambda r: str(r["center"])),
            ("角色", lambda r: Role(r["role"]).label),
            ("单位数", lambda r: str(r["units"])),
        ],
        sys.stdout,
    )
    print(f"共 {len(rows)} 名服务专员")
    return 0


def run_roster(args: argparse.Namespace, settings: Settings) -> int:
    from specialist_tui.hub import roster

    if args.format == "xlsx" and args.output is None:
        raise UsageError("--format xlsx 需要用 -o 指定文件")
    policy = load_policy(settings.policy)
    with open_store(args.db) as store:
        entries = roster.roster_entries(store, load_divisions(policy))
    hotline = policy.platform.supervision_hotline
    if args.output is None:
        roster.write_roster_csv(sys.stdout, entries, hotline)
        return 0
    if args.format == "xlsx":
        roster.save_roster_xlsx(args.output, entries, hotline)
    else:
        roster.save_roster_csv(args.output, entries, hotline)
    print(f"中心：服务专员信息表 {len(entries)} 人 → {args.output}", file=sys.stderr)
    return 0


def run_token_rotate(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(args.db) as store:
        print(admin.rotate_token(store, args.specialist_id))
    return 0


def run_assign(args: argparse.Namespace, settings: Settings) -> int:
    specialist = None if args.specialist_id == "-" else args.specialist_id
    with open_store(args.db) as store:
        changed = admin.assign(store, specialist, args.codes, args.area)
    whom = "取消分配" if specialist is None else f"分配给 {specialist}"
    print(f"中心：{changed} 个单位已{whom}", file=sys.stderr)
    return 0


def run_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    policy = load_policy(settings.policy)
    today = args.as_of or settings.today or date(policy.year, 6, 30)
    with open_store(args.db) as store:
        seeded = admin.seed_demo(store, args.units, today, policy, args.seed)
    print(
        f"中心：演示数据 {seeded.units:,} 个单位、{seeded.orders:,} 笔订单、"
        f"{seeded.calls:,} 次通话、{seeded.tickets:,} 张工单，截至 {today} → {args.db}",
        file=sys.stderr,
    )
    # Demo specialists get tokens at once so the demo can be tried; shown here only.
    print("演示专员的令牌（仅显示这一次）：", file=sys.stderr)
    for specialist, token in seeded.tokens:
        print(f"  {specialist.id}\t{specialist.role.value}\t{token}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Check every row of every file first; write only a clean set, reading the files again."""
    from specialist_tui.importer.scan import scan_files

    # The store first: a missing or newer database is refused before the files are read.
    with open_store(args.db) as store:
        scan = scan_files(args.files)
        for source in scan.sources:
            sheet = f" [{source.sheet}]" if source.sheet else ""
            print(f"{source.file}{sheet}: {source.kind.label} {source.records} 行", file=sys.stderr)
        if scan.problems:
            for problem in scan.problems:
                print(f"  {terminal_text(str(problem))}", file=sys.stderr)
            print(f"有 {scan.bad_rows} 行/处问题，未写入任何数据。", file=sys.stderr)
            return 1
        if not scan.records():
            raise NothingToDo("文件中没有可导入的数据")
        units, filings, orders = admin.import_files(store, args.files, scan)
    print(f"中心：已导入 单位 {units}，填报 {filings}，订单 {orders}", file=sys.stderr)
    return 0
