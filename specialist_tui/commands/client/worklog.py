"""`specialist-tui calls` and `specialist-tui tickets`: log and list service work from scripts.

`calls add` and `tickets add` write exactly what the forms write (same validation, same
outbox); the listings include what has not been pushed to the hub yet (`pushed` false).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TextIO

from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog, WorklogError
from specialist_tui.commands.base import Cell, Subparsers, UsageError, print_table, write_json
from specialist_tui.domain.clock import beijing_minute
from specialist_tui.domain.dates import DateError, parse_day
from specialist_tui.domain.enums import (
    CallDirection,
    CallOutcome,
    CallTopic,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)
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
    "unit_code": "--unit",
    "topics": "--topic",
    "follow_up_on": "--follow-up",
    "follow_up_action": "--follow-up-action",
    "contact_name": "--contact",
    "contact_phone": "--phone",
    "duration_s": "--duration",
    "order_id": "--order",
}


def _call_listing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", default=None, help="calls from this date on (7-1, 2024-07-01)")
    parser.add_argument("--unit", default=None, help="only this unit (credit code)")
    parser.add_argument("--format", default="table", choices=["table", "json", "csv"])
    parser.set_defaults(handler=run_calls)


def _codes(enum: Any) -> str:
    return ", ".join(f"{m.value} ({m.label})" for m in enum)


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    calls = sub.add_parser(
        "calls", parents=[common], help="list logged calls; `calls add` logs one"
    )
    _call_listing(calls)
    actions = calls.add_subparsers(dest="action", metavar="ACTION")
    # `calls list` is `calls` under the name people try first.
    _call_listing(actions.add_parser("list", parents=[common], help="list logged calls"))
    add = actions.add_parser(
        "add", parents=[common], help="log a call (same checks and outbox as the form)"
    )
    add.add_argument("--unit", required=True, help="the unit's credit code")
    add.add_argument("--outcome", required=True, help=_codes(CallOutcome))
    add.add_argument(
        "--topic", action="append", default=[], help=f"repeatable: {_codes(CallTopic)}"
    )
    add.add_argument("--notes", default="", help="what was said")
    add.add_argument("--follow-up", default=None, help="follow-up date (YYYY-MM-DD)")
    add.add_argument("--follow-up-action", default="", help="what to do on the follow-up date")
    add.add_argument("--contact", default="", help="contact name (phone taken from the unit)")
    add.add_argument("--phone", default=None, help="contact phone, for a new contact")
    add.add_argument("--direction", default="out", help=_codes(CallDirection))
    add.add_argument("--duration", type=int, default=0, help="duration in seconds")
    add.set_defaults(handler=run_calls_add)

    tickets = sub.add_parser(
        "tickets", parents=[common], help="list tickets; `tickets add` opens one"
    )
    tickets.add_argument("--status", default=None, help=_codes(TicketStatus))
    tickets.add_argument("--format", default="table", choices=["table", "json", "csv"])
    tickets.set_defaults(handler=run_tickets)
    new = tickets.add_subparsers(dest="action", metavar="ACTION").add_parser(
        "add", parents=[common], help="open a ticket (same checks and outbox as the form)"
    )
    new.add_argument("--unit", required=True, help="the unit's credit code")
    new.add_argument("--category", required=True, help=_codes(TicketCategory))
    new.add_argument("--priority", default="normal", help=_codes(TicketPriority))
    new.add_argument("--subject", required=True, help="one line")
    new.add_argument("--description", default="", help="details")
    new.add_argument("--order", default=None, help="the order id it concerns")
    new.set_defaults(handler=run_tickets_add)


@contextmanager
def _worklog(settings: Settings) -> Iterator[Worklog]:
    """The work log on the configured cache, closed afterwards; field errors name the flag."""
    service = Service(settings)
    try:
        service.prepare()
        yield Worklog(service)
    except WorklogError as exc:
        flag = _FLAGS.get(exc.field, "--" + exc.field.replace("_", "-"))
        raise UsageError(f"{flag}: {exc.errors[exc.field]}") from None
    finally:
        service.close()


def run_calls_add(args: argparse.Namespace, settings: Settings) -> int:
    with _worklog(settings) as worklog:
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


def run_tickets_add(args: argparse.Namespace, settings: Settings) -> int:
    with _worklog(settings) as worklog:
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
    with _worklog(settings) as worklog:
        since = _date_flag("--since", args.since, worklog.now().date())
        rows = worklog.calls(since, args.unit)
    _write(rows, args.format, CALL_FIELDS, _CALL_TABLE, sys.stdout)
    return 0


def run_tickets(args: argparse.Namespace, settings: Settings) -> int:
    with _worklog(settings) as worklog:
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
        raise UsageError(f"{flag}: {exc}") from None


_CALL_TABLE: list[tuple[str, Cell]] = [
    ("时间", lambda r: beijing_minute(r["started_at"])),
    ("单位", lambda r: r["unit_name"] or r["unit_code"]),
    ("联系人", lambda r: r["contact_name"]),
    ("结果", lambda r: CallOutcome(r["outcome"]).label),
    ("话题", lambda r: "、".join(CallTopic(t).label for t in r["topics"])),
    ("下次跟进", lambda r: r["follow_up_on"] or ""),
    ("备注", lambda r: r["notes"]),
    ("已同步", lambda r: "是" if r["pushed"] else "否"),
]

_TICKET_TABLE: list[tuple[str, Cell]] = [
    (
        "截止",
        lambda r: beijing_minute(r["due_at"]) + (" 逾期" if r["overdue"] else ""),
    ),
    ("单位", lambda r: r["unit_name"] or r["unit_code"]),
    ("类别", lambda r: TicketCategory(r["category"]).label),
    ("优先级", lambda r: TicketPriority(r["priority"]).label),
    ("状态", lambda r: TicketStatus(r["status"]).label),
    ("标题", lambda r: r["subject"]),
    ("已同步", lambda r: "是" if r["pushed"] else "否"),
]


def _write(
    rows: list[dict[str, Any]],
    form: str,
    fields: list[str],
    table: list[tuple[str, Cell]],
    out: TextIO,
) -> None:
    if form == "json":
        write_json([{f: r.get(f) for f in fields} for r in rows], out)
    elif form == "csv":
        writer = csv.writer(out)
        writer.writerow(fields)
        for row in rows:
            writer.writerow([_csv_cell(row.get(f)) for f in fields])
    else:
        print_table(rows, table, out)
        print(f"共 {len(rows)} 条", file=out)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return sheet_text(";".join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else sheet_value(value)
