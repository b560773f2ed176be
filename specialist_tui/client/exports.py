"""Follow-up lists and the center summary as CSV or XLSX files bosses open in Excel.

Rows come from the service (a view with its filter and sort); each list is a ``Sheet`` of typed
columns, which ``sheets`` writes atomically as CSV or XLSX.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from specialist_tui.client.ranking import Ranking, build_ranking
from specialist_tui.client.read_models import (
    FollowUp,
    GroupBy,
    SummaryRow,
    TicketRow,
    UnitRow,
    total,
)
from specialist_tui.client.sheets import (
    BarChart,
    Column,
    Format,
    Sheet,
    write_csv,
    write_xlsx,
)
from specialist_tui.domain.clock import beijing
from specialist_tui.domain.enums import FilingStatus
from specialist_tui.domain.facts import Flag
from specialist_tui.domain.ranking import METRICS, Metric, Ranked, change_text

if TYPE_CHECKING:
    from specialist_tui.client.service import Service


@dataclass(frozen=True, slots=True)
class ListTitle:
    """What a list's title row and printed header say: which list, view, filter, sort, day."""

    name: str
    view: str
    text: str
    sort: str
    today: date

    def line(self) -> str:
        parts = [self.name, f"视图 {self.view}", f"筛选 {self.text or '（无）'}"]
        if self.sort:
            parts.append(f"排序 {self.sort}")
        parts.append(f"截至 {self.today.isoformat()}")
        return " · ".join(parts)


# -- the follow-up list -------------------------------------------------------------------


def _contact_name(row: UnitRow) -> str:
    return row.contacts[0].name if row.contacts else ""


def _contact_phone(row: UnitRow) -> str:
    return row.contacts[0].phone if row.contacts else ""


def _ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole > 0 else None


def _moment(value: str | None) -> datetime | None:
    """A stored ISO moment as Beijing wall time without an offset (what a spreadsheet holds)."""
    return beijing(value).replace(tzinfo=None) if value else None


def _wall(value: datetime | None) -> datetime | None:
    """An aware moment as Beijing wall time without an offset."""
    return beijing(value.isoformat()).replace(tzinfo=None) if value else None


def worst_severity(row: UnitRow) -> str:
    """The label of the worst flag's severity ("" when the unit has none)."""
    severities = [f.severity for f in row.flags]
    return max(severities, key=lambda s: s.weight).label if severities else ""


def reasons(
    flags: Sequence[Flag], representative: str | None, unit_names: dict[str, str]
) -> list[str]:
    """Each flag's reason, a representative unit named by its name rather than its code."""
    code = representative or ""
    name = unit_names.get(code)
    found = [f.reason for f in flags]
    if name:
        found = [r.replace(code, f"{name}（{code}）") for r in found]
    return found


def follow_up_columns(
    specialists: dict[str, str], unit_names: dict[str, str] | None = None
) -> list[Column]:
    """The follow-up list's columns; maps give specialists' and representatives' names."""
    names = unit_names or {}
    return [
        Column("单位名称", "text", lambda r: r.name, width=24),
        Column("统一社会信用代码", "text", lambda r: r.code),
        Column("主管部门", "text", lambda r: r.supervisor, width=18),
        Column("区域代码", "text", lambda r: r.area_code),
        Column("严重程度", "text", worst_severity),
        Column("规则", "text", lambda r: " ".join(f.rule for f in r.flags), width=10),
        Column(
            "跟进原因", "lines", lambda r: reasons(r.flags, r.representative_code, names), width=44
        ),
        Column("填报状态", "text", lambda r: r.filing_state or r.filing_status.label),
        Column("本级财政部门", "text", lambda r: r.finance_office_name, width=16),
        Column(
            "食堂预留比例",
            "percent",
            lambda r: _ratio(r.canteen_reserved_fen, r.canteen_total_fen),
        ),
        Column(
            "工会预留比例",
            "percent",
            lambda r: _ratio(r.union_reserved_fen, r.union_total_fen),
        ),
        Column("预留金额(元)", "yuan", lambda r: r.reserved_fen),
        Column("已完成金额(元)", "yuan", lambda r: r.completed_fen),
        Column("完成率", "percent", lambda r: _ratio(r.completed_fen, r.reserved_fen)),
        Column("未付款单数", "int", lambda r: r.unpaid_count),
        Column("未付款金额(元)", "yuan", lambda r: r.unpaid_fen),
        Column("最长欠款天数", "int", lambda r: r.unpaid_oldest_days),
        Column("联系人", "text", _contact_name),
        Column("联系电话", "text", _contact_phone),
        Column("上次通话", "moment", lambda r: _moment(r.last_call_at)),
        Column("下次跟进", "date", lambda r: r.next_follow_up),
        Column(
            "专员",
            "text",
            lambda r: specialists.get(r.specialist_id or "", r.specialist_id or ""),
        ),
    ]


# -- the summary ----------------------------------------------------------------------------

