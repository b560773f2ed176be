"""A small hand-made cache for the screen tests: names and flags the tests can rely on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from specialist_tui.app import SpecialistApp, create_app
from specialist_tui.client.cache import Cache
from specialist_tui.client.config import Settings
from specialist_tui.domain.identifiers import (
    make_credit_code,
)
from specialist_tui.policies import load_policy

TODAY = date(2024, 6, 30)
POLICY = load_policy("qinghai-2024")

# (serial, name, filing status, canteen reserved share in thousandths, unpaid orders)
UNITS: list[tuple[int, str, str, int, int]] = [
    (1, "西宁市教育局", "not_started", 0, 0),
    (2, "西宁市财政局", "confirmed", 160, 0),
    (3, "海东市人民医院", "confirmed", 120, 0),
    (4, "格尔木市第一中学", "confirmed", 150, 2),
    (5, "德令哈市卫生健康委员会", "submitted", 200, 0),
] + [(10 + n, f"大通县第{n + 1}小学", "confirmed", 150 + n, n % 3) for n in range(60)]


def make_code(serial: int, division: str = "630100") -> str:
    return make_credit_code(f"11{division}", f"{serial:08d}")


def _tables() -> dict[str, list[dict[str, object]]]:
    units, filings, orders, calls = [], [], [], []
    for serial, name, status, share, unpaid in UNITS:
        code = make_code(serial)
        units.append(
            {
                "code": code,
                "name": name,
                "supervisor_code": None,
                "supervisor_name": name[:3] + "人民政府",
                "level": "prefecture",
                "division_code": "630100",
                "area_code": "QH0101",
                "specialist_id": "S001",
                "contacts": [
                    {"name": "张伟", "role": "finance", "phone": f"139{serial:08d}"},
                    {"name": "李娜", "role": "canteen", "phone": f"138{serial:08d}"},
                ],
                "staff_count": 50,
            }
        )
        filed = status in ("submitted", "confirmed")
        total = 1_000_000_00
        filings.append(
            {
                "unit_code": code,
                "year": 2024,
                "status": status,
                "canteen_mode": "own",
                "union_mode": "none",
                "submitted_at": "2024-02-01T10:00:00+08:00" if filed else None,
                "confirmed_at": "2024-02-10T10:00:00+08:00" if status == "confirmed" else None,
                "canteen_total": total,
                "canteen_reserved": total * share // 1000,
                "no_canteen_letter": "not_required",
                "union_total": 0,
                "union_reserved": 0,
            }
        )
        for month in range(1, 6):
            orders.append(
                {
                    "id": f"832-{serial}-{month}",
                    "unit_code": code,
                    "year": 2024,
                    "placed_at": f"2024-{month:02d}-10T09:00:00+08:00",
                    "amount": (serial % 7 + month) * 10_000_00,
                    "part": "canteen",
                    "area_code": "QH0101",
                    "status": "completed",
                    "completed_at": f"2024-{month:02d}-20T09:00:00+08:00",
                }
            )
        for n in range(unpaid):
            orders.append(
                {
                    "id": f"832-{serial}-u{n}",
                    "unit_code": code,
                    "year": 2024,
                    "placed_at": f"2024-0{3 + n}-01T09:00:00+08:00",
                    "amount": 5_000_00,
                    "part": "canteen",
                    "area_code": "QH0101",
                    "status": "pending_payment",
                }
            )
    calls.append(
        {
            "id": "00000000-0000-0000-0000-000000000001",
            "unit_code": make_code(1),
            "contact_name": "张伟",
            "contact_phone": "13900000001",
            "direction": "out",
            "started_at": "2024-06-20T10:00:00+08:00",
            "duration_s": 180,
            "topics": ["filing"],
            "outcome": "callback_requested",
            "notes": "财务说月底前提交",
            "follow_up_on": "2024-06-28",
            "follow_up_action": "确认是否已提交",
            "author": "S001",
        }
    )
    return {
        "centers": [{"code": "QH01", "name": "西宁区域服务中心", "area_codes": ["QH0101"]}],
        "specialists": [
            {"id": "S001", "name": "王芳", "phone": "13900000000", "center_code": "QH01"}
        ],
        "units": units,
        "filings": filings,
        "orders": orders,
        "calls": calls,
    }


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cache"
    cache = Cache.open(folder)
    cache.load(_tables(), POLICY, TODAY)  # type: ignore[arg-type]
    cache.set_meta("user_id", "S001")
    cache.set_meta("refreshed_at", "2024-06-30T08:00:00+08:00")
    cache.close()
    yield folder


@pytest.fixture
def settings(cache_dir: Path) -> Settings:
    return Settings(cache_dir=cache_dir, today=TODAY)


@pytest.fixture
def app(settings: Settings) -> SpecialistApp:
    return create_app(settings)
