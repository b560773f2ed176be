"""`specialist-tui letters`: the no-canteen commitment letters (附件1) of a view, as DOCX files;
`letters status` lists where each letter stands, `letters mark` moves one on.

`letters mark` writes exactly what the app's letter dialog does (same checks, same outbox).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from specialist_tui.client.cache import VIEWS
from specialist_tui.client.config import Settings
from specialist_tui.client.letters import write_view_letters
from specialist_tui.client.read_models import LetterRow
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.commands.base import (
    Subparsers,
    UsageError,
    folder_arg,
    print_table,
    require_cache,
    text_arg,
    write_json,
)
from specialist_tui.domain.enums import LetterStatus
from specialist_tui.domain.models import MARKABLE_LETTER_STATES
from specialist_tui.policies import load_letter_template

_STATES = [s.value for s in LetterStatus if s is not LetterStatus.NOT_REQUIRED]


def _choices(states: list[LetterStatus]) -> str:
    return "、".join(f"{s.value}（{s.label}）" for s in states)


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    letters = sub.add_parser(
        "letters",
        parents=[common],
        help="为视图中需要的单位生成无食堂承诺函（DOCX）",
        description="为视图中每个省本级、无食堂的单位生成一份预填的《无食堂承诺》（附件1），"
        "每个单位一个 DOCX 文件，供单位打印、主管部门盖章。",
    )
    letters.add_argument(
        "--view", default="all", choices=list(VIEWS), help="视图（默认 all：全部单位）"
    )
    letters.add_argument("--filter", default="", help="筛选：单位名称、信用代码、主管部门、拼音")
    letters.add_argument(
        "-o", "--output", type=folder_arg, default=None, metavar="FOLDER", help="写入的文件夹"
    )
    letters.set_defaults(handler=run)
    actions = letters.add_subparsers(dest="action", metavar="ACTION")
    status = actions.add_parser(
        "status",
        parents=[common],
        help="列出需要无食堂承诺函的单位和承诺函进度",
        description="列出视图中省本级、无食堂单位的承诺函进度：平台状态与专员标记合并后的状态。",
    )
    status.add_argument(
        "--view", default="all", choices=list(VIEWS), help="视图（默认 all：全部单位）"
    )
    status.add_argument("--filter", default="", help="筛选：单位名称、信用代码、主管部门、拼音")
    status.add_argument(
        "--state",
        default=None,
        choices=_STATES,
        metavar="STATE",
        help=f"只列这个状态的：{_choices([LetterStatus(s) for s in _STATES])}",
    )
    status.add_argument("--format", default="table", choices=["table", "json"])
    status.set_defaults(handler=run_status)
    mark = actions.add_parser(
        "mark",
        parents=[common],
        help="标记一个单位的承诺函：已寄送、已盖章、已核实或被退回",
        description="标记承诺函进度（与应用内同样的校验，写入待同步队列）。"
        "回退（如已盖章 → 已寄送）需加 --yes 确认。",
    )
    mark.add_argument("unit", type=text_arg, metavar="UNIT", help="单位的统一社会信用代码")
    mark.add_argument(
        "state",
        choices=[s.value for s in MARKABLE_LETTER_STATES],
        metavar="STATE",
        help=_choices(list(MARKABLE_LETTER_STATES)),
    )
    mark.add_argument("--note", default="", help="备注（如快递单号）")
    mark.add_argument("--yes", action="store_true", help="确认回退")
    mark.set_defaults(handler=run_mark)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.output is None:
        raise UsageError(
            "-o/--output：请指定写入承诺函的文件夹"
            "（查看进度用 letters status，标记用 letters mark）"
        )
    template = load_letter_template(settings.policy)  # a bad template stops before any file
    require_cache(settings)
    service = Service(settings)
    try:
        service.prepare()
        written = write_view_letters(service, args.output, template, args.view, args.filter)
    finally:
        service.close()
    view = VIEWS[args.view].label
    if not written.files:
        print(f"视图「{view}」中没有需要无食堂承诺函的单位（省本级、无食堂）", file=sys.stderr)
        return 0
    for path in written.files:
        print(path)
    print(
        f"已生成 {len(written.files)} 份无食堂承诺函 → {written.folder}"
        f"（视图「{view}」中另有 {written.skipped} 个单位不需要）",
        file=sys.stderr,
    )
    return 0


def _row_json(row: LetterRow) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "supervisor": row.supervisor,
        "state": row.state.value,
        "state_label": row.state.label,
        "platform": row.platform.value,
        "marked_on": row.marked_on.isoformat() if row.marked_on else None,
        "reason": row.reason,
    }


_TABLE = [
    ("单位名称", lambda r: r.name),
    ("统一社会信用代码", lambda r: r.code),
    ("主管部门", lambda r: r.supervisor),
    ("承诺函", lambda r: r.state.label),
    ("标记日", lambda r: r.marked_on.isoformat() if r.marked_on else ""),
    ("平台状态", lambda r: r.platform.label),
]


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    service = Service(settings)
    try:
        service.prepare()
        rows = service.letters(args.view, args.filter)
    finally:
        service.close()
    if args.state:
        wanted = LetterStatus(args.state)
        # "Missing" includes a needing unit the platform has not asked yet (not required).
        missing = (LetterStatus.MISSING, LetterStatus.NOT_REQUIRED)
        rows = [r for r in rows if r.state is wanted or (wanted in missing and r.state in missing)]
    if args.format == "json":
        write_json([_row_json(r) for r in rows], sys.stdout)
        return 0
    print_table(rows, _TABLE, sys.stdout)
    done = sum(r.state is LetterStatus.VERIFIED for r in rows)
    print(f"{len(rows)} 个单位需要无食堂承诺函，已核实 {done} 个", file=sys.stderr)
    return 0


def run_mark(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    service = Service(settings)
    try:
        service.prepare()
        worklog = Worklog(service)
        try:
            mark = worklog.mark_letter(args.unit, args.state, note=args.note, backward_ok=args.yes)
        except WorklogError as exc:
            name = {"unit_code": "UNIT", "state": "STATE", "note": "--note"}.get(exc.field)
            hint = "（确认请加 --yes）" if "回退" in exc.errors[exc.field] else ""
            raise UsageError(f"{name or exc.field}：{exc.errors[exc.field]}{hint}") from None
        name = worklog.unit(mark.unit_code).name
        pending = service.cache.outbox_count()
    finally:
        service.close()
    print(
        f"已标记 {name} 的无食堂承诺函：{mark.state.label}（{mark.at:%Y-%m-%d %H:%M}），"
        f"待同步 {pending} 条",
        file=sys.stderr,
    )
    return 0