GROUP_HEADERS: dict[GroupBy, str] = {"area": "区域代码", "supervisor": "主管部门"}


def summary_columns(group_header: str) -> list[Column]:
    """The summary table's columns over SummaryRow values, the first named ``group_header``."""
    return [
        Column(group_header, "text", lambda s: s.name or s.key or "（未填写）", width=30),
        Column("单位数", "int", lambda s: s.units),
        Column("已填报占比", "percent", lambda s: s.filed_share),
        Column("预留金额(元)", "yuan", lambda s: s.reserved_fen),
        Column("已完成金额(元)", "yuan", lambda s: s.completed_fen),
        Column("完成率", "percent", lambda s: s.completion_rate),
        Column("未付款金额(元)", "yuan", lambda s: s.unpaid_fen),
        Column("已预留未采购单位数", "int", lambda s: s.reserved_not_bought),
        Column("未填报单位数", "int", lambda s: s.not_filed),
        Column("今年已培训单位数", "int", lambda s: s.trained),
        Column("培训覆盖率", "percent", lambda s: s.trained_share),
    ]


_FILED = {FilingStatus.SUBMITTED, FilingStatus.CONFIRMED}


def _group(row: UnitRow, by: GroupBy) -> tuple[str, str]:
    """A list row's summary group as (key, name), the way the cache's summary groups units."""
    if by == "area":
        return row.area_code, row.area_code
    if row.supervisor_code or row.supervisor:
        return row.supervisor_code or row.supervisor, row.supervisor
    return row.code, row.name  # a unit without a supervisor heads its own line


def summarize(rows: Sequence[UnitRow], by: GroupBy) -> list[SummaryRow]:
    """The summary of exactly these list rows, in key order (the cache's summary, restricted)."""
    groups: dict[str, list[UnitRow]] = {}
    names: dict[str, str] = {}
    for row in rows:
        key, name = _group(row, by)
        groups.setdefault(key, []).append(row)
        names[key] = max(names.get(key, ""), name)
    return [
        SummaryRow(
            key=key,
            name=names[key],
            units=len(members),
            filed=sum(r.filing_status in _FILED for r in members),
            reserved_fen=sum(r.reserved_fen for r in members),
            completed_fen=sum(r.completed_fen for r in members),
            unpaid_count=sum(r.unpaid_count for r in members),
            unpaid_fen=sum(r.unpaid_fen for r in members),
            reserved_not_bought=sum(r.reserved_fen > 0 and r.completed_fen == 0 for r in members),
            not_filed=sum(r.filing_status not in _FILED for r in members),
            trained=sum(r.trained for r in members),
        )
        for key, members in sorted(groups.items())
    ]


def summary_sheets(rows: Sequence[UnitRow], title: ListTitle) -> list[Sheet]:
    """One summary sheet per grouping, over exactly ``rows``, each ending in a 合计 line."""
    sheets = []
    for by, header in GROUP_HEADERS.items():
        groups = summarize(rows, by)
        sheet_title = f"{title.line()} · 按{header}汇总"
        sheets.append(
            Sheet(f"按{header}汇总", sheet_title, summary_columns(header), [*groups, total(groups)])
        )
    return sheets


# -- the 通报 ranking --------------------------------------------------------------------


def ranking_columns(ranking: Ranking) -> list[Column]:
    """Place, group, units, every metric (the ranked one first), and the change when compared."""
    ranked = ranking.metric
    metrics = [ranked, *(m for m in METRICS.values() if m is not ranked)]
    columns = [
        Column("名次", "int", lambda r: r.rank),
        Column(
            ranking.group_label, "text", lambda r: r.group.name or r.group.key or "（未填写）", 20
        ),
        Column("单位数", "int", lambda r: r.group.units),
    ]
    columns += [_metric_column(m) for m in metrics]
    if ranking.since is not None:
        since = ranking.since
        columns += [
            Column(
                f"{since:%m-%d} {_metric_header(ranked)}", ranked.kind, lambda r: r.earlier_value
            ),
            Column(f"比 {since:%m-%d}", "text", lambda r: _change(r, ranked, since)),
            Column(f"{since:%m-%d} 名次", "int", lambda r: r.earlier_rank),
        ]
    return columns


def ranking_sheet(ranking: Ranking) -> Sheet:
    """The ranking as a sheet with a bar chart of the ranked figure under it."""
    chart = BarChart(f"{ranking.metric.label}（截至 {ranking.day}）", 3, 1, ranking.metric.kind)
    return Sheet("排名", ranking.title, ranking_columns(ranking), ranking.rows, chart)


def write_ranking_xlsx(path: Path, ranking: Ranking) -> None:
    """A 通报 workbook: the ranking table and its bar chart, ready to paste into a document."""
    write_xlsx(path, [ranking_sheet(ranking)])


def _metric_header(metric: Metric) -> str:
    return f"{metric.label}(元)" if metric.kind == "yuan" else metric.label


def _metric_column(metric: Metric) -> Column:
    return Column(_metric_header(metric), metric.kind, lambda r: metric.value(r.group))


