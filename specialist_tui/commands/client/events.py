"""`specialist-tui events`: seminars, trainings and visits held for many units at once.

`events add` writes exactly what the app will (same checks, same outbox); the units come from
credit codes, a supervisor ("all units under 西宁市教育局") or a view with its filter.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from specialist_tui.client.cache import VIEWS
from specialist_tui.client.config import Settings
from specialist_tui.client.events_file import read_events, write_events
from specialist_tui.client.exports import format_of
from specialist_tui.commands.base import (
    NothingToDo,
    Subparsers,
    UsageError,
    input_file,
    output_file,
    print_table,
    require_cache,
    write_json,
)
from specialist_tui.commands.client.worklog import open_worklog
from specialist_tui.domain.clock import beijing_minute
from specialist_tui.domain.enums import EventKind
from specialist_tui.inert import terminal_text


def _kinds() -> str:
    return "、".join(f"{k.value}（{k.label}）" for k in EventKind)


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    events = sub.add_parser(
        "events",
        parents=[common],
        help="座谈会、培训会、上门走访的记录；events add 记录一次",
        description="列出座谈会、培训会和上门走访；events add 为多个单位记录一次活动。",
    )
    events.add_argument("--since", type=_date, default=None, help="从这一天起（YYYY-MM-DD）")
    events.add_argument("--unit", default=None, help="只看这个单位（统一社会信用代码）参加的")
    events.add_argument("--format", default="table", choices=["table", "json"])
    events.set_defaults(handler=run_events)
    actions = events.add_subparsers(dest="action", metavar="ACTION")
    untrained = actions.add_parser(
        "untrained", parents=[common], help="今年尚未参加座谈会或培训会的单位（安排下次培训）"
    )
    untrained.add_argument("--format", default="table", choices=["table", "json"])
    untrained.set_defaults(handler=run_untrained)
    add = actions.add_parser(
        "add", parents=[common], help="记录一次活动（与应用内同样的校验和待同步队列）"
    )
    add.add_argument("--kind", required=True, help=_kinds())
    add.add_argument("--topic", required=True, help="主题")
    add.add_argument(
        "--at", type=_moment, default=None, help="开始时间 YYYY-MM-DD HH:MM（默认现在）"
    )
    add.add_argument("--until", type=_moment, default=None, help="结束时间 YYYY-MM-DD HH:MM")
    add.add_argument("--place", default="", help="地点")
    add.add_argument("--link", default="", help="线上会议链接")
    add.add_argument("--unit", action="append", default=[], help="参加单位的信用代码，可重复")
    add.add_argument("--supervisor", default=None, help="主管部门（名称或信用代码）下的全部单位")
    add.add_argument("--view", default=None, choices=list(VIEWS), help="视图中的全部单位")
    add.add_argument("--filter", default="", help="与 --view 同用：筛选")
    add.add_argument(
        "--untrained", action="store_true", help="今年尚未参加座谈会或培训会的全部单位"
    )
    add.add_argument("--people", type=int, default=0, help="每个单位的参加人数（默认 0）")
    add.add_argument("--specialist", action="append", default=[], help="主持的专员编号，可重复")
    add.add_argument("--notes", default="", help="备注")
    add.add_argument("--follow-up", default="", help="后续跟进")
    add.set_defaults(handler=run_events_add)

    export = actions.add_parser(
        "export",
        parents=[common],
        help="把活动导出为 XLSX 或 CSV：每个活动的每个参加单位一行，可改后用 events import 导回",
    )
    export.add_argument(
        "-o", "--output", type=output_file, required=True, metavar="FILE", help="要写入的文件"
    )
    export.add_argument("--format", choices=["csv", "xlsx"], help="文件格式（默认按扩展名）")
    export.add_argument("--since", type=_date, default=None, help="从这一天起（YYYY-MM-DD）")
    export.add_argument("--view", default=None, choices=list(VIEWS), help="只导出这个视图中的单位")
    export.add_argument("--filter", default="", help="与 --view 同用：筛选")
    export.set_defaults(handler=run_events_export)

    importer = actions.add_parser(
        "import",
        parents=[common],
        help="从 events export 格式的 XLSX 或 CSV 导入活动；按活动编号去重，先检查全部行",
    )
    importer.add_argument("file", type=input_file, metavar="FILE", help="XLSX 或 CSV 文件")
    importer.set_defaults(handler=run_events_import)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text!r}") from None


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间格式应为 YYYY-MM-DD HH:MM：{text!r}") from None


def run_events_export(args: argparse.Namespace, settings: Settings) -> int:
    try:
        fmt = format_of(args.output, args.format)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    require_cache(settings)
    with open_worklog(settings) as worklog:
        parts = worklog.event_parts(args.since, args.view, args.filter)
        today = worklog.service.today
    if not parts:
        raise NothingToDo("没有可导出的活动")
    since = f"{args.since} 起" if args.since else "全部"
    title = f"座谈会 · 培训会 · 上门走访（{since}，导出于 {today}）"
    write_events(args.output, parts, fmt, title)
    count = len({part.event_id for part, _ in parts})
    print(f"已导出 {count} 次活动、{len(parts)} 行 → {args.output}", file=sys.stderr)
    return 0


def run_events_import(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    with open_worklog(settings) as worklog:
        events, problems = read_events(args.file, worklog)
        if len(problems) == 1:
            print(f"{terminal_text(problems[0])}；未写入任何数据", file=sys.stderr)
            return 1
        if problems:
            for line in problems:
                print(f"  {terminal_text(line)}", file=sys.stderr)
            print(f"有 {len(problems)} 处问题，未写入任何数据。改正后重试。", file=sys.stderr)
            return 1
        saved, unchanged = worklog.save_events(events)
    print(f"已导入 {saved} 次活动（待同步）；{unchanged} 次与缓存中相同，未改动", file=sys.stderr)
    return 0


def run_events_add(args: argparse.Namespace, settings: Settings) -> int:
    if args.people < 0:
        raise UsageError("--people：人数不能为负")
    require_cache(settings)
    with open_worklog(settings) as worklog:
        codes = list(args.unit)
        if args.supervisor:
            codes += worklog.units_under(args.supervisor)
        if args.view:
            codes += worklog.service.view_codes(args.view, args.filter)
        if args.untrained:
            codes += [r["code"] for r in worklog.untrained()]
        if not codes:
            raise UsageError("--unit / --supervisor / --view / --untrained：至少给出一个参加单位")
        event = worklog.log_event(
            args.kind,
            args.topic,
            dict.fromkeys(codes, args.people),
            starts_at=args.at,
            ends_at=args.until,
            place=args.place,
            online_link=args.link,
            specialists=args.specialist,
            notes=args.notes,
            follow_up=args.follow_up,
        )
    print(event.id)
    print(
        f"已保存{event.kind.label}「{event.topic}」：{len(event.attendees)} 个单位，"
        f"{event.starts_at:%Y-%m-%d %H:%M}（待同步）",
        file=sys.stderr,
    )
    return 0


Cell = Callable[[dict[str, Any]], str]

_TABLE: list[tuple[str, Cell]] = [
    ("时间", lambda r: beijing_minute(r["starts_at"])),
    ("类型", lambda r: EventKind(r["kind"]).label),
    ("主题", lambda r: r["topic"]),
    ("地点", lambda r: r["place"] or r["online_link"]),
    ("单位数", lambda r: str(r["units"])),
    ("人数", lambda r: str(r["people"])),
    ("已同步", lambda r: "是" if r["pushed"] else "否"),
]


def run_events(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    with open_worklog(settings) as worklog:
        rows: list[dict[str, Any]] = worklog.events(args.since, args.unit)
    if args.format == "json":
        write_json(rows, sys.stdout)
    else:
        print_table(rows, _TABLE, sys.stdout)
    return 0


def run_untrained(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    with open_worklog(settings) as worklog:
        rows = worklog.untrained()
        year = worklog.service.policy.year
    if args.format == "json":
        write_json(rows, sys.stdout)
        return 0
    columns: list[tuple[str, Cell]] = [
        ("单位名称", lambda r: r["name"]),
        ("统一社会信用代码", lambda r: r["code"]),
        ("主管部门", lambda r: r["supervisor"]),
        ("区域代码", lambda r: r["area_code"]),
    ]
    print_table(rows, columns, sys.stdout)
    print(f"{len(rows)} 个单位 {year} 年尚未参加座谈会或培训会", file=sys.stderr)
    return 0
