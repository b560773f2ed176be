"""Import time of 100,000 order rows (CSV and XLSX) and export time of a 10k-unit view.

Prints figures, never asserts. Files and the cache are built in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from specialist_tui.client.config import Settings
from specialist_tui.client.exports import export_view
from specialist_tui.client.import_apply import apply_batch
from specialist_tui.client.service import Service
from specialist_tui.domain.identifiers import (
    make_credit_code,
)
from specialist_tui.importer import read_files

TODAY = date(2024, 6, 30)
ORDER_HEAD = ["订单编号", "统一社会信用代码", "下单时间", "订单金额(元)", "采购类型", "区域代码",
              "订单状态", "付款时间", "完结时间"]  # fmt: skip
STATUSES = ["已完结"] * 7 + ["待付款", "已付款", "已发货", "已取消"]


def code(serial: int) -> str:
    return make_credit_code("12630100", f"{serial:08d}")


def unit_rows(units: int) -> list[list[object]]:
    head = [
        "单位名称",
        "统一社会信用代码",
        "单位级次",
        "行政区划代码",
        "区域代码",
        "联系人",
        "联系电话",
    ]
    rows: list[list[object]] = [head]
    for n in range(units):
        rows.append([f"西宁市第{n + 1}学校", code(n + 1), "县区", "630102", f"QH{n % 40:04d}",
                     "马老师", f"1370971{n % 10000:04d}"])  # fmt: skip
    return rows


def order_rows(orders: int, units: int, seed: int = 832) -> list[list[object]]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 5, 8, 0)
    rows: list[list[object]] = [ORDER_HEAD]
    for n in range(orders):
        placed = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 170))
        status = rng.choice(STATUSES)
        paid = placed + timedelta(hours=2) if status != "待付款" else ""
        done = placed + timedelta(days=7) if status == "已完结" else ""
        part = rng.choice(["食堂", "食堂", "工会", "职工"])
        amount = f"{rng.randrange(100, 5_000_000) / 100:,.2f}"
        rows.append([f"832{n:09d}", code(rng.randrange(units) + 1), placed.isoformat(sep=" "),
                     amount, part, f"QH{rng.randrange(40):04d}", status,
                     paid and paid.isoformat(sep=" "),
                     done and done.isoformat(sep=" ")])  # fmt: skip
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("订单")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def timed(label: str, action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    print(f"{label:<52} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        units = write_csv(tmp / "units.csv", unit_rows(args.units))
        rows = order_rows(args.orders, args.units)
        orders_csv = write_csv(tmp / "orders.csv", rows)
        orders_xlsx = timed(f"write {args.orders:,} orders as XLSX (setup)",
                            lambda: write_xlsx(tmp / "orders.xlsx", rows))  # fmt: skip
        service = Service(Settings(cache_dir=tmp / "cache", today=TODAY))
        service.prepare()

        def load(path: Path) -> None:
            batch = read_files([path])
            assert not batch.problems, batch.problems[:3]
            apply_batch(service.cache, batch, service.policy, service.today)

        timed(f"import {args.units:,} units (CSV)", lambda: load(units))
        batch = timed(f"  read + validate {args.orders:,} orders (CSV)",
                      lambda: read_files([orders_csv]))  # fmt: skip
        timed("  write to the cache + refresh units",
              lambda: apply_batch(service.cache, batch, service.policy, service.today))  # fmt: skip
        timed(f"import {args.orders:,} orders (CSV), again: upsert", lambda: load(orders_csv))
        timed(f"import {args.orders:,} orders (XLSX)", lambda: load(orders_xlsx))
        timed(f"export {args.units:,}-unit view 'all' as CSV",
              lambda: export_view(service, tmp / "all.csv", "all", fmt="csv"))  # fmt: skip
        timed(f"export {args.units:,}-unit view 'all' as XLSX (+ summary)",
              lambda: export_view(service, tmp / "all.xlsx", "all", fmt="xlsx"))  # fmt: skip
        service.close()


if __name__ == "__main__":
    main()
