"""`specialist-tui import`, `export` and `summary`: platform exports in, lists and figures out."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from specialist_tui.atomic import replacing
from specialist_tui.client.cache import SORTS, VIEWS
from specialist_tui.client.cache.summary import GroupBy, SummaryRow, summary, total
from specialist_tui.client.config import Settings
from specialist_tui.client.exports import (
    GROUP_HEADERS,
    export_view,
    format_of,
    summary_columns,
    text_cell,
)
from specialist_tui.client.import_apply import apply_batch
from specialist_tui.client.service import Service
from specialist_tui.commands.base import Subparsers, UsageError, write_json
from specialist_tui.importer import ImportBatch, Problem, read_files
from specialist_tui.inert import sheet_value, terminal_text

REPORT_HEADERS = ["文件", "工作表", "行号", "列", "值", "原因"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    importer = sub.add_parser(
        "import", parents=[common], help="import units, filings and orders (XLSX or CSV)"
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument(
        "--skip-invalid", action="store_true", help="import the good rows, report the bad ones"
    )
    importer.add_argument("--report", type=Path, help="write the problems to this CSV file")
    importer.set_defaults(handler=run_import)

    export = sub.add_parser("export", parents=[common], help="export a view as a follow-up list")
    export.add_argument("--view", default="follow_up", choices=list(VIEWS), help="named view")
    export.add_argument("--filter", default="", help="name, credit code, supervisor, area, pinyin")
    export.add_argument("--sort", default=None, help=f"one of {', '.join(SORTS)}; '-' reverses")
    export.add_argument("--format", choices=["csv", "xlsx"], help="default: from -o, else csv")
    export.add_argument("--encoding", default="utf-8", choices=["utf-8", "gb18030"])
    export.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    export.set_defaults(handler=run_export)

    summary_cmd = sub.add_parser("summary", parents=[common], help="figures per area or supervisor")
    summary_cmd.add_argument("--by", default="area", choices=["area", "supervisor"])
    summary_cmd.add_argument("--format", default="table", choices=["table", "json", "csv"])
    summary_cmd.set_defaults(handler=run_summary)


# -- import -----------------------------------------------------------------------------


class BarProgress:
    """The importer's progress as a rich bar on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._task: Any = None

    def __enter__(self) -> BarProgress:
        self._bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.stop()

    def start(self, description: str, total: int | None) -> None:
        self._task = self._bar.add_task(description, total=total)

    def advance(self, rows: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, rows)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    with BarProgress() as progress:
        batch = read_files(args.files, progress)
    for source in batch.sources:
        sheet = f" [{source.sheet}]" if source.sheet else ""
        bad = f"，问题 {source.bad_rows} 行" if source.bad_rows else ""
        print(
            f"{source.file}{sheet}: {source.kind.label} {source.records} 行{bad}", file=sys.stderr
        )
    report = args.report
    if batch.problems:
        if report is None and args.skip_invalid:
            report = Path(f"import-report-{datetime.now():%Y%m%d-%H%M%S}.csv")
        if report is not None:
            write_report(report, batch.problems)
        if not args.skip_invalid:
            print_problems(batch, sys.stderr)
            print(
                f"有 {batch.bad_rows} 行/处问题，未写入任何数据。改正后重试，"
                "或用 --skip-invalid 只导入正确的行。",
                file=sys.stderr,
            )
            return 1
        print(f"跳过 {batch.bad_rows} 行/处有问题的数据，明细见 {report}", file=sys.stderr)
    if not batch.records:
        raise UsageError("没有可导入的数据")
    service = Service(settings)
    try:
        service.prepare()
        applied = apply_batch(service.cache, batch, service.policy, service.today)
    finally:
        service.close()
    print(
        f"已导入：单位 {applied.units}，填报 {applied.filings}，订单 {applied.orders}；"
        f"已更新 {applied.refreshed_units} 个单位的统计与标记",
        file=sys.stderr,
    )
    return 0


def print_problems(batch: ImportBatch, out: TextIO) -> None:
    for problem in batch.problems:
        print(f"  {terminal_text(str(problem))}", file=out)


def write_report(path: Path, problems: list[Problem]) -> None:
    """The problems as a CSV file (UTF-8 with BOM, for Excel), written atomically."""
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(REPORT_HEADERS)
        for p in problems:
            cells = [p.file, p.sheet, p.row or "", p.column, p.value, p.reason]
            writer.writerow([sheet_value(cell) for cell in cells])


# -- export -----------------------------------------------------------------------------


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    try:
        fmt = format_of(args.output, args.format)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not args.output.parent.is_dir():
        raise UsageError(f"文件夹不存在：{args.output.parent}")
    service = Service(settings)
    try:
        service.prepare()
        count = export_view(
            service, args.output, args.view, args.filter, args.sort, fmt, args.encoding
        )
    finally:
        service.close()
    print(f"已导出 {count} 个单位（视图 {VIEWS[args.view].label}）→ {args.output}", file=sys.stderr)
    return 0


# -- summary ----------------------------------------------------------------------------


def run_summary(args: argparse.Namespace, settings: Settings) -> int:
    by: GroupBy = "supervisor" if args.by == "supervisor" else "area"
    service = Service(settings)
    try:
        service.prepare()
        rows = summary(service.cache, by)
        today = service.today
    finally:
        service.close()
    if args.format == "json":
        write_json([summary_dict(r) for r in rows], sys.stdout)
    elif args.format == "csv":
        columns = summary_columns(GROUP_HEADERS[by])
        writer = csv.writer(sys.stdout)
        writer.writerow([c.header for c in columns])
        for row in [*rows, total(rows)]:
            writer.writerow([text_cell(c.kind, c.value(row)) for c in columns])
    else:
        print_summary(rows, GROUP_HEADERS[by], sys.stdout)
        print(f"{len(rows)} 组 · 截至 {today}")
    return 0


def summary_dict(row: SummaryRow) -> dict[str, Any]:
    share, rate = row.filed_share, row.completion_rate
    return {
        "key": row.key,
        "name": row.name,
        "units": row.units,
        "filed": row.filed,
        "filed_share": None if share is None else float(share),
        "reserved_fen": row.reserved_fen,
        "completed_fen": row.completed_fen,
        "completion_rate": None if rate is None else float(rate),
        "unpaid_count": row.unpaid_count,
        "unpaid_fen": row.unpaid_fen,
        "reserved_not_bought": row.reserved_not_bought,
        "not_filed": row.not_filed,
    }


def print_summary(rows: list[SummaryRow], group_header: str, out: TextIO) -> None:
    from rich.console import Console

    from specialist_tui.client.summary_table import summary_table

    Console(file=out, width=None if out.isatty() else 160).print(summary_table(rows, group_header))