def _change(row: Ranked, metric: Metric, since: date) -> str:
    return change_text(row, metric, since).removeprefix(f"比 {since:%m-%d} ")


# -- from a view ------------------------------------------------------------------------


def view_title(service: Service, view: str, text: str, sort: str | None) -> ListTitle:
    """The title line of a view's follow-up list."""
    chosen = service.view(view)
    sort_shown = service.sort_label(sort or chosen.default_sort)
    return ListTitle("跟进清单", chosen.label, text, sort_shown, service.today)


def export_view(
    service: Service,
    path: Path,
    view: str,
    text: str = "",
    sort: str | None = None,
    fmt: Format = "csv",
    encoding: str = "utf-8",
) -> int:
    """Write a view (with its filter and sort) as a follow-up list; returns the number of units.

    The service's flags should be current (``service.prepare()``).
    """
    rows = service.view_rows(view, text, sort)
    representatives = [r.representative_code for r in rows if r.representative_code]
    columns = follow_up_columns(service.specialist_names(), service.unit_names(representatives))
    if fmt == "xlsx":
        title = view_title(service, view, text, sort)
        # The ranking bosses paste into a 通报: every prefecture of the cache on completion.
        ranking = ranking_sheet(build_ranking(service, "prefecture"))
        write_xlsx(
            path,
            [Sheet("跟进清单", title.line(), columns, rows), *summary_sheets(rows, title), ranking],
        )
    else:
        write_csv(path, columns, rows, encoding)
    return len(rows)


# -- the work-log lists (`f` and `w` in the app) -------------------------------------------


def write_list(path: Path, sheet: Sheet, fmt: Format) -> int:
    """One list as a titled, printable worksheet or a CSV file; returns the rows written."""
    if fmt == "xlsx":
        write_xlsx(path, [sheet])
    else:
        write_csv(path, sheet.columns, sheet.rows)
    return len(sheet.rows)


def _due_words(on: date | None, today: date) -> str:
    if on is None:
        return ""
    days = (on - today).days
    return f"逾期 {-days} 天" if days < 0 else ("今天" if days == 0 else f"{days} 天后")


def follow_ups_sheet(rows: Sequence[FollowUp], today: date) -> Sheet:
    """The follow-ups the `f` screen shows, in its order."""
    columns = [
        Column("跟进日期", "date", lambda r: r.follow_up_on),
        Column("状态", "text", lambda r: _due_words(r.follow_up_on, today)),
        Column("单位名称", "text", lambda r: r.name, width=24),
        Column("统一社会信用代码", "text", lambda r: r.code),
        Column("跟进事项", "text", lambda r: r.follow_up_action, width=30),
        Column("联系人", "text", lambda r: r.contact_name),
        Column("联系电话", "text", lambda r: r.contact_phone or ""),
        Column("上次结果", "text", lambda r: r.outcome.label if r.outcome else ""),
    ]
    title = f"跟进日程 · 逾期、今天与未来 7 天 · 截至 {today.isoformat()}"
    return Sheet("跟进日程", title, columns, rows)


def tickets_sheet(rows: Sequence[TicketRow], title: str) -> Sheet:
    """The tickets the `w` screen shows (with its filters, said in ``title``), in its order."""
    columns = [
        Column("截止", "moment", lambda r: _wall(r.ticket.due_at)),
        Column("逾期", "text", lambda r: "逾期" if r.overdue else ""),
        Column("状态", "text", lambda r: r.ticket.status.label),
        Column("优先级", "text", lambda r: r.ticket.priority.label),
        Column("类别", "text", lambda r: r.ticket.category.label),
        Column("单位名称", "text", lambda r: r.unit_name or r.ticket.unit_code, width=24),
        Column("标题", "text", lambda r: r.ticket.subject, width=30),
        Column("订单号", "text", lambda r: r.ticket.order_id or ""),
        Column("创建时间", "moment", lambda r: _wall(r.ticket.created_at)),
        Column("已同步", "text", lambda r: "是" if r.pushed else "否"),
    ]
    return Sheet("工单", title, columns, rows)


SUFFIXES: dict[str, Format] = {".csv": "csv", ".xlsx": "xlsx"}


def format_of(path: Path, given: str | None) -> Format:
    """The format named, else the one the file name says, else CSV; a contradiction is refused."""
    if given is not None and given not in ("csv", "xlsx"):
        raise ValueError(f"不支持的格式 {given!r}；可用：csv、xlsx")
    suffix = path.suffix.lower()
    said = SUFFIXES.get(suffix)
    if suffix and said is None:
        raise ValueError(f"不支持的扩展名 {suffix}：导出文件应为 .csv 或 .xlsx")
    if given is not None and said is not None and said != given:
        raise ValueError(f"文件名 {path.name} 是 {said} 文件，与 --format {given} 不符")
    chosen = given or said or "csv"
    return "xlsx" if chosen == "xlsx" else "csv"
