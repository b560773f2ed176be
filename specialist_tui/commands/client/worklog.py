"""`specialist-tui calls` and `specialist-tui tickets`: log and list service work from scripts.

`calls add` and `tickets add` write exactly what the forms write (same validation, same
outbox), and `calls done` marks a promised follow-up done as 跟进日程's `d` does; the listings
include what has not been pushed to the hub yet (`pushed` false).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TextIO, TypeVar

from specialist_tui.client.config import Settings
from specialist_tui.client.read_models import LoggedCall, TicketRow
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.commands.base import (
    Subparsers,
    UsageError,
    complete_with,
    int_range,
    print_table,
    require_cache,
    text_arg,
    write_json,
)
from specialist_tui.domain.dates import DateError, parse_day
from specialist_tui.domain.enums import (
    CallDirection,
    CallOutcome,
    CallTopic,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)
from specialist_tui.domain.fields import BEIJING
from specialist_tui.inert import sheet_text, sheet_value

CALL_FIELDS = [
    "id", "unit_code", "unit_name", "started_at", "direction", "contact_name", "contact_phone",
    "outcome", "topics", "duration_s", "notes", "follow_up_on", "follow_up_action", "author",
    "pushed",
]  # fmt: skip

TICKET_FIELDS = [
    "id", "unit_code", "unit_name", "category", "priority", "status", "subject", "description",
    "order_id", "created_at", "updated_at", "due_at", "overdue", "author", "version", "pushed",
]  # fmt: skip


# The flag that carries each field, so an error names what the user typed.
_FLAGS = {
    "call_id": "CALL_ID",
    "unit_code": "--unit",
    "topics": "--topic",
    "follow_up_on": "--follow-up",
    "follow_up_action": "--follow-up-action",
    "contact_name": "--contact",
    "contact_phone": "--phone",
    "duration_s": "--duration",
    "order_id": "--order",
    "starts_at": "--at",
    "ends_at": "--until",
    "online_link": "--link",
    "attendees": "--unit",
}


def _call_listing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", default=None, metavar="DATE", help="只列这一天及以后的通话（如 2024-07-05、7-5）"
    )
    parser.add_argument("--unit", type=text_arg, default=None, metavar="CODE", help="只列这个单位")
    parser.add_argument(
        "--format", default="table", choices=["table", "json", "csv"], help="输出格式（默认 table）"
    )
    parser.set_defaults(handler=run_calls)


def _codes(enum: Any) -> str:
    return "、".join(f"{m.value}（{m.label}）" for m in enum)


def _values(enum: Any) -> Callable[..., list[str]]:
    """A shell-completion source: the enum's codes."""
    return lambda prefix, **_: [m.value for m in enum if m.value.startswith(prefix)]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    calls = sub.add_parser("calls", parents=[common], help="列出记录的通话；calls add 记录一次通话")
    _call_listing(calls)
    call_actions = calls.add_subparsers(dest="action", metavar="ACTION", title="操作")
    # `calls list` is `calls` under the name people try first.
    _call_listing(call_actions.add_parser("list", parents=[common], help="列出记录的通话"))
    add = call_actions.add_parser(
        "add", parents=[common], help="记录一次通话（与界面表单相同的检查和待同步队列）"
    )
    add.add_argument("--unit", required=True, type=text_arg, metavar="CODE", help="单位的信用代码")
    complete_with(
        add.add_argument("--outcome", required=True, help=_codes(CallOutcome)), _values(CallOutcome)
    )
    complete_with(
        add.add_argument(
            "--topic",
            action="append",
            default=[],
            help=f"可重复：{_codes(CallTopic)}；至少给一个话题或写 --notes",
        ),
        _values(CallTopic),
    )
    add.add_argument("--notes", default="", help="通话内容（没有 --topic 时必填）")
    add.add_argument(
        "--follow-up",
        default=None,
        metavar="DATE",
        help="下次跟进日期（如 2024-07-05、7-5、+3、下周一）",
    )
    add.add_argument("--follow-up-action", default="", help="跟进日要做的事")
    add.add_argument("--contact", default="", help="联系人姓名（电话取自单位的联系人）")
    add.add_argument("--phone", default=None, help="联系电话（新联系人时填写）")
    complete_with(
        add.add_argument(
            "--direction",
            default="out",
            help=_codes(CallDirection),
        ),
        _values(CallDirection),
    )
    add.add_argument(
        "--duration",
        type=int_range(0, 24 * 3600),
        default=0,
        metavar="SECONDS",
        help="通话时长（秒）",
    )
    add.set_defaults(handler=run_calls_add)
    done = call_actions.add_parser(
        "done",
        parents=[common],
        help="把一次通话约定的跟进标记为完成（同步到中心）",
        description="把通话约定的跟进标记为完成：给出通话编号（calls --format json 的 id，"
        "或 calls add 打印的编号，至少前 4 位），或用 --unit 标记该单位最早的未完成约定。",
    )
    done.add_argument(
        "call_id", nargs="?", default=None, metavar="CALL_ID", help="通话编号（可只给前几位）"
    )
    done.add_argument(
        "--unit", type=text_arg, default=None, metavar="CODE", help="标记该单位最早的未完成约定"
    )
    done.set_defaults(handler=run_calls_done)

    tickets = sub.add_parser("tickets", parents=[common], help="列出工单；tickets add 新建工单")
    complete_with(
        tickets.add_argument("--status", default=None, help=_codes(TicketStatus)),
        _values(TicketStatus),
    )
    tickets.add_argument(
        "--format", default="table", choices=["table", "json", "csv"], help="输出格式（默认 table）"
    )
    tickets.set_defaults(handler=run_tickets)
    ticket_actions = tickets.add_subparsers(dest="action", metavar="ACTION", title="操作")
    new = ticket_actions.add_parser(
        "add", parents=[common], help="新建工单（与界面表单相同的检查和待同步队列）"
    )
    new.add_argument("--unit", required=True, type=text_arg, metavar="CODE", help="单位的信用代码")
    complete_with(
        new.add_argument(
            "--category",
            required=True,
            help=_codes(TicketCategory),
        ),
        _values(TicketCategory),
    )
    complete_with(
        new.add_argument(
            "--priority",
            default="normal",
            help=_codes(TicketPriority),
        ),
        _values(TicketPriority),
    )
    new.add_argument("--subject", required=True, type=text_arg, metavar="TEXT", help="一行标题")
    new.add_argument("--description", default="", help="详细说明")
    new.add_argument("--order", default=None, metavar="ORDER", help="相关的订单编号")
    new.set_defaults(handler=run_tickets_add)


