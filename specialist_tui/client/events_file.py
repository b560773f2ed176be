"""Events as a spreadsheet: one row per event and unit, written by `events export` and read
back by `events import` in the same shape.

A file's rows are all checked before anything is saved: every problem comes back as one
Chinese line with its row number, and the caller saves nothing then. Each event is checked by
the work log exactly as the form and `events add` check it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from specialist_tui.client.sheets import Column, Format, Sheet, write_csv, write_xlsx
from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.client.worklog_input import FIELD_LABELS
from specialist_tui.domain.dates import parse_moment
from specialist_tui.domain.enums import EventKind
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.models import Event, EventAttendance
from specialist_tui.importer.read import ReadError, open_sheets
from specialist_tui.inert import text_from_sheet

# A blank 活动编号 (an event typed into the sheet by hand) gets an id made from what the event
# is, so importing the same file again finds the same event.
_NAMESPACE = uuid.UUID("0c1f3a2e-5d4b-4e8a-9b7c-832832832832")
_SEPARATORS = re.compile(r"[,，、;；\s]+")
_HEADER_ROWS = 5  # an exported workbook has its title line above the header

Part = tuple[EventAttendance, str]  # a unit's part and the unit's name


def _moment(value: datetime | None) -> datetime | None:
    """Beijing wall time without an offset: what a spreadsheet cell holds."""
    return value.astimezone(BEIJING).replace(tzinfo=None) if value is not None else None


COLUMNS: list[Column] = [
    Column("活动编号", "text", lambda p: str(p[0].event_id), 38),
    Column("类型", "text", lambda p: p[0].kind.label),
    Column("开始时间", "moment", lambda p: _moment(p[0].starts_at)),
    Column("结束时间", "moment", lambda p: _moment(p[0].ends_at)),
    Column("地点", "text", lambda p: p[0].place, 20),
    Column("线上链接", "text", lambda p: p[0].online_link, 20),
    Column("主题", "text", lambda p: p[0].topic, 24),
    Column("主持专员", "text", lambda p: "、".join(p[0].specialists)),
    Column("单位名称", "text", lambda p: p[1], 24),
    Column("统一社会信用代码", "text", lambda p: p[0].unit_code),
    Column("参加人数", "int", lambda p: p[0].people),
    Column("备注", "text", lambda p: p[0].notes, 30),
    Column("后续跟进", "text", lambda p: p[0].follow_up, 20),
    Column("记录人", "text", lambda p: p[0].author),
]
_REQUIRED = ("类型", "开始时间", "主题", "统一社会信用代码")
_KINDS = {k.label: k for k in EventKind} | {k.value: k for k in EventKind}


def write_events(path: Path, parts: Sequence[Part], fmt: Format, title: str) -> None:
    """The events' rows as XLSX (titled, printable) or CSV; text cells are never formulas."""
    if fmt == "xlsx":
        write_xlsx(path, [Sheet("活动", title, COLUMNS, list(parts))])
    else:
        write_csv(path, COLUMNS, list(parts))


@dataclass
class _Row:
    line: int
    event_id: uuid.UUID
    head: dict[str, Any]  # what every row of one event must share
    unit_code: str
    people: int


def read_events(path: Path, worklog: Worklog) -> tuple[list[Event], list[str]]:
    """The events of a file written by `events export` (or typed in its shape), checked; and
    one Chinese line per problem (the caller saves nothing when there is any)."""
    problems: list[str] = []
    try:
        with open_sheets(path) as sheets:
            rows = _rows(sheets[0].rows, worklog, problems) if sheets else []
    except ReadError as exc:
        return [], [str(exc)]
    if not rows and not problems:
        problems.append("文件中没有活动数据")
    events: dict[uuid.UUID, list[_Row]] = {}
    for row in rows:
        events.setdefault(row.event_id, []).append(row)
    checked = []
    for members in events.values():
        event = _event(members, worklog, problems)
        if event is not None:
            checked.append(event)
    return checked, problems


def _rows(source: Any, worklog: Worklog, problems: list[str]) -> list[_Row]:
    header: dict[str, int] | None = None
    out: list[_Row] = []
    for line, values in source:
        cells = ["" if v is None else v for v in values]
        if header is None:
            names = [str(c).strip() for c in cells]
            if all(name in names for name in _REQUIRED):
                header = {name: names.index(name) for name in names if name}
            elif line >= _HEADER_ROWS:
                missing = "、".join(n for n in _REQUIRED if n not in names)
                problems.append(f"前 {_HEADER_ROWS} 行中没有找到表头（缺少列：{missing}）")
                return []
            continue
        if not any(str(c).strip() for c in cells):
            continue
        row = _row(line, {name: cells[i] if i < len(cells) else "" for name, i in header.items()},
                   worklog, problems)  # fmt: skip
        if row is not None:
            out.append(row)
    if header is None:
        problems.append("没有找到表头（应含 类型、开始时间、主题、统一社会信用代码 列）")
    return out


