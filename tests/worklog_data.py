"""A small cache for the work-log tests: three units, a frozen day and a frozen clock."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from specialist_tui.config import Settings
from specialist_tui.domain.identifiers import credit_code_check_char, org_code_check_char
from specialist_tui.domain.models import BEIJING, Unit
from specialist_tui.service import Service
from specialist_tui.worklog import Worklog

TODAY = date(2024, 6, 30)
NOW = datetime(2024, 6, 30, 10, 30, tzinfo=BEIJING)


def make_code(serial: int, division: str = "630100") -> str:
    org = f"{serial:08d}"
    first17 = f"11{division}{org}{org_code_check_char(org)}"
    return first17 + credit_code_check_char(first17)


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