@contextmanager
def open_worklog(settings: Settings) -> Iterator[Worklog]:
    """The work log on the configured cache, closed afterwards; field errors name the flag."""
    service = Service(settings)
    try:
        service.prepare()
        yield Worklog(service)
    except WorklogError as exc:
        flag = _FLAGS.get(exc.field, "--" + exc.field.replace("_", "-"))
        raise UsageError(f"{flag}：{exc.errors[exc.field]}") from None
    finally:
        service.close()


def run_calls_add(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    with open_worklog(settings) as worklog:
        call = worklog.log_call(
            args.unit,
            args.outcome,
            args.topic,
            direction=args.direction,
            contact_name=args.contact,
            contact_phone=args.phone,
            duration_s=args.duration,
            notes=args.notes,
            follow_up_on=_date_flag("--follow-up", args.follow_up, worklog.now().date()),
            follow_up_action=args.follow_up_action,
        )
    print(call.id)
    print(f"已保存通话 {call.started_at:%Y-%m-%d %H:%M}（待同步）", file=sys.stderr)
    return 0


def run_calls_done(args: argparse.Namespace, settings: Settings) -> int:
    if (args.call_id is None) == (args.unit is None):
        raise UsageError("请给出通话编号 CALL_ID 或 --unit CODE（二选一）")
    require_cache(settings)
    with open_worklog(settings) as worklog:
        mark = worklog.mark_follow_up_done(args.call_id, args.unit)
    print(mark.call_id)
    print(f"已标记跟进完成 {mark.at:%Y-%m-%d %H:%M}（待同步）", file=sys.stderr)
    return 0


def run_tickets_add(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    with open_worklog(settings) as worklog:
        ticket = worklog.open_ticket(
            args.unit,
            args.category,
            args.subject,
            priority=args.priority,
            description=args.description,
            order_id=args.order,
        )
    print(ticket.id)
    due = f"{ticket.due_at:%Y-%m-%d %H:%M}" if ticket.due_at else "—"
    print(f"已创建工单，截止 {due}（待同步）", file=sys.stderr)
    return 0


def run_calls(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    with open_worklog(settings) as worklog:
        since = _date_flag("--since", args.since, worklog.now().date())
        rows = worklog.calls(since, args.unit)
    _write(rows, args.format, CALL_FIELDS, _CALL_TABLE, sys.stdout)
    return 0


def run_tickets(args: argparse.Namespace, settings: Settings) -> int:
    require_cache(settings)
    with open_worklog(settings) as worklog:
        rows = worklog.tickets(args.status)
    _write(rows, args.format, TICKET_FIELDS, _TICKET_TABLE, sys.stdout)
    return 0


def _date_flag(flag: str, text: str | None, today: date) -> date | None:
    """A date flag as people type it (7-5, 2024/7/5, +3, 下周一), read against today."""
    if text is None:
        return None
    try:
        return parse_day(text, today)
    except DateError as exc:
        raise UsageError(f"{flag}：{exc}") from None


def _moment(value: object) -> str:
    """A moment as "2024-06-30 10:30" (Beijing time)."""
    return f"{value.astimezone(BEIJING):%Y-%m-%d %H:%M}" if isinstance(value, datetime) else ""


_CALL_TABLE: list[tuple[str, Callable[[LoggedCall], str]]] = [
    ("时间", lambda r: _moment(r.call.started_at)),
    ("单位", lambda r: r.unit_name or r.call.unit_code),
    ("联系人", lambda r: r.call.contact_name),
    ("结果", lambda r: r.call.outcome.label),
    ("话题", lambda r: "、".join(t.label for t in r.call.topics)),
    ("下次跟进", lambda r: r.call.follow_up_on.isoformat() if r.call.follow_up_on else ""),
    ("备注", lambda r: r.call.notes),
    ("已同步", lambda r: "是" if r.pushed else "否"),
]

_TICKET_TABLE: list[tuple[str, Callable[[TicketRow], str]]] = [
    ("截止", lambda r: _moment(r.ticket.due_at) + (" 逾期" if r.overdue else "")),
    ("单位", lambda r: r.unit_name or r.ticket.unit_code),
    ("类别", lambda r: r.ticket.category.label),
    ("优先级", lambda r: r.ticket.priority.label),
    ("状态", lambda r: r.ticket.status.label),
    ("标题", lambda r: r.ticket.subject),
    ("已同步", lambda r: "是" if r.pushed else "否"),
]

Listed = TypeVar("Listed", LoggedCall, TicketRow)


def _write(
    rows: Sequence[Listed],
    form: str,
    fields: list[str],
    table: list[tuple[str, Callable[[Listed], str]]],
    out: TextIO,
) -> None:
    if form == "json":
        write_json([{f: data.get(f) for f in fields} for data in _data(rows)], out)
    elif form == "csv":
        writer = csv.writer(out)
        writer.writerow(fields)
        for data in _data(rows):
            writer.writerow([_csv_cell(data.get(f)) for f in fields])
    else:
        print_table(rows, table, out)
        print(f"共 {len(rows)} 条", file=out)


def _data(rows: Sequence[LoggedCall | TicketRow]) -> list[dict[str, Any]]:
    return [row.as_dict() for row in rows]


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return sheet_text(";".join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else sheet_value(value)