def _row(line: int, cell: dict[str, Any], worklog: Worklog, problems: list[str]) -> _Row | None:
    def text(name: str) -> str:
        value = cell.get(name, "")
        return text_from_sheet(str(value).strip()) if value is not None else ""

    before = len(problems)

    def problem(message: str) -> None:
        problems.append(f"第 {line} 行：{message}")

    today = worklog.now().date()
    kind = _KINDS.get(text("类型"))
    if kind is None:
        problem(f"类型“{text('类型')}”应为 座谈会、培训会 或 上门走访")
    starts = _read_moment(cell.get("开始时间"), today)
    if starts is None:
        problem(f"开始时间“{text('开始时间')}”应为 YYYY-MM-DD HH:MM")
    ends = None
    if text("结束时间"):
        ends = _read_moment(cell.get("结束时间"), starts.date() if starts else today)
        if ends is None:
            problem(f"结束时间“{text('结束时间')}”应为 YYYY-MM-DD HH:MM 或 HH:MM")
    people_text = text("参加人数") or "0"
    people = _whole(people_text)
    if people is None:
        problem(f"参加人数“{people_text}”应为不小于 0 的整数")
    code = text("统一社会信用代码").upper()
    try:
        code = worklog.unit(code).code
    except WorklogError as refused:
        problem(refused.errors["unit_code"])
    event_id: uuid.UUID | None = None
    if text("活动编号"):
        try:
            event_id = uuid.UUID(text("活动编号"))
        except ValueError:
            problem(f"活动编号“{text('活动编号')}”不是导出文件中的编号（留空表示新活动）")
    if len(problems) > before or kind is None or starts is None or people is None:
        return None
    head = {
        "kind": kind.value,
        "topic": text("主题"),
        "starts_at": starts,
        "ends_at": ends,
        "place": text("地点"),
        "online_link": text("线上链接"),
        "specialists": [s for s in _SEPARATORS.split(text("主持专员")) if s],
        "notes": text("备注"),
        "follow_up": text("后续跟进"),
    }
    if event_id is None:
        what = f"{kind.value}|{starts.isoformat()}|{head['topic']}|{head['place']}"
        event_id = uuid.uuid5(_NAMESPACE, what)
    return _Row(line, event_id, head, code, people)


def _read_moment(value: Any, today: date) -> datetime | None:
    if isinstance(value, datetime):  # a workbook's date cell: Beijing time, as we wrote it
        return value.replace(tzinfo=BEIJING) if value.tzinfo is None else value
    try:
        return parse_moment(str(value or "").strip(), today)
    except ValueError:
        return None


def _whole(text: str) -> int | None:
    number = text[:-2] if text.endswith(".0") else text  # a number cell read back as 2.0
    return int(number) if number.isdigit() else None


_HEAD_LABELS = {
    "kind": "类型",
    "topic": "主题",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "place": "地点",
    "online_link": "线上链接",
    "specialists": "主持专员",
    "notes": "备注",
    "follow_up": "后续跟进",
}


def _event(members: list[_Row], worklog: Worklog, problems: list[str]) -> Event | None:
    """One event from its rows: the same details on every row, each unit once, then the
    work log's own checks."""
    first = members[0]
    before = len(problems)
    seen: dict[str, int] = {}
    for row in members:
        for name, value in row.head.items():
            if value != first.head[name]:
                problems.append(
                    f"第 {row.line} 行：{_HEAD_LABELS[name]}与第 {first.line} 行不同"
                    "（同一活动编号的各行应相同）"
                )
                break
        if row.unit_code in seen:
            again = f"单位 {row.unit_code} 在本活动中重复（第 {seen[row.unit_code]} 行）"
            problems.append(f"第 {row.line} 行：{again}")
        seen.setdefault(row.unit_code, row.line)
    if len(problems) > before:
        return None
    head = dict(first.head)
    try:
        return worklog.checked_event(
            head.pop("kind"),
            head.pop("topic"),
            {row.unit_code: row.people for row in members},
            event_id=first.event_id,
            **head,
        )
    except WorklogError as refused:
        for name, message in refused.errors.items():
            label = _HEAD_LABELS.get(name) or FIELD_LABELS.get(name, name)
            problems.append(f"第 {first.line} 行起的活动：{label}：{message}")
        return None
