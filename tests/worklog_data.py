"""A small cache for the work-log tests: three units, a frozen day and a frozen clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.client.worklog import Worklog
from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.identifiers import (
    make_credit_code,
)
from specialist_tui.domain.models import Unit

TODAY = date(2024, 6, 30)
NOW = datetime(2024, 6, 30, 10, 30, tzinfo=BEIJING)


def make_code(serial: int, division: str = "630100") -> str:
    return make_credit_code(f"11{division}", f"{serial:08d}")


UNIT_A = make_code(1)
UNIT_B = make_code(2)
UNIT_C = make_code(3)


def units() -> list[Unit]:
    def unit(serial: int, name: str, contacts: list[dict[str, str]]) -> Unit:
        return Unit.model_validate(
            {
                "code": make_code(serial),
                "name": name,
                "level": "prefecture",
                "division_code": "630100",
                "area_code": "QH0101",
                "staff_count": 100,
                "contacts": contacts,
            }
        )

    return [
        unit(
            1,
            "西宁市教育局",
            [
                {"name": "张伟", "role": "finance", "phone": "13909710001"},
                {"name": "李娜", "role": "canteen", "phone": "13909710002"},
            ],
        ),
        unit(2, "西宁市第一中学", [{"name": "王芳", "role": "head", "phone": "0971-8123456"}]),
        unit(3, "海东市人民医院", []),
    ]


def make_worklog(directory: Path, user: str = "sp-001") -> Worklog:
    """A Worklog on a fresh cache in ``directory`` holding the three units."""
    settings = Settings(cache_dir=directory, today=TODAY, user=user)
    service = Service(settings)
    service.cache.load({"units": units()}, service.policy, TODAY)
    return Worklog(service, clock=lambda: NOW)


def set_now(worklog: Worklog, moment: datetime) -> None:
    """Move the worklog's clock and day to ``moment`` (the day is pinned like a demo's)."""
    worklog.clock = lambda: moment
    worklog.service.settings.today = moment.date()


def add_history(worklog: Worklog) -> dict[str, str]:
    """Calls with follow-ups (overdue, today, in 4 days) and tickets in several states, then the
    clock back at NOW. Returns the ids of the tickets by a short name."""
    set_now(worklog, NOW - timedelta(days=6))
    worklog.log_call(
        UNIT_A,
        "callback_requested",
        ["filing"],
        contact_name="张伟",
        follow_up_on=TODAY - timedelta(days=2),
        follow_up_action="确认填报是否已提交",
    )
    worklog.log_call(
        UNIT_B,
        "reached",
        ["payment"],
        contact_name="王芳",
        follow_up_on=TODAY,
        follow_up_action="催付 3 笔待付款订单",
    )
    worklog.log_call(
        UNIT_C,
        "no_answer",
        notes="没人接",
        contact_name="赵磊",
        contact_phone="13897000003",
        follow_up_on=TODAY + timedelta(days=4),
    )
    set_now(worklog, NOW - timedelta(days=2))
    login = worklog.open_ticket(
        UNIT_A, "account", "财务账号无法登录", "high", "换了电脑后提示证书无效"
    )
    set_now(worklog, NOW - timedelta(days=1, hours=2))
    worklog.change_ticket_status(str(login.id), "in_progress", "已转平台技术支持")
    set_now(worklog, NOW - timedelta(hours=3))
    worklog.comment_ticket(str(login.id), "技术支持要求提供截图")
    payment = worklog.open_ticket(
        UNIT_B, "payment", "订单重复扣款", "urgent", order_id="832-2024-000000001"
    )
    set_now(worklog, NOW)
    invoice = worklog.open_ticket(UNIT_C, "invoice", "发票抬头有误", "low")
    return {"login": str(login.id), "payment": str(payment.id), "invoice": str(invoice.id)}


def make_demo_worklog(directory: Path, units: int = 300) -> Worklog:
    """A Worklog on the shipped demo data set (seed 832) as of TODAY, clock at NOW."""
    from specialist_tui.commands.client.demo import write_demo

    service = Service(Settings(cache_dir=directory, today=TODAY))
    write_demo(service, units, TODAY, seed=832)
    return Worklog(service, clock=lambda: NOW)
