"""A writer process for the feed's stress test: pushes calls over HTTP or imports orders.

Run as ``python tests/hub/stress_writer.py push URL TOKEN UNIT... --seconds S`` or
``python tests/hub/stress_writer.py import DB UNIT... --seconds S --tag T``. Prints how many
records it wrote. Imports hold their transaction open a while on purpose: a writer that took
its positions early and commits late is what a skipping feed gets wrong.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import datetime

import httpx

from specialist_tui.domain.fields import BEIJING
from specialist_tui.domain.models import Call, Order
from specialist_tui.hub.store import HubStore


def push(url: str, token: str, units: list[str], seconds: float) -> int:
    written = 0
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        while time.monotonic() < deadline:
            calls = [
                Call(
                    id=uuid.uuid4(),
                    unit_code=random.choice(units),
                    started_at=datetime(2024, 6, 20, 10, 0, tzinfo=BEIJING),
                    outcome="reached",
                ).model_dump(mode="json")
                for _ in range(random.randint(1, 5))
            ]
            answer = http.post("/api/v1/push", json={"calls": calls})
            answer.raise_for_status()
            written += sum(item["status"] == "accepted" for item in answer.json()["items"])
    return written


def imports(db: str, units: list[str], seconds: float, tag: str) -> int:
    store = HubStore(db)
    written = 0
    deadline = time.monotonic() + seconds
    batch = 0
    while time.monotonic() < deadline:
        batch += 1
        orders = [
            Order(
                id=f"{tag}-{batch}-{n}",
                unit_code=random.choice(units),
                year=2024,
                placed_at=datetime(2024, 3, 1, 9, 0),
                amount=100_00,
                area_code="QH0101",
                status="pending_payment",
            )
            for n in range(random.randint(10, 80))
        ]
        with store.transaction():
            store.lock_units({o.unit_code for o in orders})  # as `hub import` does
            store.upsert_records("order", orders[: len(orders) // 2])
            time.sleep(random.uniform(0.0, 0.05))
            store.upsert_records("order", orders[len(orders) // 2 :])
        written += len(orders)
    store.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["push", "import"])
    parser.add_argument("target")
    parser.add_argument("rest", nargs="+")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--tag", default="stress")
    args = parser.parse_args()
    if args.mode == "push":
        print(push(args.target, args.rest[0], args.rest[1:], args.seconds))
    else:
        print(imports(args.target, args.rest, args.seconds, args.tag))


if __name__ == "__main__":
    main()
