"""`specialist-tui letters`: the no-canteen commitment letters (附件1) of a view, as DOCX files."""

from __future__ import annotations

import argparse
import sys

from specialist_tui.client.cache import VIEWS
from specialist_tui.client.config import Settings
from specialist_tui.client.letters import write_view_letters
from specialist_tui.client.service import Service
from specialist_tui.commands.base import Subparsers, folder_arg, require_cache
from specialist_tui.policies import load_letter_template


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
        "-o", "--output", type=folder_arg, required=True, metavar="FOLDER", help="写入的文件夹"
    )
    letters.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
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
