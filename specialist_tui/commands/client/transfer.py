"""`specialist-tui import`, `export` and `summary`: platform exports in, lists and figures out."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

from specialist_tui.atomic import replacing
from specialist_tui.client.cache import VIEWS
from specialist_tui.client.config import Settings
from specialist_tui.client.exports import (
    GROUP_HEADERS,
    export_view,
    format_of,
    ranking_columns,
    summary_columns,
    write_ranking_xlsx,
)
from specialist_tui.client.import_apply import apply_batch
from specialist_tui.client.ranking import build_ranking
from specialist_tui.client.read_models import GroupBy, SummaryRow, total
from specialist_tui.client.service import Service
from specialist_tui.client.sheets import table, text_cell
from specialist_tui.commands.base import (
    NothingToDo,
    Subparsers,
    UsageError,
    date_arg,
    input_file,
    output_file,
    require_cache,
    view_options,
    write_json,
)
from specialist_tui.domain.ranking import METRICS, Ranked
from specialist_tui.importer import ImportBatch, Problem, read_files
from specialist_tui.inert import sheet_value, terminal_text

REPORT_HEADERS = ["文件", "工作表", "行号", "列", "值", "原因"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    importer = sub.add_parser(
        "import",
        parents=[common],
        help="从平台导出文件（XLSX 或 CSV）导入单位、填报与订单；先检查全部行",
    )
    importer.add_argument(
        "files", nargs="+", type=input_file, metavar="FILE", help="XLSX 或 CSV 文件，可多个"
    )
    importer.add_argument(
        "--skip-invalid", action="store_true", help="只导入正确的行，问题写入报告文件"
    )
    importer.add_argument(
        "--report", type=output_file, metavar="FILE", help="把问题写入这个 CSV 文件"
    )
    importer.set_defaults(handler=run_import)

    export = sub.add_parser(
        "export", parents=[common], help="把一个视图导出为跟进清单（CSV 或 XLSX）"
    )
    view_options(export)
    export.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        help="文件格式（默认按 -o 的扩展名，没有扩展名时为 csv）",
    )
    export.add_argument(
        "--encoding", default="utf-8", choices=["utf-8", "gb18030"], help="CSV 编码（默认 utf-8）"
    )
    export.add_argument(
        "-o", "--output", type=output_file, required=True, metavar="FILE", help="要写入的文件"
    )
    export.set_defaults(handler=run_export)

    summary_cmd = sub.add_parser(
        "summary",
        parents=[common],
        help="按区域代码或主管部门汇总；--rank 为通报排名",
        description="中心汇总；--rank 为通报排名：按市州、县区、区域代码或主管部门，"
        "按填报率、预留比例、完成率、欠款金额或培训覆盖率排名，--since 给出与较早一天的变化。",
    )
    summary_cmd.add_argument(
        "--by",
        default=None,
        choices=["area", "supervisor", "prefecture", "county"],
        help="分组：汇总默认 area（另有 supervisor）；排名默认 prefecture（另有 county）",
    )
    summary_cmd.add_argument(
        "--format",
        default="table",
        choices=["table", "json", "csv", "xlsx"],
        help="输出格式（xlsx 只用于排名）",
    )
    summary_cmd.add_argument("--rank", action="store_true", help="通报排名")
    summary_cmd.add_argument(
        "--metric", default="completion", choices=list(METRICS), help="排名指标（默认 completion）"
    )
    summary_cmd.add_argument(
        "--since", type=date_arg, default=None, help="与这一天（YYYY-MM-DD）比较变化"
    )
    summary_cmd.add_argument(
        "-o", "--output", type=output_file, default=None, metavar="FILE", help="xlsx 写入的文件"
    )
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
        raise NothingToDo("文件中没有可导入的数据")
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
    require_cache(settings)
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
    if args.rank:
        return run_ranking(args, settings)
    if args.by in ("prefecture", "county") or args.format == "xlsx" or args.since:
        raise UsageError("按市州/县区分组、--since 和 --format xlsx 只用于排名：加上 --rank")
    by: GroupBy = "supervisor" if args.by == "supervisor" else "area"
    require_cache(settings)
    service = Service(settings)
    try:
        service.prepare()
        rows = service.summary(by)
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


def run_ranking(args: argparse.Namespace, settings: Settings) -> int:
    if args.format == "xlsx" and args.output is None:
        raise UsageError("--format xlsx 需要用 -o 指定文件")
    require_cache(settings)
    service = Service(settings)
    try:
        service.prepare()
        if args.since is not None and args.since >= service.today:
            raise UsageError(f"--since {args.since} 应早于截至日 {service.today}")
        ranked = build_ranking(service, args.by or "prefecture", args.metric, args.since)
    finally:
        service.close()
    columns = ranking_columns(ranked)
    if args.format == "xlsx":
        write_ranking_xlsx(args.output, ranked)
        print(f"已导出{ranked.title} → {args.output}", file=sys.stderr)
    elif args.format == "json":
        write_json([ranking_dict(row) for row in ranked.rows], sys.stdout)
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow([c.header for c in columns])
        for values in table(columns, ranked.rows):
            writer.writerow([text_cell(c.kind, v) for c, v in zip(columns, values, strict=True)])
    else:
        from rich.console import Console

        from specialist_tui.client.ranking_table import ranking_table

        console = Console(width=None if sys.stdout.isatty() else 200)
        console.print(f"[b]{ranked.title}[/b]")
        console.print(ranking_table(ranked))
    return 0


def ranking_dict(row: Ranked) -> dict[str, Any]:
    """A ranked group for scripts: its place, sums, every rate, and the earlier day's place."""
    group = row.group

    def number(value: Fraction | int | None) -> float | int | None:
        return float(value) if isinstance(value, Fraction) else value

    return {
        "rank": row.rank,
        "key": group.key,
        "name": group.name,
        "units": group.units,
        **{name: number(metric.value(group)) for name, metric in METRICS.items()},
        "value": number(row.value),
        "earlier_value": number(row.earlier_value),
        "earlier_rank": row.earlier_rank,
    }


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
